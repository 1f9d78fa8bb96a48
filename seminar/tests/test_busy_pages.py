"""A page that only reads never answers "busy": while the seminar's lock is taken and an offer
is due, the seminar page, the dashboard and the organizer's page are shown as they are."""

import datetime as dt
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from seminar.enums import RegistrationStatus, StaffKind
from seminar.errors import Busy
from seminar.models import Registration, Seminar
from seminar.tests.factories import RegistrationFactory, SeminarFactory, StaffRoleFactory

Status = RegistrationStatus


def _seminar_with_due_offer():
    seminar = SeminarFactory(capacity=1)
    offered = RegistrationFactory(
        seminar=seminar,
        status=Status.OFFERED,
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    RegistrationFactory(seminar=seminar, status=Status.WAITING)
    organizer = StaffRoleFactory(seminar=seminar, kind=StaffKind.ORGANIZER).user
    return seminar, offered, organizer


def _pages(client, seminar, offered, organizer) -> list[int]:
    statuses = [client.get(seminar.get_absolute_url()).status_code]
    client.force_login(offered.student)
    statuses.append(client.get(reverse("seminar:dashboard", args=[seminar.slug])).status_code)
    statuses.append(client.get(seminar.get_absolute_url()).status_code)
    client.force_login(organizer)
    statuses.append(client.get(reverse("seminar:organize", args=[seminar.slug])).status_code)
    return statuses


@pytest.mark.django_db
def test_pages_are_shown_without_expiry_while_the_lock_is_busy(client, monkeypatch):
    seminar, offered, organizer = _seminar_with_due_offer()

    @contextmanager
    def busy(seminar_id):
        raise Busy
        yield  # pragma: no cover

    monkeypatch.setattr("seminar.services.registration.seminar_locked", busy)
    assert _pages(client, seminar, offered, organizer) == [200, 200, 200, 200]
    assert Registration.objects.get(pk=offered.pk).status == Status.OFFERED  # next time


@pytest.mark.django_db
def test_pages_pass_on_due_offers_when_the_lock_is_free(client):
    seminar, offered, organizer = _seminar_with_due_offer()
    assert client.get(seminar.get_absolute_url()).status_code == 200
    assert Registration.objects.get(pk=offered.pk).status == Status.EXPIRED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pages_are_shown_while_another_transaction_holds_the_lock(client, settings):
    settings.REGISTRATION_LOCK_TIMEOUT_SECONDS = 1
    seminar, offered, organizer = _seminar_with_due_offer()
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        try:
            with transaction.atomic():
                Seminar.objects.select_for_update().get(pk=seminar.pk)
                locked.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        statuses = _pages(client, seminar, offered, organizer)
    finally:
        release.set()
        holder.join(timeout=60)
    assert statuses == [200, 200, 200, 200]
    assert Registration.objects.get(pk=offered.pk).status == Status.OFFERED
