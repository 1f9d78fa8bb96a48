"""The clock steps a page runs before it reads (offers that ran out, late joiners whose time to
choose ran out) ask the database nothing until their next moment or a change of the seminar."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from seminar.enums import RegistrationStatus as Status
from seminar.models import Registration
from seminar.tests.factories import RegistrationFactory, SeminarFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 1, 7, 9, tzinfo=dt.UTC)


def offer_queries(client, seminar) -> int:
    """The queries of one dashboard read that look for offers that ran out."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("seminar:dashboard", args=[seminar.slug]))
    assert response.status_code == 200
    return sum('"offer_expires_at" <=' in q["sql"] for q in captured.captured_queries)


def test_clock_steps_ask_nothing_again_until_an_offer_runs_out(client):
    with time_machine.travel(START, tick=False):
        seminar = SeminarFactory(capacity=2)
        viewer = RegistrationFactory(seminar=seminar)
        offered = RegistrationFactory(
            seminar=seminar,
            status=Status.OFFERED,
            offer_expires_at=timezone.now() + dt.timedelta(hours=2),
        )
        client.force_login(viewer.student)
        assert offer_queries(client, seminar) == 1
        assert offer_queries(client, seminar) == 0
    with time_machine.travel(START + dt.timedelta(hours=1, minutes=59), tick=False):
        assert offer_queries(client, seminar) == 0
    with time_machine.travel(START + dt.timedelta(hours=2, seconds=1), tick=False):
        assert offer_queries(client, seminar) == 2  # found due, then read again under the lock
        assert Registration.objects.get(pk=offered.pk).status != Status.OFFERED


def test_clock_steps_run_again_after_a_change_of_the_seminar(client):
    with time_machine.travel(START, tick=False):
        seminar = SeminarFactory(capacity=2)
        viewer = RegistrationFactory(seminar=seminar)
        client.force_login(viewer.student)
        assert offer_queries(client, seminar) == 1  # nothing pending
        assert offer_queries(client, seminar) == 0
        offered = RegistrationFactory(  # a change: the seminar's page version is drawn anew
            seminar=seminar,
            status=Status.OFFERED,
            offer_expires_at=timezone.now() + dt.timedelta(hours=2),
        )
        assert offer_queries(client, seminar) == 1
    with time_machine.travel(START + dt.timedelta(hours=3), tick=False):
        offer_queries(client, seminar)
        assert Registration.objects.get(pk=offered.pk).status != Status.OFFERED
