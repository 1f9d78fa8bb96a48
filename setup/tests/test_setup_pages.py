"""The setup pages: each step, the checklist, the invitation, slugs, the public page, access."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from grading.models import GradingScheme
from mail.models import OutgoingEmail
from seminar.enums import MeetingKind, StaffKind
from seminar.errors import Invalid
from seminar.models import ActivityEntry, Seminar, StaffRole, User
from seminar.services import registration as registration_services
from seminar.services.setup import seminar_slug_make
from seminar.tests.factories import (
    MeetingFactory,
    SeminarFactory,
    StaffRoleFactory,
    StaffUserFactory,
    UserFactory,
)
from setup import selectors, services
from submissions.enums import DeliverableKind
from submissions.models import Deliverable
from topics.models import Topic
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

BASICS = {
    "title": "Deep Diffusion",
    "term": "WS2026",
    "tag": "DeepDiffusion",
    "language": "English",
    "ects": "7",
    "mode": "in_person",
    "eligibility": "master students of computer science",
    "admits_master": "on",
    "contact_name": "Helena Brandt",
    "contact_email": "helena@example.org",
    "overview": "",
    "requirements": "",
}


@pytest.fixture
def creator():
    user = StaffUserFactory(full_name="Helena Brandt", email="helena@example.org")
    user.user_permissions.add(Permission.objects.get(codename="create_seminar"))
    return User.objects.get(pk=user.pk)  # permissions are cached per object


@pytest.fixture
def seminar(creator, client):
    client.force_login(creator)
    response = client.post(reverse("setup:new"), BASICS)
    assert response.status_code == 302
    return Seminar.objects.get()


def _dates_data(seminar, **extra):
    sessions = list(seminar.meetings.filter(kind=MeetingKind.SESSION))
    data = {
        "kickoff_date": "2026-10-19",
        "kickoff_time": "14:15",
        "kickoff_room": "328 (E 1.3)",
        "preference_deadline": "2026-10-23T23:59",
        "registration_closes_at": "2026-10-30T12:00",
        "capacity": "12",
        "sessions-TOTAL_FORMS": str(len(sessions) + 2),
        "sessions-INITIAL_FORMS": str(len(sessions)),
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    for i, s in enumerate(sessions):
        data |= {
            f"sessions-{i}-id": str(s.pk),
            f"sessions-{i}-date": s.date.isoformat(),
            f"sessions-{i}-start_time": s.start_time.strftime("%H:%M"),
            f"sessions-{i}-room": s.room,
            f"sessions-{i}-talk_slots": str(s.talk_slots),
            f"sessions-{i}-slot_minutes": str(s.slot_minutes),
        }
    for i in range(len(sessions), len(sessions) + 2):
        data |= {
            f"sessions-{i}-talk_slots": "6",
            f"sessions-{i}-slot_minutes": "45",
        }
    data |= extra
    return data


def _rules_data(seminar, **extra):
    data = {}
    for d in seminar.deliverables.all():
        data |= {
            f"{d.kind}-due_rule": d.due_rule,
            f"{d.kind}-due_days": str(d.due_days),
            f"{d.kind}-count": str(d.count),
            f"{d.kind}-min_pages": "" if d.min_pages is None else str(d.min_pages),
            f"{d.kind}-max_pages": "" if d.max_pages is None else str(d.max_pages),
            f"{d.kind}-team_max": str(d.team_max),
            f"{d.kind}-spec_url": d.spec_url,
        }
        if d.enabled:
            data[f"{d.kind}-enabled"] = "on"
    data |= {
        "grading-weight_presentation": "50",
        "grading-weight_reports": "35",
        "grading-weight_participation": "15",
        "grading-bonus_steps": "1",
    }
    data |= extra
    return {k: v for k, v in data.items() if v is not None}


def _step(seminar, step):
    return reverse("setup:step", kwargs={"slug": seminar.slug, "step": step})


# --- Slugs ----------------------------------------------------------------------------------


def test_slug_from_title_and_term():
    assert seminar_slug_make(title="Deep Diffusion", term="WS2026") == "deep-diffusion-ws2026"
    assert seminar_slug_make(title="Deep Diffusion", term="Winter 2026/27") == (
        "deep-diffusion-ws2026"
    )


def test_slug_on_collision_gets_a_number():
    SeminarFactory(slug="deep-diffusion-ws2026")
    SeminarFactory(slug="deep-diffusion-ws2026-2")
    assert seminar_slug_make(title="Deep Diffusion", term="WS2026") == "deep-diffusion-ws2026-3"


def test_slug_never_a_reserved_one():
    assert seminar_slug_make(title="Admin", term="") == "admin-2"


def test_slug_of_a_long_title_fits_the_field():
    slug = seminar_slug_make(title="A" * 80, term="WS2026")
    assert slug == "a" * 40 + "-ws2026"  # room left for "-99"


# --- Creating -------------------------------------------------------------------------------


def test_new_seminar_creator_organizes_it_with_slug_from_title_and_term(seminar, creator):
    assert seminar.slug == "deep-diffusion-ws2026"
    assert seminar.registration_opens_at is None
    assert list(seminar.staff.values_list("user__email", "kind")) == [
        ("helena@example.org", StaffKind.ORGANIZER)
    ]


def test_new_seminar_bad_input_keeps_what_was_typed(creator, client):
    client.force_login(creator)
    response = client.post(reverse("setup:new"), BASICS | {"contact_email": "not-an-address"})
    assert response.status_code == 200
    assert Seminar.objects.count() == 0
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="Deep Diffusion"' in page and 'value="not-an-address"' in page


def test_new_seminar_next_year_gets_its_own_slug(seminar, client):
    response = client.post(reverse("setup:new"), BASICS | {"term": "WS2027"})
    assert response.status_code == 302
    assert set(Seminar.objects.values_list("slug", flat=True)) == {
        "deep-diffusion-ws2026",
        "deep-diffusion-ws2027",
    }


# --- Steps ----------------------------------------------------------------------------------


def test_basics_step_saves_and_logs(seminar, client):
    response = client.post(_step(seminar, "basics"), BASICS | {"ects": "5"})
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert seminar.ects == 5
    entry = ActivityEntry.objects.get(action="setup.basics")
    assert entry.new == {"ects": 5}


def test_basics_step_bad_input_changes_nothing(seminar, client):
    response = client.post(_step(seminar, "basics"), BASICS | {"ects": "x", "title": "New"})
    assert response.status_code == 400
    seminar.refresh_from_db()
    assert seminar.title == "Deep Diffusion"
    assert 'value="New"' in response.content.decode()


def test_dates_step_saves_kickoff_sessions_and_deadlines(seminar, client):
    data = _dates_data(seminar) | {
        "sessions-0-date": "2027-03-01",
        "sessions-0-start_time": "09:30",
        "sessions-0-room": "1.06 (E1.1)",
        "sessions-1-date": "2027-03-02",
        "sessions-1-start_time": "09:30",
        "sessions-1-room": "1.06 (E1.1)",
    }
    response = client.post(_step(seminar, "dates"), data)
    assert response.status_code == 302
    assert response.url == _step(seminar, "staff")
    meetings = [(m.kind, m.date.isoformat(), m.room) for m in seminar.meetings.all()]
    assert meetings == [
        ("kickoff", "2026-10-19", "328 (E 1.3)"),
        ("session", "2027-03-01", "1.06 (E1.1)"),
        ("session", "2027-03-02", "1.06 (E1.1)"),
    ]
    seminar.refresh_from_db()
    assert timezone.localtime(seminar.preference_deadline).strftime("%Y-%m-%d %H:%M") == (
        "2026-10-23 23:59"
    )


def test_dates_step_half_a_kickoff_is_refused_and_nothing_lost(seminar, client):
    data = _dates_data(seminar, kickoff_room="", capacity="20") | {
        "sessions-0-date": "2027-03-01",
        "sessions-0-start_time": "09:30",
        "sessions-0-room": "1.06",
    }
    response = client.post(_step(seminar, "dates"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the kick-off&#x27;s date, time and room, or leave all three empty." in page
    assert 'value="2027-03-01"' in page and 'value="20"' in page
    assert seminar.meetings.count() == 0


def test_dates_step_two_sessions_on_one_day_are_refused(seminar, client):
    data = _dates_data(seminar) | {
        f"sessions-{i}-{k}": v
        for i in (0, 1)
        for k, v in {"date": "2027-03-01", "start_time": "09:30", "room": "1"}.items()
    }
    response = client.post(_step(seminar, "dates"), data)
    assert response.status_code == 400
    assert "Two sessions on the same day" in response.content.decode()
    assert seminar.meetings.count() == 0


def test_dates_step_removes_a_session(seminar, client):
    MeetingFactory(seminar=seminar, date=dt.date(2027, 3, 1))
    response = client.post(
        _step(seminar, "dates"), _dates_data(seminar) | {"sessions-0-DELETE": "on"}
    )
    assert response.status_code == 302
    assert seminar.meetings.filter(kind=MeetingKind.SESSION).count() == 0


def test_staff_step_invites_a_new_person_who_sets_a_password_and_gets_the_role(seminar, client):
    response = client.post(
        _step(seminar, "staff"),
        {
            "email": "Greta.Gruber@example.org",
            "full_name": "Greta Gruber",
            "kind": "supervisor",
            "initials": "GG",
        },
    )
    assert response.status_code == 302
    greta = User.objects.get(email="greta.gruber@example.org")
    assert greta.has_usable_password() is False
    role = StaffRole.objects.get(user=greta)
    assert (role.seminar, role.kind, role.initials) == (seminar, StaffKind.SUPERVISOR, "GG")
    email = OutgoingEmail.objects.get(kind="staff_invitation")
    assert (email.to, email.subject) == (
        "greta.gruber@example.org",
        "[DeepDiffusion] You are Supervisor of Deep Diffusion",
    )
    path = re.search(r"http://[^/]+(/accounts/reset/\S+/)", email.body_text).group(1)

    client.logout()
    response = client.get(path, follow=True)  # Django swaps the token for a session marker
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "lantern-meadow-93", "new_password2": "lantern-meadow-93"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("login"), {"username": "greta.gruber@example.org", "password": "lantern-meadow-93"}
    )
    assert response.status_code == 302
    greta.refresh_from_db()
    assert greta.is_staff is True
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_step_an_existing_person_gets_the_role_and_a_login_mail(seminar, client):
    existing = StaffUserFactory(email="moritz@example.org")
    response = client.post(
        _step(seminar, "staff"), {"email": "moritz@example.org", "kind": "organizer"}
    )
    assert response.status_code == 302
    assert StaffRole.objects.filter(user=existing, kind=StaffKind.ORGANIZER).count() == 1
    email = OutgoingEmail.objects.get(kind="staff_invitation")
    assert "/accounts/reset/" not in email.body_text
    assert "Log in with your usual password" in email.body_text


def test_staff_step_bad_address_is_refused_and_kept(seminar, client):
    response = client.post(
        _step(seminar, "staff"), {"email": "greta@", "kind": "supervisor", "initials": "GG"}
    )
    assert response.status_code == 400
    assert 'value="greta@"' in response.content.decode()
    assert OutgoingEmail.objects.count() == 0


def test_staff_step_the_only_organizer_cannot_be_removed(seminar, client):
    role = seminar.staff.get()
    url = reverse("setup:staff_remove", kwargs={"slug": seminar.slug, "pk": role.pk})
    response = client.post(url, follow=True)
    assert "the seminar&#x27;s only organizer" in response.content.decode()
    assert seminar.staff.count() == 1


def _topics_data(rows, initial=0, total_extra=3):
    data = {
        "topics-TOTAL_FORMS": str(max(len(rows), initial + total_extra)),
        "topics-INITIAL_FORMS": str(initial),
        "topics-MIN_NUM_FORMS": "0",
        "topics-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data |= {f"topics-{i}-{k}": v for k, v in row.items()}
    return data


def test_topics_step_adds_topics_with_supervisor_session_and_material(seminar, client):
    session = MeetingFactory(seminar=seminar, date=dt.date(2027, 3, 1))
    role = StaffRoleFactory(seminar=seminar, initials="GG")
    material = services.setup_material_add(seminar=seminar, title="Score SDE", marker="F")
    data = _topics_data(
        [
            {
                "title": "DDPM",
                "year": "2020",
                "url": "https://arxiv.org/abs/2006.11239",
                "supervisor": str(role.pk),
                "mock_group": "1",
                "session": str(session.pk),
                "slot": "1",
                "materials": [str(material.pk)],
            }
        ]
    )
    response = client.post(_step(seminar, "topics"), data)
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert (topic.title, topic.supervisor, topic.session, topic.slot) == ("DDPM", role, session, 1)
    assert list(topic.materials.all()) == [material]


def test_topics_step_another_seminars_supervisor_is_refused(seminar, client):
    foreign = StaffRoleFactory()
    response = client.post(
        _step(seminar, "topics"), _topics_data([{"title": "DDPM", "supervisor": str(foreign.pk)}])
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert Topic.objects.count() == 0


def test_topics_step_says_why_choices_are_empty(seminar, client):
    page = client.get(_step(seminar, "topics")).content.decode()
    assert "No supervisors yet: invite them on the Staff step." in page
    assert "No sessions yet: add them on the Dates step." in page


def test_topics_step_two_topics_in_one_slot_are_refused(seminar, client):
    session = MeetingFactory(seminar=seminar, date=dt.date(2027, 3, 1))
    row = {"title": "A", "session": str(session.pk), "slot": "1"}
    response = client.post(_step(seminar, "topics"), _topics_data([row, row | {"title": "B"}]))
    assert response.status_code == 400
    assert Topic.objects.count() == 0


def test_topics_step_material_is_numbered(seminar, client):
    for title in ("One", "Two"):
        client.post(_step(seminar, "topics"), {"add_material": "1", "material-title": title})
    assert list(seminar.materials.values_list("number", "title")) == [(1, "One"), (2, "Two")]


def test_rules_step_switches_deliverables_and_grade_components(seminar, client):
    data = _rules_data(seminar) | {
        "reports-count": "2",
        "grading-weight_presentation": "70",
        "grading-weight_reports": "30",
        "grading-weight_participation": "0",
    }
    del data["project-enabled"]
    response = client.post(_step(seminar, "rules"), data)
    assert response.status_code == 302
    kinds = dict(seminar.deliverables.values_list("kind", "enabled"))
    assert kinds[DeliverableKind.PROJECT] is False
    assert seminar.deliverables.get(kind=DeliverableKind.REPORTS).count == 2
    scheme = GradingScheme.objects.get(seminar=seminar)
    assert (scheme.weight_presentation, scheme.weight_reports, scheme.weight_participation) == (
        70,
        30,
        0,
    )


def test_rules_step_shows_the_numbers_a_new_seminar_gets(seminar, client):
    page = client.get(_step(seminar, "rules")).content.decode()
    assert 'name="reports-count" value="3"' in page
    assert 'name="project-due_days" value="28"' in page
    assert 'name="grading-weight_presentation" value="50"' in page


def test_rules_step_weights_not_100_refused_and_kept(seminar, client):
    data = _rules_data(seminar) | {"grading-weight_presentation": "60", "reports-count": "2"}
    response = client.post(_step(seminar, "rules"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The three grade weights must add up to 100 %, not 110 %." in page
    assert 'name="reports-count" value="2"' in page
    assert seminar.deliverables.get(kind=DeliverableKind.REPORTS).count == 3
    assert not ActivityEntry.objects.filter(action=selectors.RULES_REVIEWED).exists()


# --- Checklist and opening ------------------------------------------------------------------


def _complete(seminar):
    MeetingFactory(seminar=seminar, date=dt.date(2027, 3, 1))
    seminar.preference_deadline = timezone.now() + dt.timedelta(days=20)
    seminar.registration_closes_at = timezone.now() + dt.timedelta(days=10)
    seminar.save()
    role = StaffRoleFactory(seminar=seminar)
    TopicFactory(seminar=seminar, supervisor=role)
    services.setup_rules_save(seminar=seminar, deliverables={}, scheme={})


def test_checklist_of_a_new_seminar_names_everything_missing(seminar):
    missing = [item.key for item in selectors.setup_checklist(seminar) if not item.done]
    assert missing == [
        "session",
        "preference_deadline",
        "registration_closes",
        "supervisor",
        "topic",
        "topic_supervisors",
        "rules_reviewed",
    ]


def test_checklist_topic_without_supervisor_is_missing(seminar):
    _complete(seminar)
    TopicFactory(seminar=seminar, supervisor=None)
    missing = [item.key for item in selectors.setup_checklist(seminar) if not item.done]
    assert missing == ["topic_supervisors"]


def test_open_registration_refused_while_incomplete(seminar, client):
    response = client.post(reverse("setup:open", kwargs={"slug": seminar.slug}), {})
    assert response.status_code == 400
    assert "Registration cannot open yet. Still missing: at least one session;" in (
        response.content.decode()
    )
    seminar.refresh_from_db()
    assert seminar.registration_opens_at is None


def test_open_registration_when_complete(seminar, client):
    _complete(seminar)
    response = client.post(reverse("setup:open", kwargs={"slug": seminar.slug}), {})
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert seminar.registration_is_open(timezone.now()) is True


def test_open_registration_at_a_later_moment(seminar, client):
    _complete(seminar)
    url = reverse("setup:open", kwargs={"slug": seminar.slug})
    later = timezone.localtime() + dt.timedelta(days=5)
    response = client.post(url, {"opens_at": later.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert timezone.localtime(seminar.registration_opens_at).strftime("%Y-%m-%d %H:%M") == (
        later.strftime("%Y-%m-%d %H:%M")
    )
    assert seminar.registration_is_open(timezone.now()) is False


def test_open_registration_after_it_closes_is_refused(seminar, client):
    _complete(seminar)
    url = reverse("setup:open", kwargs={"slug": seminar.slug})
    response = client.post(url, {"opens_at": "2099-01-01T10:00"})
    assert response.status_code == 400
    assert "Registration must open before it closes" in response.content.decode()
    seminar.refresh_from_db()
    assert seminar.registration_opens_at is None


# --- Public page ----------------------------------------------------------------------------


def test_public_page_of_a_new_seminar_shows_only_what_was_filled_in(seminar, client):
    MeetingFactory(seminar=seminar, date=dt.date(2027, 3, 1), room="Room 101")
    TopicFactory(seminar=seminar, supervisor=None, mock_group=None)
    data = _rules_data(seminar) | {
        "grading-weight_presentation": "100",
        "grading-weight_reports": "0",
        "grading-weight_participation": "0",
    }
    for kind in ("reports", "project", "mock_presentation"):
        del data[f"{kind}-enabled"]
    assert client.post(_step(seminar, "rules"), data).status_code == 302
    page = client.get(seminar.get_absolute_url()).content.decode()
    assert "To pass the seminar" not in page
    assert "Discussion" not in page
    assert "(–, –)" not in page
    assert "in room Room 101" not in page
    assert "in room 101" in page
    assert "Reports" not in page and "Practical project" not in page
    assert "The final grade consists of: your presentation (100%)." in " ".join(page.split())


# --- Access ---------------------------------------------------------------------------------


def test_new_seminar_refused_without_the_permission(client):
    client.force_login(StaffUserFactory())
    assert client.get(reverse("setup:new")).status_code == 403
    assert client.post(reverse("setup:new"), BASICS).status_code == 403
    assert Seminar.objects.count() == 0


def test_new_seminar_organizer_of_another_seminar_has_no_permission(client):
    role = StaffRoleFactory(kind=StaffKind.ORGANIZER)
    client.force_login(role.user)
    assert client.get(reverse("setup:new")).status_code == 403


def test_new_seminar_anonymous_goes_to_login(client):
    response = client.get(reverse("setup:new"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_new_seminar_open_to_a_group_with_the_permission_and_superusers(client):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Chairs")
    group.permissions.add(Permission.objects.get(codename="create_seminar"))
    member = StaffUserFactory()
    member.groups.add(group)
    client.force_login(member)
    assert client.get(reverse("setup:new")).status_code == 200
    client.force_login(User.objects.create_superuser("root@example.org", "pw", full_name="Root"))
    assert client.get(reverse("setup:new")).status_code == 200


@pytest.mark.parametrize("step", ["overview", "basics", "dates", "staff", "topics", "rules"])
def test_setup_pages_of_another_organizers_seminar_are_404(seminar, client, step):
    other = SeminarFactory()
    url = (
        reverse("setup:overview", kwargs={"slug": other.slug})
        if step == "overview"
        else _step(other, step)
    )
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Taken over"}).status_code == 404
    other.refresh_from_db()
    assert other.title != "Taken over"


def test_setup_open_and_remove_of_another_seminar_are_404(seminar, client):
    other = SeminarFactory()
    role = StaffRoleFactory(seminar=other)
    assert client.post(reverse("setup:open", kwargs={"slug": other.slug})).status_code == 404
    url = reverse("setup:staff_remove", kwargs={"slug": other.slug, "pk": role.pk})
    assert client.post(url).status_code == 404
    own = reverse("setup:staff_remove", kwargs={"slug": seminar.slug, "pk": role.pk})
    assert client.post(own).status_code == 404
    assert StaffRole.objects.filter(pk=role.pk).exists()


def test_setup_pages_refused_to_a_supervisor_and_a_student(seminar, client):
    supervisor = StaffRoleFactory(seminar=seminar).user
    for user in (supervisor, UserFactory()):
        client.force_login(user)
        assert client.get(_step(seminar, "basics")).status_code == 404


def test_unknown_step_is_404(seminar, client):
    assert client.get(_step(seminar, "nothing")).status_code == 404


def test_organize_and_my_seminars_link_to_setup(seminar, client):
    assert "/organize/new/" in client.get(reverse("seminar:mine")).content.decode()
    page = client.get(reverse("seminar:organize", kwargs={"slug": seminar.slug})).content.decode()
    assert f"/{seminar.slug}/setup/" in page


def test_my_seminars_has_no_new_seminar_link_without_the_permission(client):
    role = StaffRoleFactory(kind=StaffKind.ORGANIZER)
    client.force_login(role.user)
    assert "/organize/new/" not in client.get(reverse("seminar:mine")).content.decode()


def test_deliverables_of_a_new_seminar_are_listed(seminar):
    assert set(Deliverable.objects.filter(seminar=seminar).values_list("kind", flat=True)) == set(
        DeliverableKind.values
    )


def test_dates_step_capacity_below_seats_taken_is_refused_and_nothing_saved(seminar, client):
    from seminar.tests.factories import RegistrationFactory

    for _ in range(3):
        RegistrationFactory(seminar=seminar)
    data = _dates_data(seminar, capacity="2") | {
        "sessions-0-date": "2027-03-01",
        "sessions-0-start_time": "09:30",
        "sessions-0-room": "1.06",
    }
    response = client.post(_step(seminar, "dates"), data)
    assert response.status_code == 400
    assert "3 seats are taken; the capacity cannot be lower than that." in (
        response.content.decode()
    )
    seminar.refresh_from_db()
    assert (seminar.capacity, seminar.meetings.count(), seminar.preference_deadline) == (
        12,
        0,
        None,
    )


def test_dates_step_higher_capacity_goes_through_the_seats_service(seminar, client):
    response = client.post(_step(seminar, "dates"), _dates_data(seminar, capacity="20"))
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert seminar.capacity == 20
    assert ActivityEntry.objects.get(action="seminar.capacity_set").new == {"capacity": 20}


def test_organizer_page_lists_what_is_missing_until_registration_opens(seminar, client):
    url = reverse("seminar:organize", kwargs={"slug": seminar.slug})
    page = client.get(url).content.decode()
    assert "Before registration can open, this is still missing:" in page
    assert "At least one session" in page
    _complete(seminar)
    client.post(reverse("setup:open", kwargs={"slug": seminar.slug}))
    assert 'data-testid="setup-panel"' not in client.get(url).content.decode()


# --- The checklist holds at every door that opens registration ------------------------------


def test_organizer_page_open_now_refused_while_incomplete_then_opens(seminar, client):
    url = reverse("seminar:registration_toggle", args=[seminar.slug, "open"])
    page = client.post(url, follow=True).content.decode()
    seminar.refresh_from_db()
    assert seminar.registration_opens_at is None
    assert "Registration cannot open yet. Still missing: at least one session;" in page
    _complete(seminar)
    client.post(url)
    seminar.refresh_from_db()
    assert seminar.registration_is_open(timezone.now()) is True


def test_admin_open_action_refused_while_incomplete_then_opens(seminar, client):
    url = reverse("admin:seminar_seminar_changelist")
    data = {"action": "open_registration", "_selected_action": [seminar.pk]}
    page = client.post(url, data, follow=True).content.decode()
    seminar.refresh_from_db()
    assert seminar.registration_opens_at is None
    assert "Registration cannot open yet. Still missing: at least one session;" in page
    _complete(seminar)
    client.post(url, data)
    seminar.refresh_from_db()
    assert seminar.registration_is_open(timezone.now()) is True


@pytest.mark.parametrize("field", ["full_name", "initials"])
@pytest.mark.parametrize("word", ["Greta\x1b[31m", "Greta\nGruber", "Greta\u202e"])
def test_staff_step_refuses_control_characters(seminar, client, field, word):
    data = {"email": "greta@example.org", "full_name": "Greta", "kind": "supervisor"}
    response = client.post(_step(seminar, "staff"), data | {field: word})
    assert (response.status_code, User.objects.filter(email="greta@example.org").count()) == (
        400,
        0,
    )


@pytest.mark.parametrize("field", ["title", "marker"])
def test_topics_step_material_refuses_control_characters(seminar, client, field):
    data = {"add_material": "1", "material-title": "Score SDE"} | {f"material-{field}": "F\x07"}
    response = client.post(_step(seminar, "topics"), data)
    assert (response.status_code, seminar.materials.count()) == (400, 0)


@pytest.mark.parametrize(
    ("name", "values"),
    [
        (
            "setup_staff_invite",
            {"email": "g@example.org", "kind": "supervisor", "initials": "\x07"},
        ),
        ("setup_material_add", {"title": "Score\nSDE"}),
    ],
)
def test_setup_services_refuse_control_characters(seminar, name, values):
    with pytest.raises(Invalid):
        getattr(services, name)(seminar=seminar, **values)
    assert (seminar.materials.count(), User.objects.filter(email="g@example.org").count()) == (
        0,
        0,
    )


# --- The end of the registration window, moved on the dates step ------------------------------


def _dates_keeping(seminar, closes: dt.datetime):
    return _dates_data(
        seminar,
        preference_deadline=timezone.localtime(seminar.preference_deadline).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        registration_closes_at=timezone.localtime(closes).strftime("%Y-%m-%dT%H:%M"),
    )


def test_dates_step_refuses_reopening_registration_while_the_checklist_has_gaps(seminar, client):
    _complete(seminar)
    registration_services.registration_open_now(seminar=seminar)
    registration_services.registration_close_now(seminar=seminar)
    Topic.objects.filter(seminar=seminar).delete()  # a gap again
    closed_at = Seminar.objects.get(pk=seminar.pk).registration_closes_at
    later = timezone.now() + dt.timedelta(days=7)
    response = client.post(_step(seminar, "dates"), _dates_keeping(seminar, later))
    assert response.status_code == 400
    assert (
        "Registration cannot open yet. Still missing: at least one topic; "
        "a supervisor for every topic." in response.content.decode()
    )
    assert Seminar.objects.get(pk=seminar.pk).registration_closes_at == closed_at


def test_dates_step_moves_the_end_when_the_checklist_is_complete(seminar, client):
    _complete(seminar)
    registration_services.registration_open_now(seminar=seminar)
    registration_services.registration_close_now(seminar=seminar)
    later = (timezone.now() + dt.timedelta(days=7)).replace(second=0, microsecond=0)
    response = client.post(_step(seminar, "dates"), _dates_keeping(seminar, later))
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert seminar.registration_closes_at == later
    assert seminar.registration_is_open(timezone.now()) is True


def test_dates_step_may_end_registration_earlier_while_the_checklist_has_gaps(seminar, client):
    _complete(seminar)
    registration_services.registration_open_now(seminar=seminar)
    Topic.objects.filter(seminar=seminar).delete()
    sooner = (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    response = client.post(_step(seminar, "dates"), _dates_keeping(seminar, sooner))
    assert response.status_code == 302
    assert Seminar.objects.get(pk=seminar.pk).registration_closes_at == sooner


def test_dates_step_refuses_a_room_with_control_characters(seminar, client):
    response = client.post(_step(seminar, "dates"), _dates_data(seminar, kickoff_room="3\x1b28"))
    assert response.status_code == 400
    assert "Use one line of ordinary text, without control characters." in (
        response.content.decode()
    )
    assert not seminar.meetings.exists()
    data = _dates_data(
        seminar,
        **{
            "sessions-0-date": "2027-03-01",
            "sessions-0-start_time": "09:30",
            "sessions-0-room": "1.06\u202e",
        },
    )
    response = client.post(_step(seminar, "dates"), data)
    assert response.status_code == 400
    assert not seminar.meetings.exists()
