"""The admin shows staff only their own seminars; state changes go through the services."""

import pytest
from django.urls import reverse

from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import ActivityEntry, Registration, Seminar, User
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.tests.admin_pages import page_data
from seminar.tests.factories import (
    RegistrationFactory,
    SeminarFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = RegistrationStatus


@pytest.fixture
def two_seminars():
    staff_groups_ensure()
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
    inlines = ("staff", "staff-2", "meetings", "criteria", "materials", "topics", "deliverables")
    for prefix in (*inlines, "grading_scheme", "file_retention"):
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
    assert created.file_retention.retention_days == 365


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


def test_admin_user_forms_store_addresses_lowercased(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.post(
        reverse("admin:seminar_user_add"),
        {
            "email": "Ada.Lovelace@Example.ORG",
            "full_name": "Ada Lovelace",
            "password1": "an-unusual-passphrase-7",
            "password2": "an-unusual-passphrase-7",
        },
    )
    ada = User.objects.get(full_name="Ada Lovelace")
    assert ada.email == "ada.lovelace@example.org"
    url = reverse("admin:seminar_user_change", args=[ada.pk])
    data = page_data(client.get(url)) | {"email": "ADA@Example.org"}
    assert client.post(url, data).status_code == 302
    ada.refresh_from_db()
    assert ada.email == "ada@example.org"


def test_organizer_cannot_edit_people(client, two_seminars):
    ours, theirs = two_seminars
    mine = RegistrationFactory(seminar=ours).student
    other = RegistrationFactory(seminar=theirs).student
    client.force_login(staff(ours, StaffKind.ORGANIZER))
    for person in (mine, other):  # people are the superusers' to edit
        url = reverse("admin:seminar_user_change", args=[person.pk])
        assert client.post(url, {"email": "x@example.org", "full_name": "X"}).status_code == 403
        person.refresh_from_db()
        assert person.email != "x@example.org"


def test_organizer_sees_study_details_of_their_students_only(client, two_seminars):
    ours, theirs = two_seminars
    student = RegistrationFactory(seminar=ours).student
    colleague = RegistrationFactory(seminar=theirs).student
    staff_role_add(seminar=ours, user=colleague, kind=StaffKind.SUPERVISOR)
    client.force_login(staff(ours, StaffKind.ORGANIZER))
    shown = {}
    for person in (student, colleague):
        form = client.get(reverse("admin:seminar_user_change", args=[person.pk])).context[
            "adminform"
        ]
        shown[person.full_name] = [f for _, spec in form.fieldsets for f in spec["fields"]]
    assert shown == {
        student.full_name: [
            "email",
            "password",
            "full_name",
            "matriculation_number",
            "degree_level",
            "programme",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "last_login",
            "date_joined",
        ],
        colleague.full_name: ["email", "password", "full_name"],
    }
    response = client.get(reverse("admin:seminar_user_changelist"))
    numbers = {
        u.full_name: response.context["cl"].model_admin.matriculation(u)
        for u in response.context["cl"].result_list
    }
    assert numbers[colleague.full_name] == ""
    assert numbers[student.full_name] == student.matriculation_number


def test_supervisor_cannot_open_or_close_registration(client, two_seminars):
    ours, _ = two_seminars
    ours.registration_closes_at = None
    ours.save()
    client.force_login(staff(ours, StaffKind.SUPERVISOR))
    url = reverse("admin:seminar_seminar_changelist")
    for action in ("open_registration", "close_registration"):
        client.post(url, {"action": action, "_selected_action": [ours.pk]})
    ours.refresh_from_db()
    assert ours.registration_closes_at is None
    assert ActivityEntry.objects.filter(action__startswith="registration.").count() == 0


def test_organizer_acts_only_where_they_organize(client, two_seminars):
    ours, theirs = two_seminars
    user = staff(ours, StaffKind.ORGANIZER)
    staff_role_add(seminar=theirs, user=user, kind=StaffKind.SUPERVISOR)
    client.force_login(user)
    url = reverse("admin:seminar_seminar_changelist")
    client.post(url, {"action": "close_registration", "_selected_action": [ours.pk, theirs.pk]})
    closed = set(
        Seminar.objects.filter(registration_closes_at__isnull=False).values_list("title", flat=True)
    )
    assert closed == {"Ours"}
    change_theirs = reverse("admin:seminar_seminar_change", args=[theirs.pk])
    assert client.get(change_theirs).status_code == 200  # as a supervisor: to read
    assert client.post(change_theirs, {"title": "Changed"}).status_code == 403
