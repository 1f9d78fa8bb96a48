"""One line of text through every door: the admin's seminar page and its inlines, the other
admin pages, and the services that write such text without a form."""

import pytest
from django.apps import apps
from django.urls import reverse

from seminar.enums import StaffKind
from seminar.errors import Invalid
from seminar.models import Meeting, PresentationCriterion, Seminar, StaffRole, User
from seminar.services.staff import staff_groups_ensure, staff_member_add, staff_role_add
from seminar.tests.admin_pages import add_row, page_data
from seminar.tests.factories import SeminarFactory, StaffUserFactory
from seminar.tests.test_fuzz_forms import ONE_LINE
from seminar.validators import OneLineValidator
from setup.services import setup_material_add
from topics.models import SupplementaryMaterial, Topic
from topics.services.topic_list import topic_list_check
from topics.tests.factories import MaterialFactory, TopicFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Use one line of ordinary text, without control characters."
# Escape, a direction override, a line break and a tab: each refused with the message. (NUL
# is refused by every form field before, with Django's own message; see test_nul_* below.)
BAD = ["\x1b[3m", "\u202e", "a\nb", "a\tb"]


@pytest.fixture
def organizer():
    staff_groups_ensure()
    return StaffUserFactory(full_name="Olga Organizer")


@pytest.fixture
def seminar(organizer):
    seminar = SeminarFactory(title="Ours")
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER, initials="OO")
    return seminar


def change_url(seminar) -> str:
    return reverse("admin:seminar_seminar_change", args=[seminar.pk])


def post_page(client, url, edit):
    return client.post(url, edit(page_data(client.get(url))))


def snapshot(seminar) -> tuple:
    """Everything of the seminar the posts below could store."""
    return (
        list(Seminar.objects.filter(pk=seminar.pk).values()),
        list(StaffRole.objects.filter(seminar=seminar).values()),
        list(Meeting.objects.filter(seminar=seminar).values()),
        list(PresentationCriterion.objects.filter(seminar=seminar).values()),
        User.objects.count(),
    )


def test_every_one_line_model_field_is_watched_by_the_fuzz_tests():
    refusing = {
        (m._meta.app_label, m._meta.model_name, f.name)
        for m in apps.get_models()
        for f in m._meta.concrete_fields
        if any(isinstance(v, OneLineValidator) for v in f.validators)
    }
    watched = {(app, model, name) for (app, model), names in ONE_LINE.items() for name in names}
    assert refusing == watched - {("seminar", "user", "matriculation_number")}


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize("field", ["listed_as", "initials"])
def test_admin_staff_inline_refuses_control_characters(client, seminar, organizer, field, bad):
    client.force_login(organizer)
    before = snapshot(seminar)
    response = post_page(client, change_url(seminar), lambda d: d | {f"staff-0-{field}": bad})
    assert response.status_code == 200
    (errors,) = [
        inline.formset.errors
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "staff"
    ]
    assert errors == [{field: [MESSAGE]}]
    assert snapshot(seminar) == before


@pytest.mark.parametrize("bad", BAD)
def test_admin_add_staff_row_refuses_control_characters(client, seminar, organizer, bad):
    client.force_login(organizer)
    before = snapshot(seminar)
    row = {
        "email": "new.person@example.org",
        "full_name": "New Person",
        "kind": StaffKind.SUPERVISOR,
        "listed_as": f"Dr. {bad}",
        "initials": "NP",
        "max_students": "",
    }
    response = post_page(client, change_url(seminar), lambda d: add_row(d, "staff-2", **row))
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert snapshot(seminar) == before


def test_admin_add_staff_row_refuses_an_address_with_control_characters(client, seminar, organizer):
    client.force_login(organizer)
    before = snapshot(seminar)
    row = {"email": '"a\x1bb"@example.org', "kind": StaffKind.SUPERVISOR, "max_students": ""}
    response = post_page(client, change_url(seminar), lambda d: add_row(d, "staff-2", **row))
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert snapshot(seminar) == before


@pytest.mark.parametrize(
    "field", ["language", "eligibility", "exam_registration_note", "term", "contact_name"]
)
def test_admin_seminar_fields_refuse_control_characters(client, seminar, organizer, field):
    client.force_login(organizer)
    before = snapshot(seminar)
    response = post_page(client, change_url(seminar), lambda d: d | {field: "x\x1b]0;y"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {field: [MESSAGE]}
    assert snapshot(seminar) == before


def test_admin_meeting_and_criterion_inlines_refuse_control_characters(client, seminar, organizer):
    client.force_login(organizer)
    before = snapshot(seminar)
    meeting = {
        "kind": "session",
        "date": "2027-03-01",
        "start_time": "09:30:00",
        "room": "1.06\u202e",
        "talk_slots": "6",
        "slot_minutes": "45",
    }
    response = post_page(
        client,
        change_url(seminar),
        lambda d: add_row(
            add_row(d, "meetings", **meeting), "criteria", position="0", text="Clear\x1b"
        ),
    )
    assert response.status_code == 200
    errors = {
        inline.formset.prefix: inline.formset.errors
        for inline in response.context["inline_admin_formsets"]
    }
    assert errors["meetings"] == [{"room": [MESSAGE]}]
    assert errors["criteria"] == [{"text": [MESSAGE]}]
    assert snapshot(seminar) == before


def test_nul_in_an_inline_is_refused_and_nothing_stored(client, seminar, organizer):
    client.force_login(organizer)
    before = snapshot(seminar)
    response = post_page(client, change_url(seminar), lambda d: d | {"staff-0-initials": "O\x00"})
    assert response.status_code == 200
    assert snapshot(seminar) == before


def test_admin_topic_and_material_pages_refuse_control_characters(client, seminar, organizer):
    client.force_login(organizer)
    topic = TopicFactory(seminar=seminar, url="https://example.org/paper")
    material = MaterialFactory(seminar=seminar)
    url = reverse("admin:topics_topic_change", args=[topic.pk])
    response = post_page(client, url, lambda d: d | {"url": "https://example.org/\x1b[2J"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"url": [MESSAGE]}
    assert Topic.objects.get(pk=topic.pk).url == "https://example.org/paper"
    url = reverse("admin:topics_supplementarymaterial_change", args=[material.pk])
    response = post_page(client, url, lambda d: d | {"title": "Notes\u202e", "marker": "F\x1b"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"title": [MESSAGE], "marker": [MESSAGE]}
    stored = SupplementaryMaterial.objects.get(pk=material.pk)
    assert (stored.title, stored.marker) == (material.title, material.marker)


# --- Services that write without a form -----------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [{"initials": "A\x1b"}, {"listed_as": "Dr.\u202e Evil"}],
    ids=["initials", "listed_as"],
)
def test_staff_role_add_refuses_control_characters(seminar, values):
    person = StaffUserFactory()
    with pytest.raises(Invalid) as refused:
        staff_role_add(seminar=seminar, user=person, kind=StaffKind.SUPERVISOR, **values)
    assert refused.value.message == MESSAGE
    assert not StaffRole.objects.filter(user=person).exists()


@pytest.mark.parametrize(
    "values",
    [{"email": '"x\x1b"@example.org'}, {"email": "x@example.org", "full_name": "X\nY"}],
    ids=["email", "full_name"],
)
def test_staff_member_add_refuses_control_characters(seminar, values):
    users = User.objects.count()
    with pytest.raises(Invalid) as refused:
        staff_member_add(seminar=seminar, kind=StaffKind.SUPERVISOR, **values)
    assert refused.value.message == MESSAGE
    assert User.objects.count() == users


def test_material_add_refuses_a_link_with_control_characters(seminar):
    with pytest.raises(Invalid):
        setup_material_add(seminar=seminar, title="Notes", url="https://example.org/\u202e")
    assert not SupplementaryMaterial.objects.filter(seminar=seminar).exists()


def test_topic_list_import_refuses_control_characters(seminar):
    role = supervisor_of(seminar)
    text = (
        "title,year,paper_link,supervisor_email\n"
        f'"Esc\x1b[31m title",2023,,{role.user.email}\n'
        f"Fine title,2023,https://example.org/\u202e,{role.user.email}\n"
    )
    preview = topic_list_check(seminar=seminar, text=text)
    assert [row.problems for row in preview.rows] == [
        ["the title holds control characters"],
        ["“https://example.org/\u202e” is not a web address"],
    ]
    assert not preview.is_valid


def supervisor_of(seminar):
    return staff_role_add(
        seminar=seminar, user=StaffUserFactory(), kind=StaffKind.SUPERVISOR, initials="SV"
    )
