"""The admin shows staff only their own seminars; state changes go through the services."""

import pytest
from django.urls import reverse

from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import Registration, Seminar
from seminar.services.staff import staff_role_add
from seminar.tests.factories import (
    RegistrationFactory,
    SeminarFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db

Status = RegistrationStatus


@pytest.fixture
def two_seminars():
    return SeminarFactory(title="Ours"), SeminarFactory(title="Theirs")


def staff(seminar, kind):
    user = StaffUserFactory()
    staff_role_add(seminar=seminar, user=user, kind=kind)
    return user


@pytest.mark.parametrize("kind", [StaffKind.ORGANIZER, StaffKind.SUPERVISOR])
def test_staff_see_only_their_seminars_in_admin(client, two_seminars, kind):
    ours, theirs = two_seminars
    client.force_login(staff(ours, kind))
    response = client.get(reverse("admin:seminar_seminar_changelist"))
    assert [s.title for s in response.context["cl"].result_list] == ["Ours"]
    assert client.get(reverse("admin:seminar_seminar_change", args=[theirs.pk])).status_code == 302


def test_staff_see_only_registrations_of_their_seminars(client, two_seminars):
    ours, theirs = two_seminars
    mine = RegistrationFactory(seminar=ours)
    RegistrationFactory(seminar=theirs)
    client.force_login(staff(ours, StaffKind.SUPERVISOR))
    response = client.get(reverse("admin:seminar_registration_changelist"))
    assert [r.pk for r in response.context["cl"].result_list] == [mine.pk]


def test_supervisor_cannot_change_seminar(client, two_seminars):
    ours, _ = two_seminars
    client.force_login(staff(ours, StaffKind.SUPERVISOR))
    url = reverse("admin:seminar_seminar_change", args=[ours.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "Changed"}).status_code == 403
    ours.refresh_from_db()
    assert ours.title == "Ours"


def test_admin_remove_action_passes_seat_on(client, two_seminars):
    ours, _ = two_seminars
    ours.capacity = 1
    ours.save()
    holder = RegistrationFactory(seminar=ours)
    waiting = RegistrationFactory(seminar=ours, status=Status.WAITING)
    client.force_login(staff(ours, StaffKind.ORGANIZER))
    client.post(
        reverse("admin:seminar_registration_changelist"),
        {"action": "remove", "_selected_action": [holder.pk]},
    )
    assert Registration.objects.get(pk=holder.pk).status == Status.REMOVED
    assert Registration.objects.get(pk=waiting.pk).status == Status.OFFERED


def test_admin_export_csv_action(client, two_seminars):
    ours, _ = two_seminars
    registration = RegistrationFactory(seminar=ours)
    client.force_login(staff(ours, StaffKind.ORGANIZER))
    response = client.post(
        reverse("admin:seminar_registration_changelist"),
        {"action": "export_csv", "_selected_action": [registration.pk]},
    )
    lines = response.content.decode().splitlines()
    assert (
        lines[0]
        == "seminar,name,email,matriculation_number,status,waiting_position,joined_at,confirmed_at"
    )
    assert lines[1].startswith(
        f"{ours.slug},{registration.student.full_name},{registration.student.email},"
    )
    assert len(lines) == 2


def test_staff_role_puts_user_in_group_and_admin(two_seminars):
    ours, _ = two_seminars
    user = staff(ours, StaffKind.ORGANIZER)
    assert user.is_staff is True
    assert list(user.groups.values_list("name", flat=True)) == ["Organizer"]
    assert user.has_perm("seminar.change_seminar") is True


def test_organizer_who_adds_a_seminar_organizes_it(client):
    organizer = staff(SeminarFactory(), StaffKind.ORGANIZER)
    client.force_login(organizer)
    form = {
        "title": "New seminar",
        "slug": "new-seminar",
        "tag": "New",
        "language": "English",
        "ects": "5",
        "mode": "in_person",
        "contact_name": "C",
        "contact_email": "c@example.org",
        "capacity": "10",
        "offer_hours": "48",
        "talk_minutes": "20",
        "talk_max_minutes": "25",
        "exam_registration_note": "",
    }
    inlines = ("staff", "meetings", "criteria", "materials", "topics", "deliverables")
    for prefix in (*inlines, "grading_scheme"):
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:seminar_seminar_add"), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Seminar.objects.get(slug="new-seminar")
    assert list(created.staff.values_list("user", "kind")) == [(organizer.pk, StaffKind.ORGANIZER)]
    # Every app added its settings: the four deliverables and the grading scheme.
    assert sorted(created.deliverables.values_list("kind", flat=True)) == [
        "mock_presentation",
        "project",
        "reports",
        "slide_draft",
    ]
    scheme = created.grading_scheme
    assert (scheme.weight_presentation, scheme.weight_reports, scheme.weight_participation) == (
        50,
        35,
        15,
    )


def test_organizer_sees_only_people_of_own_seminars(client, two_seminars):
    ours, theirs = two_seminars
    mine = RegistrationFactory(seminar=ours).student
    RegistrationFactory(seminar=theirs)
    organizer = staff(ours, StaffKind.ORGANIZER)
    client.force_login(organizer)
    response = client.get(reverse("admin:seminar_user_changelist"))
    assert sorted(u.pk for u in response.context["cl"].result_list) == sorted(
        [mine.pk, organizer.pk]
    )
