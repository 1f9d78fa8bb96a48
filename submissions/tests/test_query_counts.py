"""The dashboard, the supervisor's list and the organizer's matrix make as many queries with
50 students as with 2, with submissions, versions, teams and extensions in place."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from seminar.enums import StaffKind
from seminar.services.staff import staff_role_add
from seminar.tests.factories import StaffUserFactory
from seminar.tests.queries import queries_of
from submissions.enums import DeliverableKind
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
from topics.models import Topic

pytestmark = pytest.mark.django_db


def busy_seminar(students: int):
    """Every student has two slide-draft versions and a report; pairs form project teams that
    hand in; every student has an extension; one supervisor holds every topic."""
    seminar, registrations, topics, _ = seminar_with_talks(students)
    supervisor = topics[0].supervisor
    Topic.objects.filter(seminar=seminar).update(supervisor=supervisor)
    staff_role_add(seminar=seminar, user=supervisor.user, kind=StaffKind.SUPERVISOR)
    slides = deliverable(seminar, DeliverableKind.SLIDE_DRAFT)
    reports = deliverable(seminar, DeliverableKind.REPORTS)
    project = deliverable(seminar, DeliverableKind.PROJECT)
    later = timezone.now() + dt.timedelta(days=400)
    for i, registration in enumerate(registrations):
        for pages in (3, 4):
            submission_upload(
                registration=registration,
                deliverable=slides,
                upload=pdf_upload(pages),
                by=None,
            )
        submission_upload(
            registration=registration,
            deliverable=reports,
            upload=pdf_upload(2),
            by=None,
            topic=topics[(i + 1) % students],
        )
        extension_grant(
            deliverable=reports, registration=registration, due_at=later, reason="r", by=None
        )
    for first, second in zip(registrations[::2], registrations[1::2], strict=True):
        invitation = team_invite(registration=first, email=second.student.email)
        team = team_invitation_accept(invitation_id=invitation.pk, registration=second)
        submission_upload(
            registration=first, deliverable=project, upload=upload(zip_bytes(), "p.zip"), by=None
        )
        extension_grant(deliverable=project, team=team, due_at=later, reason="r", by=None)
    organizer = StaffUserFactory()
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
    return seminar, registrations, supervisor.user, organizer


def counts(client, page) -> list[int]:
    found = []
    for size in (2, 50):
        seminar, registrations, supervisor, organizer = busy_seminar(size)
        user, url = page(seminar, registrations, supervisor, organizer)
        client.force_login(user)
        found.append(queries_of(client, url))
    return found


def test_dashboard_queries_do_not_grow_with_students(client):
    def page(seminar, registrations, supervisor, organizer):
        return registrations[-1].student, reverse("seminar:dashboard", args=[seminar.slug])

    first, second = counts(client, page)
    assert first == second


def test_supervisor_list_queries_do_not_grow_with_students(client):
    def page(seminar, registrations, supervisor, organizer):
        url = reverse("admin:submissions_supervisedstudent_changelist") + f"?seminar={seminar.pk}"
        return supervisor, url

    first, second = counts(client, page)
    assert first == second


def test_matrix_queries_do_not_grow_with_students(client):
    def page(seminar, registrations, supervisor, organizer):
        return organizer, reverse("submissions:matrix", args=[seminar.slug])

    first, second = counts(client, page)
    assert first == second


def test_organizer_page_queries_do_not_grow_with_students(client):
    def page(seminar, registrations, supervisor, organizer):
        return organizer, reverse("seminar:organize", args=[seminar.slug])

    first, second = counts(client, page)
    assert first == second


def test_submission_admin_list_queries_do_not_grow_with_students(client):
    def page(seminar, registrations, supervisor, organizer):
        return organizer, reverse("admin:submissions_submission_changelist")

    first, second = counts(client, page)
    assert first == second
