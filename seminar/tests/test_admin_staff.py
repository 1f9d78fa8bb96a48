"""Staff in the admin: added by e-mail address through the service, removed through it too."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from seminar.enums import StaffKind
from seminar.models import ActivityEntry, StaffRole, User
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.tests.admin_pages import add_row, page_data
from seminar.tests.factories import RegistrationFactory, SeminarFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

ADD = "staff-2"  # the "add staff by e-mail address" rows; "staff" lists the roles held


@pytest.fixture
def seminar():
    staff_groups_ensure()
    return SeminarFactory(title="Ours")


@pytest.fixture
def organizer(seminar):
    user = StaffUserFactory(full_name="Olga Organizer")
    staff_role_add(seminar=seminar, user=user, kind=StaffKind.ORGANIZER)
    return user


def change_url(seminar) -> str:
    return reverse("admin:seminar_seminar_change", args=[seminar.pk])


def post_page(client, seminar, edit) -> object:
    data = edit(page_data(client.get(change_url(seminar))))
    return client.post(change_url(seminar), data)


def add_staff(client, seminar, **row):
    row = {"full_name": "", "listed_as": "", "initials": "", "max_students": ""} | row
    return post_page(client, seminar, lambda data: add_row(data, ADD, **row))


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_staff_added_by_address_gets_role_group_and_admin(client, seminar, organizer):
    person = RegistrationFactory(seminar=SeminarFactory()).student  # a student elsewhere
    client.force_login(organizer)
    response = add_staff(
        client, seminar, email=person.email.upper(), kind=StaffKind.SUPERVISOR, initials="PS"
    )
    assert response.status_code == 302
    person.refresh_from_db()
    role = StaffRole.objects.get(seminar=seminar, user=person)
    assert (role.kind, role.initials, person.is_staff) == (StaffKind.SUPERVISOR, "PS", True)
    assert list(person.groups.values_list("name", flat=True)) == ["Supervisor"]
    entry = ActivityEntry.objects.get(action="staff.added", object_id=str(role.pk))
    assert (entry.actor, entry.seminar, entry.new) == (
        organizer,
        seminar,
        {"person": person.email, "kind": "supervisor"},
    )


def test_unknown_address_gets_an_account_without_password(client, seminar, organizer):
    client.force_login(organizer)
    add_staff(
        client, seminar, email="New.Person@Example.org", full_name="New Person", kind="supervisor"
    )
    person = User.objects.get(email="new.person@example.org")
    assert (person.full_name, person.has_usable_password(), person.is_staff) == (
        "New Person",
        False,
        True,
    )


def test_unknown_address_with_control_characters_in_the_name_gets_no_account(
    client, seminar, organizer
):
    client.force_login(organizer)
    response = add_staff(
        client, seminar, email="new@example.org", full_name="New\x1b[31m", kind="supervisor"
    )
    assert (response.status_code, User.objects.filter(email="new@example.org").count()) == (
        200,
        0,
    )


def test_the_message_is_the_same_whether_the_account_existed(client, seminar, organizer):
    StaffUserFactory(email="known@example.org")
    client.force_login(organizer)
    told = []
    for email in ("known@example.org", "unknown@example.org"):
        response = add_staff(client, seminar, email=email, kind=StaffKind.SUPERVISOR)
        told.append([m.replace(email, "ADDRESS") for m in messages_of(response) if email in m])
    assert told[0] == told[1]
    assert "Forgot password?" in told[0][0]


def test_staff_rows_offer_no_list_of_people(client, seminar, organizer):
    client.force_login(organizer)
    response = client.get(change_url(seminar))
    fields = {
        formset.formset.prefix: list(formset.formset.empty_form.fields)
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.model is StaffRole
    }
    assert fields == {
        "staff": ["listed_as", "initials", "max_students", "position", "id", "DELETE", "seminar"],
        ADD: [
            "email",
            "full_name",
            "kind",
            "listed_as",
            "initials",
            "max_students",
            "id",
            "seminar",
        ],
    }


def test_forged_user_id_in_the_staff_rows_adds_nobody(client, seminar, organizer):
    stranger = RegistrationFactory(seminar=SeminarFactory()).student
    client.force_login(organizer)
    add_row_data = {"user": str(stranger.pk), "kind": StaffKind.ORGANIZER}
    post_page(client, seminar, lambda data: add_row(data, "staff", **add_row_data))
    post_page(client, seminar, lambda data: add_row(data, ADD, **add_row_data))
    assert list(seminar.staff.values_list("user", flat=True)) == [organizer.pk]


def test_organizer_makes_a_co_organizer(client, seminar, organizer):
    client.force_login(organizer)
    add_staff(client, seminar, email="co@example.org", kind=StaffKind.ORGANIZER)
    co = User.objects.get(email="co@example.org")
    assert list(co.groups.values_list("name", flat=True)) == ["Organizer"]
    assert co.has_perm("seminar.change_seminar") is True


def test_supervisor_and_other_organizer_cannot_add_staff(client, seminar, organizer):
    supervisor = StaffUserFactory()
    staff_role_add(seminar=seminar, user=supervisor, kind=StaffKind.SUPERVISOR)
    other = StaffUserFactory()
    staff_role_add(seminar=SeminarFactory(), user=other, kind=StaffKind.ORGANIZER)
    client.force_login(organizer)
    data = add_row(page_data(client.get(change_url(seminar))), ADD, email="x@example.org")
    data[f"{ADD}-0-kind"] = StaffKind.ORGANIZER
    client.force_login(supervisor)
    assert client.post(change_url(seminar), data).status_code == 403
    client.force_login(other)
    assert client.post(change_url(seminar), data).status_code == 302  # "does not exist"
    assert User.objects.filter(email="x@example.org").exists() is False


def test_holding_the_role_already_is_a_form_error(client, seminar, organizer):
    client.force_login(organizer)
    response = add_staff(client, seminar, email=organizer.email, kind=StaffKind.ORGANIZER)
    assert response.status_code == 200
    errors = [form.errors for form in response.context["inline_admin_formsets"][1].formset]
    assert errors == [{"email": ["This person holds that role in this seminar already."]}]


def test_removing_a_role_goes_through_the_service(client, seminar, organizer):
    supervisor = StaffUserFactory()
    role = staff_role_add(seminar=seminar, user=supervisor, kind=StaffKind.SUPERVISOR)
    client.force_login(organizer)
    index = list(seminar.staff.order_by("position", "pk")).index(role)
    response = post_page(client, seminar, lambda data: data | {f"staff-{index}-DELETE": "on"})
    assert response.status_code == 302
    supervisor.refresh_from_db()
    assert StaffRole.objects.filter(pk=role.pk).exists() is False
    assert (list(supervisor.groups.all()), supervisor.is_staff) == ([], False)
    entry = ActivityEntry.objects.get(action="staff.removed")
    assert (entry.actor, entry.old) == (
        organizer,
        {"person": supervisor.email, "kind": "supervisor"},
    )


def test_removing_every_organizer_at_once_is_refused(client, seminar, organizer):
    second = StaffUserFactory()
    staff_role_add(seminar=seminar, user=second, kind=StaffKind.ORGANIZER)
    client.force_login(organizer)
    both = {"staff-0-DELETE": "on", "staff-1-DELETE": "on"}
    response = post_page(client, seminar, lambda data: data | both)
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [
        "A seminar keeps at least one organizer; add another organizer first."
    ]
    assert seminar.staff.count() == 2


def test_removing_one_role_keeps_the_group_of_another(seminar, organizer):
    from seminar.services.staff import staff_role_remove

    other_seminar = SeminarFactory()
    supervisor = StaffUserFactory()
    role = staff_role_add(seminar=seminar, user=supervisor, kind=StaffKind.SUPERVISOR)
    staff_role_add(seminar=other_seminar, user=supervisor, kind=StaffKind.SUPERVISOR)
    staff_role_remove(role=role)
    supervisor.refresh_from_db()
    assert (list(supervisor.groups.values_list("name", flat=True)), supervisor.is_staff) == (
        ["Supervisor"],
        True,
    )


def test_the_only_organizer_cannot_be_removed(client, seminar, organizer):
    client.force_login(organizer)
    response = post_page(client, seminar, lambda data: data | {"staff-0-DELETE": "on"})
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [
        "Olga Organizer is the seminar's only organizer; add another organizer before "
        "removing them."
    ]
    assert seminar.staff.filter(user=organizer).exists() is True
