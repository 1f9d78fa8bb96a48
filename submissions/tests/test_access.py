"""Who gets a submitted file: an access matrix over every file and submission URL.

Only the student, the teammate (for the team's project), the student's supervisor and the
seminar's organizers get the bytes; everyone else a 404, while the file is really there."""

import pytest
from django.urls import reverse

from seminar.enums import StaffKind
from seminar.services.staff import staff_role_add
from seminar.tests.factories import SeminarFactory, StaffUserFactory, UserFactory
from submissions.enums import DeliverableKind
from submissions.models import SubmissionFile
from submissions.services.teams import team_invitation_accept, team_invite
from submissions.services.uploads import submission_upload
from submissions.storage import submission_storage
from submissions.tests.factories import (
    deliverable,
    pdf_bytes,
    pdf_upload,
    seminar_with_talks,
    upload,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A (owner) and B (teammate) hand in; C is another student. A's topic is supervised by
    the first supervisor, B's by the second."""
    seminar, (a, b, c), topics, _ = seminar_with_talks(3)
    invitation = team_invite(registration=a, email=b.student.email)
    team_invitation_accept(invitation_id=invitation.pk, registration=b)
    files = {
        "slides": submission_upload(
            registration=a,
            deliverable=deliverable(seminar, DeliverableKind.SLIDE_DRAFT),
            upload=pdf_upload(3, "slides.pdf"),
            by=a.student,
        ),
        "report": submission_upload(
            registration=a,
            deliverable=deliverable(seminar, DeliverableKind.REPORTS),
            upload=pdf_upload(2, "report.pdf"),
            by=a.student,
            topic=topics[2],
        ),
        "project": submission_upload(
            registration=a,
            deliverable=deliverable(seminar, DeliverableKind.PROJECT),
            upload=upload(zip_bytes(), "project.zip"),
            by=a.student,
        ),
    }
    organizer = StaffUserFactory()
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
    elsewhere = StaffUserFactory()
    staff_role_add(seminar=SeminarFactory(), user=elsewhere, kind=StaffKind.ORGANIZER)
    people = {
        "owner": a.student,
        "teammate": b.student,
        "other student": c.student,
        "own supervisor": topics[0].supervisor.user,
        "supervisor of someone else": topics[1].supervisor.user,
        "organizer": organizer,
        "organizer of another seminar": elsewhere,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "anonymous": None,
    }
    return seminar, files, people


# Who may open what. The second supervisor supervises B, a member of the project's team.
ALLOWED = {
    "slides": {"owner", "own supervisor", "organizer", "superuser"},
    "report": {"owner", "own supervisor", "organizer", "superuser"},
    "project": {
        "owner",
        "teammate",
        "own supervisor",
        "supervisor of someone else",
        "organizer",
        "superuser",
    },
}
ROLES = [
    "owner",
    "teammate",
    "other student",
    "own supervisor",
    "supervisor of someone else",
    "organizer",
    "organizer of another seminar",
    "superuser",
    "anonymous",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("what", ["slides", "report", "project"])
def test_file_and_submission_urls_answer_only_those_allowed(client, world, what, role):
    seminar, files, people = world
    file = files[what]
    if people[role] is not None:
        client.force_login(people[role])
    download = client.get(reverse("submissions:download", args=[seminar.slug, file.pk]))
    detail = client.get(reverse("submissions:submission", args=[seminar.slug, file.submission_id]))

    assert submission_storage().exists(file.stored_name)
    if role in ALLOWED[what]:
        assert (download.status_code, detail.status_code) == (200, 200)
        with submission_storage().open(file.stored_name, "rb") as stored:
            assert b"".join(download.streaming_content) == stored.read()
        assert file.original_name in detail.content.decode()
    else:
        assert (download.status_code, detail.status_code) == (404, 404)
        assert file.original_name not in download.content.decode()


def test_a_file_under_another_seminars_address_is_404(client, world):
    seminar, files, people = world
    other = SeminarFactory()
    client.force_login(people["owner"])
    url = reverse("submissions:download", args=[other.slug, files["slides"].pk])
    assert client.get(url).status_code == 404


def test_a_missing_file_is_404_for_everyone(client, world):
    seminar, _, people = world
    client.force_login(people["superuser"])
    assert (
        client.get(reverse("submissions:download", args=[seminar.slug, 99999])).status_code == 404
    )
    assert (
        client.get(reverse("submissions:submission", args=[seminar.slug, 99999])).status_code == 404
    )


def test_download_is_an_attachment_the_browser_does_not_sniff_or_share(client, world):
    seminar, files, people = world
    client.force_login(people["owner"])
    response = client.get(reverse("submissions:download", args=[seminar.slug, files["slides"].pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"slides.pdf\"; filename*=UTF-8''slides.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private"
    assert response["Content-Length"] == str(len(pdf_bytes(3)))
    assert b"".join(response.streaming_content) == pdf_bytes(3)


def test_download_hands_the_file_to_nginx_when_configured(client, world, settings):
    settings.SUBMISSIONS_X_ACCEL_PREFIX = "/_private/"
    seminar, files, people = world
    file = files["project"]
    client.force_login(people["teammate"])
    response = client.get(reverse("submissions:download", args=[seminar.slug, file.pk]))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{file.stored_name}"
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="project.zip"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b""


def test_x_accel_is_not_used_for_people_without_access(client, world, settings):
    settings.SUBMISSIONS_X_ACCEL_PREFIX = "/_private/"
    seminar, files, people = world
    client.force_login(people["other student"])
    response = client.get(reverse("submissions:download", args=[seminar.slug, files["slides"].pk]))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_versions_stay_downloadable_after_a_replacement(client, world):
    seminar, files, people = world
    registration = files["slides"].submission.registration
    submission_upload(
        registration=registration,
        deliverable=files["slides"].submission.deliverable,
        upload=pdf_upload(4, "slides-v2.pdf"),
        by=registration.student,
    )
    client.force_login(people["own supervisor"])
    versions = SubmissionFile.objects.filter(submission=files["slides"].submission)
    assert [f.version for f in versions] == [2, 1]
    for file in versions:
        response = client.get(reverse("submissions:download", args=[seminar.slug, file.pk]))
        assert b"".join(response.streaming_content) == pdf_bytes(file.pages)
