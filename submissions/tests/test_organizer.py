"""The organizer's matrix of every student against every deliverable, and extensions."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from seminar.enums import StaffKind
from seminar.models import ActivityEntry
from seminar.services.staff import staff_role_add
from seminar.tests.factories import SeminarFactory, StaffUserFactory, UserFactory
from submissions.enums import DeliverableKind
from submissions.models import Extension
from submissions.selectors import deadline_of, seminar_calendar
from submissions.services.teams import team_invitation_accept, team_invite
from submissions.services.uploads import submission_upload
from submissions.tests.factories import deliverable, pdf_upload, seminar_with_talks

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def world(client):
    seminar, registrations, topics, _ = seminar_with_talks(3)
    organizer = StaffUserFactory()
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
    client.force_login(organizer)
    return seminar, registrations, topics, organizer


def matrix_url(seminar):
    return reverse("submissions:matrix", args=[seminar.slug])


def grant(client, seminar, registration, kind, day="2030-05-04", time="23:59", **extra):
    data = {
        "registration": registration.pk,
        "deliverable": deliverable(seminar, kind).pk,
        "day": day,
        "time": time,
        "reason": "Ill for a week (certificate seen).",
        **extra,
    }
    return client.post(reverse("submissions:extension_add", args=[seminar.slug]), data)


def test_matrix_is_404_for_everyone_but_the_seminars_organizers(client, world):
    seminar, registrations, topics, _ = world
    elsewhere = StaffUserFactory()
    staff_role_add(seminar=SeminarFactory(), user=elsewhere, kind=StaffKind.ORGANIZER)
    for user in (registrations[0].student, topics[0].supervisor.user, elsewhere, UserFactory()):
        client.force_login(user)
        assert client.get(matrix_url(seminar)).status_code == 404
        assert grant(client, seminar, registrations[0], "reports").status_code == 404
    assert Extension.objects.count() == 0


def test_matrix_shows_every_student_against_every_deliverable(client, world):
    seminar, (a, b, c), _, _ = world
    submission_upload(
        registration=a,
        deliverable=deliverable(seminar, DeliverableKind.SLIDE_DRAFT),
        upload=pdf_upload(3),
        by=a.student,
    )
    grant(client, seminar, b, DeliverableKind.SLIDE_DRAFT)
    response = client.get(matrix_url(seminar))

    assert response.status_code == 200
    states = {
        (registration.student.full_name, progress.deliverable.kind): progress.state
        for registration, _, cells in response.context["rows"]
        for progress in cells
    }
    assert states == {
        (r.student.full_name, kind): state
        for r in (a, b, c)
        for kind, state in {
            "slide_draft": {a: "submitted", b: "extended", c: "missing"}[r],
            "mock_presentation": "missing",
            "reports": "missing",
            "project": "missing",
        }.items()
    }
    page = response.content.decode()
    assert f'data-testid="state-slide_draft-{a.pk}">submitted<' in page
    assert "extended to 4 May, 23:59" in page


def test_extension_granted_to_the_last_microsecond_of_the_minute_and_logged(client, world):
    seminar, (a, *_), _, organizer = world
    response = grant(client, seminar, a, DeliverableKind.REPORTS, day="2030-03-31", time="12:00")

    assert response.status_code == 302
    extension = Extension.objects.get()
    assert (extension.registration, extension.team, extension.granted_by) == (a, None, organizer)
    assert extension.due_at == dt.datetime(2030, 3, 31, 12, 0, 59, 999999, tzinfo=BERLIN)
    calendar = seminar_calendar(seminar, registration_ids=[a.pk])
    reports = deliverable(seminar, DeliverableKind.REPORTS)
    assert deadline_of(reports, a, calendar) == extension.due_at
    entry = ActivityEntry.objects.get(action="extension.granted")
    assert (entry.actor, entry.reason, entry.new["for"]) == (
        organizer,
        "Ill for a week (certificate seen).",
        a.student.email,
    )


def test_extension_for_the_whole_team(client, world):
    seminar, (a, b, c), _, _ = world
    team = team_invitation_accept(
        invitation_id=team_invite(registration=a, email=b.student.email).pk, registration=b
    )
    response = grant(client, seminar, b, DeliverableKind.PROJECT, whole_team="on")

    assert response.status_code == 302
    extension = Extension.objects.get()
    assert (extension.team, extension.registration) == (team, None)
    calendar = seminar_calendar(seminar)
    project = deliverable(seminar, DeliverableKind.PROJECT)
    assert deadline_of(project, a, calendar) == extension.due_at
    assert deadline_of(project, b, calendar) == extension.due_at
    assert deadline_of(project, c, calendar) < extension.due_at
    page = client.get(matrix_url(seminar)).content.decode()
    assert f"the team of {a.student.full_name} and {b.student.full_name}" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"whole_team": "on", "kind": "project"}, "is not in a project team."),
        ({"reason": "   "}, "This field is required."),
        ({"day": "2020-01-01"}, "The new deadline must be later than the deliverable&#x27;s own"),
        ({"kind": "reports", "whole_team": "on", "team": True}, "Only the practical project is"),
    ],
    ids=["no-team", "no-reason", "earlier", "team-for-reports"],
)
def test_extension_refusals_say_why_and_change_nothing(client, world, fields, message):
    seminar, (a, b, _), _, _ = world
    if fields.pop("team", False):
        team_invitation_accept(
            invitation_id=team_invite(registration=a, email=b.student.email).pk, registration=b
        )
    kind = fields.pop("kind", "reports")
    response = grant(client, seminar, a, kind, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Extension.objects.count() == 0


def test_revoking_an_extension_restores_the_rule_and_is_logged(client, world):
    seminar, (a, *_), _, _ = world
    grant(client, seminar, a, DeliverableKind.REPORTS)
    extension = Extension.objects.get()
    response = client.post(
        reverse("submissions:extension_revoke", args=[seminar.slug, extension.pk])
    )
    assert response.status_code == 302
    assert Extension.objects.count() == 0
    assert ActivityEntry.objects.filter(action="extension.revoked").count() == 1


def test_organizer_page_links_to_the_matrix_with_a_summary(client, world):
    seminar, (a, *_), _, _ = world
    submission_upload(
        registration=a,
        deliverable=deliverable(seminar, DeliverableKind.SLIDE_DRAFT),
        upload=pdf_upload(3),
        by=a.student,
    )
    page = client.get(reverse("seminar:organize", args=[seminar.slug])).content.decode()
    assert matrix_url(seminar) in page
    assert "<li>Slide draft: 1 submitted, 2 missing</li>" in page
    assert "<li>Mock presentation: 3 missing</li>" in page
