"""The admin: supervisors see their own students only; nothing edits or deletes a submission."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from seminar.enums import StaffKind
from seminar.services.staff import staff_role_add
from seminar.tests.factories import SeminarFactory, StaffUserFactory, UserFactory
from submissions.enums import DeliverableKind
from submissions.models import Extension, Submission, Team
from submissions.services.extensions import extension_grant
from submissions.services.teams import team_invitation_accept, team_invite
from submissions.services.uploads import submission_upload
from submissions.tests.factories import (
    deliverable,
    pdf_upload,
    seminar_with_talks,
    upload,
    zip_bytes,
)
from topics.models import AllocationRun

pytestmark = pytest.mark.django_db

MY_STUDENTS = reverse("admin:submissions_supervisedstudent_changelist")


@pytest.fixture
def world():
    """Three students with slide drafts; the first supervisor has students 0 and 2."""
    seminar, registrations, topics, _ = seminar_with_talks(3)
    for registration in registrations:
        submission_upload(
            registration=registration,
            deliverable=deliverable(seminar, DeliverableKind.SLIDE_DRAFT),
            upload=pdf_upload(3, f"{registration.student.full_name}.pdf"),
            by=registration.student,
        )
    organizer = StaffUserFactory()
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
    supervisor = topics[0].supervisor.user
    # Through the service, so that the supervisor is in the Supervisor group.
    staff_role_add(seminar=seminar, user=supervisor, kind=StaffKind.SUPERVISOR)
    return seminar, registrations, supervisor, organizer


def listed(response) -> list[str]:
    return [row[0].student.full_name for row in response.context["rows"]]


def test_supervisor_sees_only_the_students_of_their_topics(client, world):
    seminar, registrations, supervisor, _ = world
    client.force_login(supervisor)
    response = client.get(MY_STUDENTS)

    assert response.status_code == 200
    assert listed(response) == sorted(r.student.full_name for r in registrations[::2])
    page = response.content.decode()
    assert registrations[1].student.full_name not in page
    for registration in registrations[::2]:
        file = Submission.objects.get(registration=registration).files.get()
        assert reverse("submissions:download", args=[seminar.slug, file.pk]) in page


def test_supervisor_sees_only_their_students_submissions_in_the_list(client, world):
    seminar, registrations, supervisor, _ = world
    client.force_login(supervisor)
    response = client.get(reverse("admin:submissions_submission_changelist"))
    shown = {s.registration_id for s in response.context["cl"].result_list}
    assert shown == {registrations[0].pk, registrations[2].pk}
    other = Submission.objects.get(registration=registrations[1])
    response = client.get(reverse("admin:submissions_submission_change", args=[other.pk]))
    assert response.status_code == 302  # "does not exist", like any object out of reach


def test_organizer_sees_every_participant(client, world):
    seminar, registrations, _, organizer = world
    client.force_login(organizer)
    response = client.get(MY_STUDENTS)
    assert listed(response) == sorted(r.student.full_name for r in registrations)


def test_staff_of_another_seminar_see_none_of_these_students(client, world):
    seminar, registrations, _, _ = world
    stranger = StaffUserFactory()
    staff_role_add(seminar=SeminarFactory(), user=stranger, kind=StaffKind.SUPERVISOR)
    client.force_login(stranger)
    response = client.get(MY_STUDENTS + f"?seminar={seminar.pk}")
    assert response.context["seminar"] != seminar
    assert listed(response) == []
    response = client.get(reverse("admin:submissions_submission_changelist"))
    assert list(response.context["cl"].result_list) == []


def test_students_have_no_admin(client, world):
    _, registrations, _, _ = world
    client.force_login(registrations[0].student)
    assert client.get(MY_STUDENTS).status_code == 302  # to the admin login


def test_submissions_cannot_be_added_changed_or_deleted_in_the_admin(client, world):
    _, registrations, _, organizer = world
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    submission = Submission.objects.get(registration=registrations[0])
    assert client.get(reverse("admin:submissions_submission_add")).status_code == 403
    change = reverse("admin:submissions_submission_change", args=[submission.pk])
    assert client.post(change, {"title": "Changed"}).status_code == 403
    delete = reverse("admin:submissions_submission_delete", args=[submission.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Submission.objects.filter(pk=submission.pk, title="").exists()


def test_extensions_are_read_only_in_the_admin_and_hidden_from_supervisors(client, world):
    seminar, registrations, supervisor, organizer = world
    extension = extension_grant(
        deliverable=deliverable(seminar, DeliverableKind.REPORTS),
        registration=registrations[0],
        due_at=timezone.now() + dt.timedelta(days=3650),
        reason="Ill.",
        by=organizer,
    )
    client.force_login(organizer)
    response = client.get(reverse("admin:submissions_extension_changelist"))
    assert list(response.context["cl"].result_list) == [extension]
    assert client.get(reverse("admin:submissions_extension_add")).status_code == 403
    delete = reverse("admin:submissions_extension_delete", args=[extension.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Extension.objects.count() == 1
    client.force_login(supervisor)
    assert client.get(reverse("admin:submissions_extension_changelist")).status_code == 403
    assert client.get(reverse("admin:submissions_team_changelist")).status_code == 403


def test_a_seminar_with_handed_in_work_can_still_be_deleted(world):
    seminar, registrations, _, _ = world
    a, b = registrations[:2]
    team = team_invitation_accept(
        invitation_id=team_invite(registration=a, email=b.student.email).pk, registration=b
    )
    submission_upload(
        registration=a,
        deliverable=deliverable(seminar, DeliverableKind.PROJECT),
        upload=upload(zip_bytes(), "p.zip"),
        by=None,
    )
    # Topics keep published assignments (PROTECT); without them, nothing of ours holds it back.
    AllocationRun.objects.filter(seminar=seminar).delete()
    seminar.delete()
    assert not Team.objects.filter(pk=team.pk).exists()
    assert Submission.objects.count() == 0
