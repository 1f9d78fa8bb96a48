"""The admin's topic and material forms: only the organizer's own seminars, whatever is POSTed."""

import pytest
from django.urls import reverse

from seminar.enums import MeetingKind, StaffKind
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.tests.admin_pages import page_data
from seminar.tests.factories import (
    MeetingFactory,
    SeminarFactory,
    StaffRoleFactory,
    StaffUserFactory,
    UserFactory,
)
from submissions.models import Deliverable
from topics.models import SupplementaryMaterial, Topic
from topics.tests.factories import MaterialFactory, TopicFactory

pytestmark = pytest.mark.django_db

CHOOSE_OWN = ["Choose from this seminar's own entries."]


@pytest.fixture
def seminars():
    """Seminar A with its supervisor, session and material; C is organized by `organizer`."""
    staff_groups_ensure()
    a, c = SeminarFactory(title="A"), SeminarFactory(title="C")
    for seminar in (a, c):
        StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR)
        MeetingFactory(seminar=seminar)
        MaterialFactory(seminar=seminar)
    return a, c


@pytest.fixture
def organizer(seminars, client):
    user = StaffUserFactory()
    staff_role_add(seminar=seminars[1], user=user, kind=StaffKind.ORGANIZER)
    client.force_login(user)
    return user


def parts(seminar):
    return {
        "supervisor": seminar.staff.get(kind=StaffKind.SUPERVISOR).pk,
        "session": seminar.meetings.get(kind=MeetingKind.SESSION).pk,
        "materials": [seminar.materials.get().pk],
    }


def topic_form(seminar, **changes):
    own = parts(seminar)
    return {
        "seminar": seminar.pk,
        "title": "Injected",
        "supervisor": own["supervisor"],
        "session": own["session"],
        "slot": 3,
        "capacity": 1,
        "materials": own["materials"],
    } | changes


def test_topic_cannot_be_added_to_another_seminar(client, seminars, organizer):
    a, _ = seminars
    response = client.post(reverse("admin:topics_topic_add"), topic_form(a))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == [
        "seminar",
        "supervisor",
        "session",
        "materials",
    ]
    assert Topic.objects.filter(title="Injected").exists() is False


def test_material_cannot_be_added_to_another_seminar(client, seminars, organizer):
    a, _ = seminars
    response = client.post(
        reverse("admin:topics_supplementarymaterial_add"),
        {"seminar": a.pk, "number": 9, "title": "Injected"},
    )
    assert response.status_code == 200
    assert SupplementaryMaterial.objects.filter(title="Injected").exists() is False


def test_topic_takes_nothing_of_another_seminar(client, seminars, organizer):
    a, c = seminars
    response = client.post(reverse("admin:topics_topic_add"), topic_form(c, **parts(a)))
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["supervisor", "session", "materials"]
    assert Topic.objects.filter(title="Injected").exists() is False


def test_superuser_still_cannot_mix_seminars(client, seminars):
    a, c = seminars
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:topics_topic_add"), topic_form(c, **parts(a)))
    errors = response.context["adminform"].form.errors
    assert errors == {"supervisor": CHOOSE_OWN, "session": CHOOSE_OWN, "materials": CHOOSE_OWN}
    response = client.post(reverse("admin:topics_topic_add"), topic_form(c))
    assert response.status_code == 302
    assert Topic.objects.get(title="Injected").seminar == c


def test_topic_cannot_be_moved_into_another_seminar(client, seminars, organizer):
    a, c = seminars
    topic = TopicFactory(seminar=c, title="Ours")
    url = reverse("admin:topics_topic_change", args=[topic.pk])
    response = client.post(url, page_data(client.get(url)) | {"seminar": a.pk})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.seminar == c


def test_topic_choices_are_the_organizers_own(client, seminars, organizer):
    a, c = seminars
    form = client.get(reverse("admin:topics_topic_add")).context["adminform"].form
    offered = {name: list(form.fields[name].queryset) for name in ("seminar", "supervisor")}
    assert offered == {"seminar": [c], "supervisor": [c.staff.get(kind=StaffKind.SUPERVISOR)]}
    topic = TopicFactory(seminar=c)
    url = reverse("admin:topics_topic_change", args=[topic.pk])
    form = client.get(url).context["adminform"].form
    assert list(form.fields["session"].queryset) == [c.meetings.get()]
    assert list(form.fields["materials"].queryset) == [c.materials.get()]


def test_inline_topic_takes_nothing_of_another_seminar(client, seminars, organizer):
    a, c = seminars
    url = reverse("admin:seminar_seminar_change", args=[c.pk])
    data = page_data(client.get(url))
    foreign = parts(a)
    data |= {
        "topics-TOTAL_FORMS": "1",
        "topics-0-title": "Injected",
        "topics-0-capacity": "1",
        "topics-0-supervisor": foreign["supervisor"],
        "topics-0-session": foreign["session"],
        "topics-0-materials": foreign["materials"],
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert Topic.objects.filter(title="Injected").exists() is False


def test_inline_row_of_another_seminar_is_not_changed(client, seminars, organizer):
    a, c = seminars
    url = reverse("admin:seminar_seminar_change", args=[c.pk])
    data = page_data(client.get(url))
    theirs = Deliverable.objects.get(seminar=a, kind="reports")
    ours = Deliverable.objects.get(seminar=c, kind="reports")
    row = next(k for k, v in data.items() if k.startswith("deliverables-") and v == str(ours.pk))
    prefix = row.removesuffix("-id")
    client.post(url, data | {row: str(theirs.pk), f"{prefix}-text": "Forged"})
    theirs.refresh_from_db()
    assert theirs.text != "Forged"
