"""After a seminar's uploads were purged, the grading list and page name the deletion instead
of linking to a file that is gone."""

import datetime as dt

import pytest
from django.urls import reverse

from grading.tests.factories import grading_world
from seminar.deadlines import days_after
from submissions.models import SubmissionFile
from submissions.services.retention import uploads_purge

pytestmark = pytest.mark.django_db

PURGED = "file deleted after retention period"


def test_grading_pages_after_the_purge_name_the_deletion(client, time_machine):
    world = grading_world(1)
    registration = world.students[0]
    last = world.sessions[-1].date
    time_machine.move_to(days_after(last, 365) + dt.timedelta(days=1), tick=False)
    assert uploads_purge(seminar=world.seminar, by=world.organizer) == 4
    links = [
        reverse("submissions:download", args=[world.seminar.slug, pk])
        for pk in SubmissionFile.objects.values_list("pk", flat=True)
    ]
    client.force_login(world.organizer)
    listing = client.get(reverse("admin:grading_gradedstudent_changelist")).content.decode()
    page = client.get(
        reverse("admin:grading_gradedstudent_change", args=[registration.pk])
    ).content.decode()
    assert (listing.count(PURGED), [link for link in links if link in listing]) == (4, [])
    assert (page.count(PURGED), [link for link in links if link in page]) == (4, [])
