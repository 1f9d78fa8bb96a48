"""A student's requests: register, withdraw, offers; misuse gets a clear 4xx and changes nothing."""

import pytest
from django.urls import reverse

from seminar.enums import DegreeLevel, RegistrationStatus
from seminar.errors import Busy
from seminar.models import Registration
from seminar.tests.factories import RegistrationFactory, SeminarFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = RegistrationStatus


def url(name: str, seminar) -> str:
    return reverse(f"seminar:{name}", kwargs={"slug": seminar.slug})


def test_register_redirects_to_dashboard_with_message(client):
    seminar = SeminarFactory()
    student = UserFactory()
    client.force_login(student)
    response = client.post(url("register", seminar), follow=True)
    assert response.redirect_chain == [(url("dashboard", seminar), 302)]
    assert "You have a seat in this seminar." in response.content.decode()
    assert Registration.objects.get().status == Status.CONFIRMED


def test_register_requires_login(client):
    seminar = SeminarFactory()
    response = client.post(url("register", seminar))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Registration.objects.count() == 0


def test_register_by_get_is_not_allowed(client):
    client.force_login(UserFactory())
    assert client.get(url("register", SeminarFactory())).status_code == 405
    assert Registration.objects.count() == 0


def test_double_submit_gives_409_and_one_registration(client):
    seminar = SeminarFactory()
    client.force_login(UserFactory())
    client.post(url("register", seminar))
    response = client.post(url("register", seminar))
    assert response.status_code == 409
    assert "You are already registered (confirmed)." in response.content.decode()
    assert Registration.objects.count() == 1


def test_ineligible_student_gets_403(client):
    seminar = SeminarFactory(admits_bachelor=False)
    client.force_login(UserFactory(degree_level=DegreeLevel.BACHELOR))
    response = client.post(url("register", seminar))
    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_withdraw_asks_for_confirmation_first(client):
    registration = RegistrationFactory()
    client.force_login(registration.student)
    response = client.get(url("withdraw", registration.seminar))
    assert response.status_code == 200
    assert "Yes, withdraw" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_withdraw_twice_gives_409(client):
    registration = RegistrationFactory()
    client.force_login(registration.student)
    assert client.post(url("withdraw", registration.seminar)).status_code == 302
    response = client.post(url("withdraw", registration.seminar))
    assert response.status_code == 409
    assert "You are not registered for this seminar." in response.content.decode()


def test_forged_withdraw_for_another_seminar_changes_nothing(client):
    registration = RegistrationFactory()
    other = SeminarFactory()
    client.force_login(registration.student)
    response = client.post(url("withdraw", other))
    assert response.status_code == 409
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_accepting_someone_elses_offer_is_refused(client):
    seminar = SeminarFactory(capacity=1)
    holder = RegistrationFactory(
        seminar=seminar, status=Status.OFFERED, offer_expires_at="2099-01-01T00:00Z"
    )
    intruder = RegistrationFactory(seminar=seminar, status=Status.WAITING)
    client.force_login(intruder.student)
    response = client.post(url("offer_accept", seminar), {"registration": holder.pk})
    assert response.status_code == 409
    assert "You have no open offer of a seat." in response.content.decode()
    assert dict(Registration.objects.values_list("pk", "status")) == {
        holder.pk: Status.OFFERED,
        intruder.pk: Status.WAITING,
    }


def test_busy_seminar_answers_503_with_retry_after(client, monkeypatch):
    seminar = SeminarFactory()
    client.force_login(UserFactory())

    def busy(seminar_id):
        raise Busy

    monkeypatch.setattr("seminar.services.registration.seminar_locked", busy)
    response = client.post(url("register", seminar))
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "please try again" in response.content.decode()
    assert Registration.objects.count() == 0


def test_dashboard_shows_waiting_position(client):
    seminar = SeminarFactory(capacity=0)
    RegistrationFactory(seminar=seminar, status=Status.WAITING, queue_number=1)
    mine = RegistrationFactory(seminar=seminar, status=Status.WAITING, queue_number=2)
    client.force_login(mine.student)
    page = client.get(url("dashboard", seminar)).content.decode()
    assert "You are on the waiting list at position <strong>2</strong>" in page


def test_dashboard_shows_offer_with_buttons(client):
    seminar = SeminarFactory(capacity=1)
    mine = RegistrationFactory(
        seminar=seminar, status=Status.OFFERED, offer_expires_at="2099-01-05T10:00Z"
    )
    client.force_login(mine.student)
    page = client.get(url("dashboard", seminar)).content.decode()
    assert "A seat is offered to you until <strong>Monday, 5 January 2099, 11:00</strong>" in page
    assert "Accept the seat" in page
    assert "Decline" in page


def test_dashboard_offers_withdrawal_only_before_the_seminar_starts(client):
    import datetime as dt

    from django.utils import timezone

    from seminar.tests.factories import MeetingFactory

    registration = RegistrationFactory()
    session = MeetingFactory(seminar=registration.seminar)
    client.force_login(registration.student)
    dashboard = url("dashboard", registration.seminar)
    assert "Withdraw…" in client.get(dashboard).content.decode()
    session.date = timezone.localdate() - dt.timedelta(days=1)
    session.save()
    assert "Withdraw…" not in client.get(dashboard).content.decode()
