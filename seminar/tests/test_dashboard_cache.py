"""A student's dashboard kept in the cache (seminar.dashboard_cache) is served only while it is
true: every change it shows, the clock, the person's account and session, the host. Each test
compares the page served with one rendered afresh (the cache switched off)."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from grading.services.release import grades_release
from seminar import dashboard_cache
from seminar.cache import PAGE_MODELS
from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import User
from seminar.services.registration import waiting_list_move
from seminar.tests.admin_pages import page_data
from seminar.tests.factories import RegistrationFactory, StaffRoleFactory, UserFactory
from submissions import selectors as submission_selectors
from submissions.enums import DeliverableKind
from submissions.services.calendar import calendar_feed_reset
from submissions.services.deliverables import mock_presentation_mark
from submissions.services.extensions import extension_grant
from submissions.services.teams import team_invite
from submissions.services.uploads import submission_upload
from submissions.tests.factories import deliverable, pdf_upload, seminar_with_talks

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([a-zA-Z0-9]+)"')


@pytest.fixture
def world(client, time_machine):
    # A still clock, half a minute from the countdowns' next minute (deadlines end at :59.999999).
    time_machine.move_to(timezone.now().replace(second=30), tick=False)
    seminar, registrations, topics, sessions = seminar_with_talks(3)
    client.force_login(registrations[0].student)
    return seminar, registrations, topics, sessions


def url_of(seminar) -> str:
    return reverse("seminar:dashboard", args=[seminar.slug])


def served(client, seminar) -> str:
    response = client.get(url_of(seminar))
    assert response.status_code == 200
    return TOKEN.sub('name="csrfmiddlewaretoken" value="-"', response.content.decode())


def fresh(client, seminar) -> str:
    with override_settings(DASHBOARD_CACHE=False):
        return served(client, seminar)


def assert_same(page: str, expected: str) -> None:
    """The same page, line by line (a difference names its line)."""
    assert page.splitlines() == expected.splitlines()


def primed(client, seminar, django_assert_num_queries) -> str:
    """Render (a first reading hands out the CSRF cookie, the second is kept), then check that
    the next reading comes from the cache (no query)."""
    served(client, seminar)
    first = served(client, seminar)
    with django_assert_num_queries(0):
        again = served(client, seminar)
    assert again == first
    return first


def test_the_second_reading_asks_the_database_nothing_and_its_forms_work(
    world, django_assert_num_queries
):
    seminar, (a, *_), _, _ = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(a.student)
    client.get(url_of(seminar))  # sets the CSRF cookie
    primed(client, seminar, django_assert_num_queries)

    with django_assert_num_queries(0):
        body = client.get(url_of(seminar)).content.decode()
    tokens = TOKEN.findall(body)
    assert len(tokens) >= 2
    assert dashboard_cache.CSRF_PLACEHOLDER not in body
    # A form of the kept page sends with its token: the calendar address is made.
    response = client.post(
        reverse("submissions:calendar_reset", args=[seminar.slug]),
        {"csrfmiddlewaretoken": tokens[-1]},
    )
    assert response.status_code == 302
    assert a.calendar_feed is not None
    assert 'data-testid="calendar-url"' in served(client, seminar)


def test_a_dashboard_is_not_served_to_a_request_without_a_csrf_cookie(world):
    seminar, _, _, _ = world
    client = Client()
    client.force_login(world[1][0].student)
    client.get(url_of(seminar))
    client.get(url_of(seminar))
    client.cookies.pop("csrftoken")
    response = client.get(url_of(seminar))
    assert response.status_code == 200
    assert "csrftoken" in response.cookies  # the normal way: Django hands out the cookie


CHANGES = {
    "slide draft uploaded": lambda s, a, b, c: submission_upload(
        registration=a,
        deliverable=deliverable(s, DeliverableKind.SLIDE_DRAFT),
        upload=pdf_upload(3),
        by=a.student,
    ),
    "extension granted": lambda s, a, b, c: extension_grant(
        deliverable=deliverable(s, DeliverableKind.PROJECT),
        registration=a,
        due_at=timezone.now() + dt.timedelta(days=200),
        reason="Illness.",
        by=None,
    ),
    "mock presentation marked": lambda s, a, b, c: mock_presentation_mark(
        registration=a, given=True, by=None
    ),
    "invited into a team": lambda s, a, b, c: team_invite(registration=b, email=a.student.email),
    "renamed": lambda s, a, b, c: _save_name(a.student_id, "Renamed"),
    "language changed": lambda s, a, b, c: _save_language(a.student_id, "de"),
    "grades released": lambda s, a, b, c: grades_release(
        seminar=s, by=StaffRoleFactory(seminar=s, kind=StaffKind.ORGANIZER).user
    ),
}


def _save_name(user_id: int, name: str) -> None:
    user = User.objects.get(pk=user_id)
    user.full_name = name
    user.save()


def _save_language(user_id: int, language: str) -> None:
    user = User.objects.get(pk=user_id)
    user.language = language
    user.save(update_fields=["language"])


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_the_dashboard_shows_is_shown_at_once(
    client, world, change, django_assert_num_queries
):
    seminar, (a, b, c), _, _ = world
    before = primed(client, seminar, django_assert_num_queries)
    CHANGES[change](seminar, a, b, c)
    after = served(client, seminar)
    assert_same(after, fresh(client, seminar))
    assert after != before


def test_a_new_place_on_the_waiting_list_is_shown_at_once(
    client, django_assert_num_queries, time_machine
):
    time_machine.move_to(timezone.now().replace(second=30), tick=False)
    seminar, (a,), _, _ = seminar_with_talks(1)
    first, second = RegistrationFactory.create_batch(
        2, seminar=seminar, status=RegistrationStatus.WAITING
    )
    client.force_login(second.student)
    before = primed(client, seminar, django_assert_num_queries)
    waiting_list_move(registration=second, position=1)
    after = served(client, seminar)
    assert "position <strong>1</strong>" in after
    assert "position <strong>2</strong>" in before


def test_a_changed_password_ends_the_old_session_for_the_kept_page_too(
    client, world, django_assert_num_queries
):
    seminar, (a, *_), _, _ = world
    primed(client, seminar, django_assert_num_queries)
    user = User.objects.get(pk=a.student_id)
    user.set_password("a-new-password-1")
    user.save(update_fields=["password"])
    response = client.get(url_of(seminar))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_deactivated_account_and_a_logout_get_no_kept_page(
    client, world, django_assert_num_queries
):
    seminar, (a, b, _), _, _ = world
    primed(client, seminar, django_assert_num_queries)
    user = User.objects.get(pk=a.student_id)
    user.is_active = False
    user.save()
    assert client.get(url_of(seminar)).status_code == 302

    other = Client()
    other.force_login(b.student)
    primed(other, seminar, django_assert_num_queries)
    other.post(reverse("logout"))
    assert other.get(url_of(seminar)).status_code == 302


def test_a_waiting_message_is_shown_not_the_kept_page(client, world, django_assert_num_queries):
    seminar, _, _, _ = world
    primed(client, seminar, django_assert_num_queries)
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.SUCCESS, "Your slides were stored.")
    carrier = HttpResponse()
    storage.update(carrier)  # the cookie a redirect after an action leaves
    client.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    page = client.get(url_of(seminar)).content.decode()
    assert "Your slides were stored." in page
    assert "Your slides were stored." not in served(client, seminar)  # shown once


def test_another_host_gets_its_own_page_and_an_unknown_host_none(
    client, world, django_assert_num_queries, settings
):
    seminar, (a, *_), _, _ = world
    settings.ALLOWED_HOSTS = ["testserver", "seminars.example.org"]
    calendar_feed_reset(registration=a)
    assert "http://testserver/" in primed(client, seminar, django_assert_num_queries)
    other = client.get(url_of(seminar), HTTP_HOST="seminars.example.org").content.decode()
    assert "http://seminars.example.org/" in other
    assert "http://testserver/" not in other
    assert client.get(url_of(seminar), HTTP_HOST="evil.example.com").status_code == 400


def deadline_moments(seminar, registration) -> list[dt.datetime]:
    """Every deadline of the student and what the seminar's state turns on, each with the
    seconds and minutes around it."""
    calendar = submission_selectors.seminar_calendar(seminar, registration_ids=[registration.pk])
    moments = [seminar.registration_closes_at, seminar.preference_deadline]
    for item in submission_selectors.deliverables_of(seminar).values():
        due = submission_selectors.due_of(item, registration, calendar)
        moments += [due.base, due.effective]
    return [m for m in moments if m is not None]


def test_the_kept_page_follows_the_clock_past_every_deadline_and_countdown_minute(
    client, world, time_machine, settings
):
    seminar, (a, *_), _, (session,) = world
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600  # signed in throughout
    client.force_login(a.student)
    extension_grant(
        deliverable=deliverable(seminar, DeliverableKind.SLIDE_DRAFT),
        registration=a,
        due_at=timezone.now() + dt.timedelta(days=40, seconds=17),
        reason="Illness.",
        by=None,
    )
    instants = sorted(
        {
            moment + dt.timedelta(seconds=offset)
            for moment in deadline_moments(seminar, a)
            for offset in (-3601, -61, -60, -59, -1, 0, 1, 59, 60, 61, 3599)
        }
        | {session.starts_at, session.starts_at + dt.timedelta(hours=30)}
    )
    assert len(instants) >= 30
    time_machine.move_to(instants[0] - dt.timedelta(days=1), tick=False)
    served(client, seminar)
    for instant in instants:
        time_machine.move_to(instant, tick=False)
        assert_same(served(client, seminar), fresh(client, seminar))


PROJECT_APPS = {"seminar", "topics", "submissions", "grading", "setup", "reminders", "mail"}
# What no dashboard shows, and why.
NOT_ON_A_DASHBOARD = {
    "seminar.activityentry": "the activity log is for organizers",
    "grading.gradesheetexport": "the grade sheet is for organizers",
    "reminders.reminderrule": "reminders are e-mails",
    "mail.outgoingemail": "the outbox is for organizers",
    "reminders.sentreminder": "the outbox is for organizers",
}


def test_every_model_is_decided_for_the_dashboards():
    """A new model fails here until someone decides whether dashboards show it."""
    connected = {
        model._meta.label_lower
        for model in (*PAGE_MODELS, *dashboard_cache.SHOWN_MODELS, User)  # User: person_changed
    }
    undecided = [
        model._meta.label_lower
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        and model._meta.label_lower not in connected
        and model._meta.label_lower not in NOT_ON_A_DASHBOARD
    ]
    assert undecided == []
    assert set(NOT_ON_A_DASHBOARD) - {m._meta.label_lower for m in apps.get_models()} == set()


def test_a_change_in_the_admin_is_shown_at_once(client, world, django_assert_num_queries):
    seminar, (a, *_), topics, _ = world
    before = primed(client, seminar, django_assert_num_queries)
    assert topics[0].title in before
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:topics_topic_change", args=[topics[0].pk])
    data = page_data(admin.get(change)) | {"title": "Score matching, retold"}
    assert admin.post(change, data).status_code == 302
    after = served(client, seminar)
    assert "Score matching, retold" in after
    assert_same(after, fresh(client, seminar))


@pytest.mark.redis
def test_kept_in_redis_and_shown_anew_after_a_change(
    client, world, redis_cache, django_assert_num_queries
):
    """Through the production cache backend: the entry survives pickling, a change retires it."""
    redis, prefix = redis_cache
    seminar, (a, *_), _, _ = world
    before = primed(client, seminar, django_assert_num_queries)
    assert len(list(redis.scan_iter(f"{prefix}:*:dashboard:*"))) == 1
    CHANGES["slide draft uploaded"](seminar, a, None, None)
    after = served(client, seminar)
    assert after != before
    assert_same(after, fresh(client, seminar))
