"""The registration window typed by hand in the admin: opening now or later needs the setup
checklist complete, as every other way of opening registration; closing never does."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from seminar.enums import StaffKind
from seminar.models import ActivityEntry, Seminar
from seminar.services.carry import seminar_carry_forward
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.tests.admin_pages import page_data
from seminar.tests.factories import (
    MeetingFactory,
    SeminarFactory,
    StaffRoleFactory,
    StaffUserFactory,
)
from setup.services import setup_rules_save
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

REFUSAL = "Registration cannot open yet. Still missing: "


@pytest.fixture
def organizer():
    staff_groups_ensure()
    return StaffUserFactory(full_name="Olga Organizer")


@pytest.fixture
def seminar(organizer):
    """Registration not opened, and the checklist lacks sessions, supervisors, topics and the
    reviewed rules (its contact and window end are there)."""
    seminar = SeminarFactory(
        title="Ours",
        registration_opens_at=None,
        registration_closes_at=timezone.now() + dt.timedelta(days=20),
        preference_deadline=timezone.now() + dt.timedelta(days=30),
    )
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
    return seminar


def complete(seminar):
    MeetingFactory(seminar=seminar)
    TopicFactory(seminar=seminar, supervisor=StaffRoleFactory(seminar=seminar))
    setup_rules_save(seminar=seminar, deliverables={}, scheme={})


def split(moment: dt.datetime) -> tuple[str, str]:
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def window(data: dict, opens: dt.datetime | None, closes: dt.datetime | None) -> dict:
    for name, moment in (("registration_opens_at", opens), ("registration_closes_at", closes)):
        day, time = split(moment) if moment else ("", "")
        data[f"{name}_0"], data[f"{name}_1"] = day, time
    return data


def post_window(client, seminar, opens, closes):
    url = reverse("admin:seminar_seminar_change", args=[seminar.pk])
    return client.post(url, window(page_data(client.get(url)), opens, closes))


def stored_window(seminar) -> tuple:
    return Seminar.objects.values_list("registration_opens_at", "registration_closes_at").get(
        pk=seminar.pk
    )


def test_admin_refuses_a_window_open_now_while_the_checklist_has_gaps(client, seminar, organizer):
    client.force_login(organizer)
    before = stored_window(seminar)
    now = timezone.now()
    response = post_window(client, seminar, now - dt.timedelta(hours=1), now + dt.timedelta(days=5))
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == [
        REFUSAL + "at least one session; at least one supervisor; at least one topic; "
        "a supervisor for every topic; deliverables and grading reviewed and saved."
    ]
    assert stored_window(seminar) == before


def test_admin_refuses_scheduling_an_opening_while_the_checklist_has_gaps(
    client, seminar, organizer
):
    client.force_login(organizer)
    now = timezone.now()
    response = post_window(client, seminar, now + dt.timedelta(days=2), now + dt.timedelta(days=9))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()[0].startswith(REFUSAL)
    assert stored_window(seminar)[0] is None


def test_admin_sets_the_window_once_the_checklist_is_complete(client, seminar, organizer):
    complete(seminar)
    client.force_login(organizer)
    now = timezone.now().replace(microsecond=0)
    opens, closes = now - dt.timedelta(hours=1), now + dt.timedelta(days=5)
    response = post_window(client, seminar, opens, closes)
    assert response.status_code == 302
    assert stored_window(seminar) == (opens, closes)


def test_admin_may_shorten_or_close_an_open_window_while_gaps_exist(client, organizer):
    """A seminar open before the checklist existed (the factory's) can still be closed."""
    now = timezone.now().replace(microsecond=0)
    seminar = SeminarFactory(
        registration_opens_at=now - dt.timedelta(days=1),
        registration_closes_at=now + dt.timedelta(days=10),
    )
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
    client.force_login(organizer)
    opens = now - dt.timedelta(days=1)
    assert post_window(client, seminar, opens, now + dt.timedelta(days=3)).status_code == 302
    assert post_window(client, seminar, opens, now - dt.timedelta(hours=1)).status_code == 302
    assert stored_window(seminar) == (opens, now - dt.timedelta(hours=1))
    # Reopening it is opening registration again: refused.
    response = post_window(client, seminar, opens, now + dt.timedelta(days=3))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()[0].startswith(REFUSAL)
    assert stored_window(seminar) == (opens, now - dt.timedelta(hours=1))


def test_admin_other_fields_of_an_open_seminar_with_gaps_still_save(client, organizer):
    seminar = SeminarFactory(title="Old title")
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
    client.force_login(organizer)
    url = reverse("admin:seminar_seminar_change", args=[seminar.pk])
    data = page_data(client.get(url)) | {"title": "New title"}
    assert client.post(url, data).status_code == 302
    assert Seminar.objects.get(pk=seminar.pk).title == "New title"


def test_admin_new_seminar_with_an_open_window_is_refused(client):
    """A seminar created in the admin has no sessions, staff or topics yet: it cannot open."""
    staff_groups_ensure()
    admin = StaffUserFactory(is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:seminar_seminar_add")
    data = page_data(client.get(url)) | {
        "title": "Brand new",
        "slug": "brand-new",
        "tag": "New",
        "contact_name": "Ada Example",
        "contact_email": "ada@example.org",
    }
    now = timezone.now()
    response = client.post(url, window(data, now, now + dt.timedelta(days=7)))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        REFUSAL + "at least one session; the preference deadline; at least one supervisor; "
        "at least one topic; a supervisor for every topic; grade weights that add up to 100 %; "
        "deliverables and grading reviewed and saved."
    ]
    assert not Seminar.objects.filter(slug="brand-new").exists()

    response = client.post(url, window(data, None, now + dt.timedelta(days=7)))
    assert response.status_code == 302
    assert Seminar.objects.get(slug="brand-new").registration_opens_at is None


def test_next_run_keeps_no_opening_its_checklist_does_not_allow(seminar, organizer):
    """The moved opening of the next run would open it by itself: the new run's rules are not
    reviewed yet, so it waits for the organizer."""
    complete(seminar)
    now = timezone.now()
    seminar.registration_opens_at = now - dt.timedelta(days=1)
    seminar.save()
    target = seminar_carry_forward(source=seminar, term="Next", shift_weeks=52, actor=organizer)
    assert target.registration_opens_at is None
    assert Seminar.objects.get(pk=target.pk).registration_opens_at is None
    assert target.registration_closes_at == seminar.registration_closes_at + dt.timedelta(weeks=52)
    entry = ActivityEntry.objects.get(action="seminar.carried_forward", seminar=target)
    assert entry.new["registration_opens_at"] is None


def test_admin_resaving_a_scheduled_window_as_shown_is_no_new_opening(client, organizer):
    """The admin shows moments to the second; sending them back unchanged opens nothing new,
    even for an opening scheduled before the checklist existed (the factory's)."""
    now = timezone.now()
    opens = (now + dt.timedelta(days=3)).replace(microsecond=654321)
    closes = (now + dt.timedelta(days=9)).replace(microsecond=123456)
    seminar = SeminarFactory(registration_opens_at=opens, registration_closes_at=closes)
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
    client.force_login(organizer)
    response = post_window(client, seminar, opens, closes)
    assert response.status_code == 302
    assert stored_window(seminar) == (opens.replace(microsecond=0), closes.replace(microsecond=0))
    # One second earlier is a new opening moment: refused while the checklist has gaps.
    response = post_window(client, seminar, opens - dt.timedelta(seconds=1), closes)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()[0].startswith(REFUSAL)
