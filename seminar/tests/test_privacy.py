"""A student's own data: the export archive and deleting the account, through every app."""

import datetime as dt
import io
import json
import os
import tracemalloc
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from grading.services.release import grades_release
from grading.tests.factories import grade_completely, grading_world
from mail.models import OutgoingEmail
from seminar.actor import acting_as
from seminar.deadlines import days_after
from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import ActivityEntry, Registration, User
from seminar.services.privacy import account_export_build
from seminar.services.registration import registration_create
from seminar.services.staff import staff_role_add
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffUserFactory,
    UserFactory,
)
from submissions.enums import DeliverableKind
from submissions.models import Submission, SubmissionFile, Team, TeamMembership
from submissions.services.teams import team_invitation_accept, team_invite
from submissions.services.uploads import submission_upload
from submissions.storage import submission_storage
from submissions.tests.factories import (
    deliverable,
    pdf_upload,
    seminar_with_talks,
    upload,
    zip_bytes,
)
from topics.models import Preference

pytestmark = pytest.mark.django_db

PASSWORD = "secret-password-1"  # the factories' password
EXPORT = reverse("seminar:my_data_download")
MY_DATA = reverse("seminar:my_data")


def _export(client, user) -> tuple[dict, dict[str, bytes]]:
    client.force_login(user)
    response = client.post(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    contents = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(contents.pop("data.json")), contents


@pytest.fixture
def world():
    """A and B hand in their project as a team (B uploads it); A and C each hand in slides."""
    seminar, (a, b, c), topics, _ = seminar_with_talks(3)
    slides = deliverable(seminar, DeliverableKind.SLIDE_DRAFT)
    with acting_as(a.student):
        invitation = team_invite(registration=a, email=b.student.email)
        first = submission_upload(
            registration=a, deliverable=slides, upload=pdf_upload(2, "draft.pdf"), by=a.student
        )
        second = submission_upload(
            registration=a, deliverable=slides, upload=pdf_upload(3, "draft.pdf"), by=a.student
        )
    with acting_as(b.student):
        team_invitation_accept(invitation_id=invitation.pk, registration=b)
        project = submission_upload(
            registration=b,
            deliverable=deliverable(seminar, DeliverableKind.PROJECT),
            upload=upload(zip_bytes(), "project.zip"),
            by=b.student,
        )
    with acting_as(c.student):
        other = submission_upload(
            registration=c, deliverable=slides, upload=pdf_upload(3, "mine.pdf"), by=c.student
        )
    files = {
        "a slides v1": first,
        "a slides v2": second,
        "c slides": other,
        "team project": project,
    }
    for registration in (a, c):
        Preference.objects.create(registration=registration, topic=topics[2])
        OutgoingEmail.objects.create(
            key=f"test-{registration.pk}",
            to=registration.student.email,
            subject=f"For {registration.student.full_name}",
            body_text="Hello",
        )
    return seminar, (a, b, c), files


def test_export_holds_exactly_the_students_data_and_files(client, world):
    seminar, (a, b, c), files = world
    data, contents = _export(client, a.student)
    assert sorted(contents) == [
        f"files/{seminar.slug}/project/1/v1_project.zip",
        f"files/{seminar.slug}/slide_draft/1/v1_draft.pdf",
        f"files/{seminar.slug}/slide_draft/1/v2_draft.pdf",
    ]
    stored = submission_storage()
    with stored.open(files["a slides v2"].stored_name, "rb") as handle:
        assert contents[f"files/{seminar.slug}/slide_draft/1/v2_draft.pdf"] == handle.read()
    assert data["account"]["email"] == a.student.email
    assert [r["status"] for r in data["registrations"]] == ["confirmed"]
    assert [(p["seminar"], p["topic"]) for p in data["preferences"]] == [
        (seminar.title, str(Preference.objects.get(registration=a).topic))
    ]
    assert [t["how_assigned"] for t in data["topics"]] == ["By the allocation"]
    assert [
        (s["deliverable"], s["of_your_team"], len(s["versions"])) for s in data["submissions"]
    ] == [
        ("project", True, 1),
        ("slide_draft", False, 2),
    ]
    assert data["teams"][0]["members"] == [a.student.full_name, b.student.full_name]
    assert data["grades"] == []
    everything = json.dumps(data)
    assert c.student.email not in everything
    assert c.student.full_name not in everything
    assert "mine.pdf" not in everything
    assert {e["to"] for e in data["emails"]} == {a.student.email}
    assert sorted({e["action"] for e in data["activity"]}) == ACTIONS_OF_A


def test_export_needs_a_post_by_the_signed_in_person(client, world):
    _, (a, _, _), _ = world
    assert client.post(EXPORT).status_code == 302  # to the login
    client.force_login(a.student)
    assert client.get(EXPORT).status_code == 405


def test_export_of_another_student_holds_none_of_the_first(client, world):
    seminar, (a, _, c), _ = world
    data, contents = _export(client, c.student)
    assert sorted(contents) == [f"files/{seminar.slug}/slide_draft/1/v1_mine.pdf"]
    assert a.student.email not in json.dumps(data)


def test_export_has_grades_only_once_released(client):
    world = grading_world(1)
    registration = world.students[0]
    grade_completely(registration, by=world.organizer)
    data, _ = _export(client, registration.student)
    assert data["grades"] == []
    assert [e for e in data["activity"] if e["action"].startswith("grades.")] == []
    grades_release(seminar=world.seminar, by=world.organizer)
    data, _ = _export(client, registration.student)
    assert [(g["final_grade"], g["passed"]) for g in data["grades"]] == [("1.7", True)]
    assert data["grades"][0]["presentation"]["grade"] == "1.7"
    assert data["grades"][0]["participation"]["grade"] == "1.3"
    assert [r["grade"] for r in data["grades"][0]["reports"]] == ["2.0", "2.0", "2.0"]
    assert data["grades"][0]["changes_after_release"] == []


# --- Deleting the account -------------------------------------------------------------------


def test_deletion_withdraws_and_the_waiting_list_gets_the_offer(client):
    seminar = SeminarFactory(capacity=1)
    MeetingFactory(seminar=seminar)
    leaving, waiting = UserFactory(), UserFactory()
    registration_create(seminar=seminar, student=leaving)
    registration_create(seminar=seminar, student=waiting)
    client.force_login(leaving)
    response = client.post(MY_DATA, {"password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.filter(pk=leaving.pk).exists() is False
    assert Registration.objects.get(student=waiting).status == RegistrationStatus.OFFERED
    kinds = list(OutgoingEmail.objects.order_by("pk").values_list("to", "kind"))
    assert (leaving.email, "registration_withdrawn") in kinds
    assert (waiting.email, "registration_offer") in kinds
    withdrawn = ActivityEntry.objects.get(action="registration.withdrawn")
    assert (withdrawn.actor_id, withdrawn.actor_name, withdrawn.object_repr) == (
        None,
        "deleted account",
        "deleted account",
    )
    assert ActivityEntry.objects.filter(action="account.deleted").count() == 1
    assert leaving.email not in "".join(ActivityEntry.objects.values_list("actor_name", flat=True))


def test_deletion_removes_uploads_and_keeps_a_partners_project(
    client, world, django_capture_on_commit_callbacks
):
    seminar, (a, b, c), files = world
    stored = submission_storage()
    client.force_login(a.student)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(MY_DATA, {"password": PASSWORD}).status_code == 302
    assert stored.exists(files["a slides v1"].stored_name) is False
    assert stored.exists(files["a slides v2"].stored_name) is False
    assert stored.exists(files["team project"].stored_name) is True
    assert stored.exists(files["c slides"].stored_name) is True
    assert list(TeamMembership.objects.values_list("registration", flat=True)) == [b.pk]
    assert Preference.objects.filter(registration__student_id=a.student.pk).exists() is False
    assert SubmissionFile.objects.count() == 2


def test_deletion_of_the_last_team_member_removes_the_team_and_its_project(
    client, django_capture_on_commit_callbacks
):
    seminar, (a,), _, _ = seminar_with_talks(1)
    project = submission_upload(
        registration=a,
        deliverable=deliverable(seminar, DeliverableKind.PROJECT),
        upload=upload(zip_bytes(), "project.zip"),
        by=a.student,
    )
    client.force_login(a.student)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(MY_DATA, {"password": PASSWORD}).status_code == 302
    assert (Team.objects.count(), Submission.objects.count()) == (0, 0)
    assert submission_storage().exists(project.stored_name) is False


def test_deletion_is_refused_with_a_wrong_password(client, world):
    _, (a, _, _), _ = world
    client.force_login(a.student)
    response = client.post(MY_DATA, {"password": "not it"})
    assert response.status_code == 403
    assert "The password is not right" in response.content.decode()
    assert User.objects.filter(pk=a.student.pk).exists() is True


def test_deletion_is_refused_while_a_grade_exists(client):
    world = grading_world(1)
    registration = world.students[0]
    grade_completely(registration, by=world.organizer)
    client.force_login(registration.student)
    page = client.get(MY_DATA).content.decode()
    assert f"You have grades in {world.seminar.title}" in page
    assert 'data-testid="delete"' not in page
    response = client.post(MY_DATA, {"password": PASSWORD})
    assert response.status_code == 409
    assert User.objects.filter(pk=registration.student_id).exists() is True
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED


def test_deletion_is_refused_for_staff(client):
    seminar = SeminarFactory()
    supervisor = StaffUserFactory()
    staff_role_add(seminar=seminar, user=supervisor, kind=StaffKind.SUPERVISOR)
    client.force_login(supervisor)
    response = client.post(MY_DATA, {"password": PASSWORD})
    assert response.status_code == 409
    assert "Staff accounts cannot be deleted" in response.content.decode()
    assert User.objects.filter(pk=supervisor.pk).exists() is True


def test_deletion_waits_for_the_retention_period_of_a_started_seminar(client, time_machine):
    today = timezone.localdate()
    seminar = SeminarFactory(registration_opens_at=timezone.now() - dt.timedelta(days=30))
    MeetingFactory(seminar=seminar, date=today - dt.timedelta(days=2))
    registration = RegistrationFactory(seminar=seminar)
    client.force_login(registration.student)
    response = client.post(MY_DATA, {"password": PASSWORD})
    assert response.status_code == 409
    assert f"You take part in {seminar.title}, which has started" in response.content.decode()
    kept_until = days_after(today - dt.timedelta(days=2), 365)  # the default retention
    time_machine.move_to(kept_until, tick=False)
    client.force_login(registration.student)
    assert client.post(MY_DATA, {"password": PASSWORD}).status_code == 409
    time_machine.move_to(kept_until + dt.timedelta(microseconds=1), tick=False)
    client.force_login(registration.student)
    assert client.post(MY_DATA, {"password": PASSWORD}).status_code == 302
    assert User.objects.filter(pk=registration.student_id).exists() is False


def test_deleting_ones_account_touches_nobody_else(client, world):
    _, (a, b, c), _ = world
    client.force_login(c.student)
    assert client.post(MY_DATA, {"password": PASSWORD}).status_code == 302
    assert list(
        User.objects.filter(pk__in=[a.student_id, b.student_id]).values_list("pk", flat=True)
    ) == sorted([a.student_id, b.student_id])
    assert Registration.objects.get(pk=a.pk).status == RegistrationStatus.CONFIRMED


def test_my_data_page_needs_a_login(client):
    response = client.get(MY_DATA)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("seminars", [1, 5])
def test_my_data_page_queries_do_not_grow_with_seminars(
    client, django_assert_num_queries, seminars
):
    student = UserFactory()
    for _ in range(seminars):
        seminar = SeminarFactory(registration_opens_at=timezone.now() - dt.timedelta(days=30))
        MeetingFactory(seminar=seminar, date=timezone.localdate() - dt.timedelta(days=2))
        RegistrationFactory(seminar=seminar, student=student)
    client.force_login(student)
    with django_assert_num_queries(QUERIES_MY_DATA):
        response = client.get(MY_DATA)
    assert response.content.decode().count("which has started") == seminars


QUERIES_MY_DATA = 10
ACTIONS_OF_A = ["submission.uploaded", "team.invited"]


def test_export_copies_a_large_upload_without_holding_it_in_memory(world):
    _, (a, _, _), files = world
    size = 40 * 1024 * 1024
    name = submission_storage().save("big/slides.pdf", ContentFile(os.urandom(size)))
    SubmissionFile.objects.create(
        submission=files["a slides v2"].submission,
        version=3,
        stored_name=name,
        original_name="big.pdf",
        kind="pdf",
        size=size,
        sha256="0" * 64,
        uploaded_at=timezone.now(),
    )
    tracemalloc.start()
    try:
        archive = account_export_build(user=a.student)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    with archive, zipfile.ZipFile(archive) as built:
        assert (
            built.getinfo(
                f"files/{files['a slides v2'].submission.deliverable.seminar.slug}"
                "/slide_draft/1/v3_big.pdf"
            ).file_size
            == size
        )
    assert peak < 8 * 1024 * 1024  # a few 1 MiB chunks, never the 40 MiB file
