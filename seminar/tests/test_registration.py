"""The registration and waiting-list rules, one service call at a time (SQLite is enough here;
the parallel runs on PostgreSQL are in test_concurrency.py)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from mail.models import OutgoingEmail
from seminar.enums import DegreeLevel, RegistrationStatus
from seminar.errors import DomainError, NotAllowed
from seminar.models import Registration
from seminar.selectors import waiting_position
from seminar.services import registration as services
from seminar.tasks import offers_expire_all
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    UserFactory,
)

# Real commits, so that e-mails go out after commit exactly as in production.
pytestmark = pytest.mark.django_db(transaction=True)

Status = RegistrationStatus


def statuses(seminar) -> dict[str, str]:
    return dict(
        Registration.objects.filter(seminar=seminar).values_list("student__full_name", "status")
    )


def subjects_to(user) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [user.email]]


def full_seminar(capacity: int = 2, waiting: int = 2, **fields):
    seminar = SeminarFactory(capacity=capacity, **fields)
    confirmed = [RegistrationFactory(seminar=seminar) for _ in range(capacity)]
    queue = [
        RegistrationFactory(seminar=seminar, status=Status.WAITING, queue_number=i + 1)
        for i in range(waiting)
    ]
    return seminar, confirmed, queue


def test_register_with_a_free_seat_confirms():
    seminar = SeminarFactory(capacity=2)
    student = UserFactory()
    registration = services.registration_create(seminar=seminar, student=student)
    assert registration.status == Status.CONFIRMED
    assert subjects_to(student) == [f"[{seminar.tag}] Your seat is confirmed"]


def test_register_when_full_queues_at_the_end():
    seminar, _, queue = full_seminar(waiting=2)
    student = UserFactory()
    registration = services.registration_create(seminar=seminar, student=student)
    assert registration.status == Status.WAITING
    assert waiting_position(registration) == 3
    assert subjects_to(student) == [f"[{seminar.tag}] You are on the waiting list (position 3)"]


def test_register_with_free_seat_but_people_waiting_queues_newcomer():
    seminar, confirmed, queue = full_seminar(waiting=1)
    services.registration_withdraw(seminar=seminar, student=confirmed[0].student)
    newcomer = services.registration_create(seminar=seminar, student=UserFactory())
    assert Registration.objects.get(pk=queue[0].pk).status == Status.OFFERED
    assert newcomer.status == Status.WAITING
    assert waiting_position(newcomer) == 1


def test_register_refused_for_ineligible_degree_level():
    seminar = SeminarFactory(admits_bachelor=False, eligibility="master students")
    student = UserFactory(degree_level=DegreeLevel.BACHELOR)
    with pytest.raises(DomainError) as refusal:
        services.registration_create(seminar=seminar, student=student)
    assert isinstance(refusal.value, NotAllowed)
    assert refusal.value.message == (
        "This seminar is not open to Bachelor students (eligible: master students)."
    )
    assert Registration.objects.count() == 0


def test_register_refused_when_closed_without_waiting_list():
    seminar = SeminarFactory(
        has_waiting_list=False, registration_closes_at=timezone.now() - dt.timedelta(hours=1)
    )
    with pytest.raises(DomainError) as refusal:
        services.registration_create(seminar=seminar, student=UserFactory())
    assert refusal.value.message == "Registration is closed and this seminar keeps no waiting list."
    assert Registration.objects.count() == 0


def test_register_refused_when_full_without_waiting_list():
    seminar, _, _ = full_seminar(waiting=0, has_waiting_list=False)
    with pytest.raises(DomainError) as refusal:
        services.registration_create(seminar=seminar, student=UserFactory())
    assert refusal.value.message == "The seminar is full and keeps no waiting list."


def test_register_when_closed_and_full_joins_waiting_list():
    seminar, _, _ = full_seminar(waiting=0)
    seminar.registration_closes_at = timezone.now() - dt.timedelta(hours=1)
    seminar.save()
    registration = services.registration_create(seminar=seminar, student=UserFactory())
    assert registration.status == Status.WAITING


def test_register_refused_before_registration_opens():
    seminar = SeminarFactory(registration_opens_at=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(DomainError) as refusal:
        services.registration_create(seminar=seminar, student=UserFactory())
    assert refusal.value.message.startswith("Registration has not opened yet. It opens on ")
    assert Registration.objects.count() == 0


def test_register_twice_is_refused_and_changes_nothing():
    seminar = SeminarFactory()
    student = UserFactory()
    first = services.registration_create(seminar=seminar, student=student)
    with pytest.raises(DomainError) as refusal:
        services.registration_create(seminar=seminar, student=student)
    assert refusal.value.message == "You are already registered (confirmed)."
    assert list(Registration.objects.values_list("pk", "status")) == [(first.pk, Status.CONFIRMED)]
    assert len(mail.outbox) == 1


def test_withdraw_frees_seat_for_first_in_line_with_offer():
    seminar, confirmed, queue = full_seminar(waiting=2)
    with time_machine.travel(dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        services.registration_withdraw(seminar=seminar, student=confirmed[0].student)
        first = Registration.objects.get(pk=queue[0].pk)
    assert first.status == Status.OFFERED
    assert first.offer_expires_at == dt.datetime(2030, 1, 3, 12, tzinfo=dt.UTC)
    assert Registration.objects.get(pk=queue[1].pk).status == Status.WAITING
    assert waiting_position(Registration.objects.get(pk=queue[1].pk)) == 1
    assert subjects_to(confirmed[0].student) == [f"[{seminar.tag}] You have withdrawn"]
    assert subjects_to(queue[0].student) == [
        f"[{seminar.tag}] A seat is free for you: accept by 3 January 2030, 13:00"
    ]


def test_withdraw_from_waiting_list_moves_others_up():
    seminar, _, queue = full_seminar(waiting=3)
    services.registration_withdraw(seminar=seminar, student=queue[0].student)
    positions = [waiting_position(Registration.objects.get(pk=r.pk)) for r in queue[1:]]
    assert positions == [1, 2]


def test_withdraw_twice_is_refused():
    seminar = SeminarFactory()
    student = UserFactory()
    services.registration_create(seminar=seminar, student=student)
    services.registration_withdraw(seminar=seminar, student=student)
    with pytest.raises(DomainError) as refusal:
        services.registration_withdraw(seminar=seminar, student=student)
    assert refusal.value.message == "You are not registered for this seminar."
    assert statuses(seminar) == {student.full_name: Status.WITHDRAWN}


def test_withdraw_refused_once_the_first_session_started():
    seminar = SeminarFactory()
    MeetingFactory(seminar=seminar, date=timezone.localdate() - dt.timedelta(days=1))
    registration = RegistrationFactory(seminar=seminar)
    with pytest.raises(DomainError) as refusal:
        services.registration_withdraw(seminar=seminar, student=registration.student)
    assert refusal.value.message == "The seminar has started; registrations can no longer change."
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED


def test_rejoin_after_withdrawal_goes_to_end_of_line():
    seminar, _, queue = full_seminar(waiting=2)
    services.registration_withdraw(seminar=seminar, student=queue[0].student)
    again = services.registration_create(seminar=seminar, student=queue[0].student)
    assert again.pk == queue[0].pk
    assert again.status == Status.WAITING
    assert waiting_position(again) == 2


def test_accept_offer_confirms():
    seminar, confirmed, queue = full_seminar(waiting=1)
    services.registration_withdraw(seminar=seminar, student=confirmed[0].student)
    registration = services.offer_accept(seminar=seminar, student=queue[0].student)
    assert registration.status == Status.CONFIRMED
    assert subjects_to(queue[0].student)[-1] == (
        f"[{seminar.tag}] You moved up from the waiting list: your seat is confirmed"
    )


def test_decline_offer_passes_seat_to_next():
    seminar, confirmed, queue = full_seminar(waiting=2)
    services.registration_withdraw(seminar=seminar, student=confirmed[0].student)
    services.offer_decline(seminar=seminar, student=queue[0].student)
    assert Registration.objects.get(pk=queue[0].pk).status == Status.DECLINED
    assert Registration.objects.get(pk=queue[1].pk).status == Status.OFFERED


def test_offer_expiry_passes_seat_to_next():
    seminar, confirmed, queue = full_seminar(waiting=2)
    start = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        services.registration_withdraw(seminar=seminar, student=confirmed[0].student)
    with time_machine.travel(start + dt.timedelta(hours=47, minutes=59), tick=False):
        assert services.offers_expire(seminar=seminar) == 0
    with time_machine.travel(start + dt.timedelta(hours=48), tick=False):
        assert services.offers_expire(seminar=seminar) == 1
    assert Registration.objects.get(pk=queue[0].pk).status == Status.EXPIRED
    assert Registration.objects.get(pk=queue[1].pk).status == Status.OFFERED
    assert subjects_to(queue[0].student)[-1] == f"[{seminar.tag}] Your offer has expired"


def test_accept_expired_offer_is_refused():
    seminar, confirmed, queue = full_seminar(waiting=2)
    start = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        services.registration_withdraw(seminar=seminar, student=confirmed[0].student)
    with (
        time_machine.travel(start + dt.timedelta(hours=49), tick=False),
        pytest.raises(DomainError) as refusal,
    ):
        services.offer_accept(seminar=seminar, student=queue[0].student)
    assert refusal.value.message == (
        "Your offer expired on 3 January 2030, 13:00. You can join the waiting list again."
    )
    assert Registration.objects.get(pk=queue[0].pk).status == Status.EXPIRED
    assert Registration.objects.get(pk=queue[1].pk).status == Status.OFFERED


def test_accept_without_offer_is_refused():
    seminar, _, queue = full_seminar(waiting=1)
    with pytest.raises(DomainError) as refusal:
        services.offer_accept(seminar=seminar, student=queue[0].student)
    assert refusal.value.message == "You have no open offer of a seat."
    assert Registration.objects.get(pk=queue[0].pk).status == Status.WAITING


def test_zero_offer_hours_promotes_at_once():
    seminar, confirmed, queue = full_seminar(waiting=1, offer_hours=0)
    services.registration_withdraw(seminar=seminar, student=confirmed[0].student)
    assert Registration.objects.get(pk=queue[0].pk).status == Status.CONFIRMED


def test_capacity_raise_offers_new_seats_in_order():
    seminar, _, queue = full_seminar(waiting=3)
    services.seminar_capacity_set(seminar=seminar, capacity=4)
    assert [Registration.objects.get(pk=r.pk).status for r in queue] == [
        Status.OFFERED,
        Status.OFFERED,
        Status.WAITING,
    ]


def test_capacity_below_taken_seats_is_refused():
    seminar, _, _ = full_seminar(capacity=3, waiting=0)
    with pytest.raises(DomainError) as refusal:
        services.seminar_capacity_set(seminar=seminar, capacity=2)
    assert refusal.value.message == "3 seats are taken; the capacity cannot be lower than that."
    seminar.refresh_from_db()
    assert seminar.capacity == 3


def test_organizer_promote_when_full_raises_capacity_by_one():
    seminar, _, queue = full_seminar(capacity=2, waiting=2)
    registration, new_capacity = services.registration_promote(registration=queue[1])
    assert registration.status == Status.CONFIRMED
    assert new_capacity == 3
    assert Registration.objects.get(pk=queue[0].pk).status == Status.WAITING


def test_organizer_remove_passes_seat_on():
    seminar, confirmed, queue = full_seminar(waiting=1)
    services.registration_remove(registration=confirmed[1])
    assert Registration.objects.get(pk=confirmed[1].pk).status == Status.REMOVED
    assert Registration.objects.get(pk=queue[0].pk).status == Status.OFFERED
    assert subjects_to(confirmed[1].student) == [f"[{seminar.tag}] Your registration was removed"]


def test_organizer_move_in_waiting_list():
    seminar, _, queue = full_seminar(waiting=4)
    assert services.waiting_list_move(registration=queue[3], position=1) == 1
    order = [
        r.pk
        for r in Registration.objects.filter(seminar=seminar, status=Status.WAITING).order_by(
            "queue_number"
        )
    ]
    assert order == [queue[3].pk, queue[0].pk, queue[1].pk, queue[2].pk]
    assert services.waiting_list_move(registration=queue[3], position=99) == 4


def test_organizer_move_refused_for_someone_not_waiting():
    seminar, confirmed, _ = full_seminar(waiting=1)
    with pytest.raises(DomainError):
        services.waiting_list_move(registration=confirmed[0], position=1)


def test_registration_rolled_back_sends_nothing():
    seminar = SeminarFactory()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.registration_create(seminar=seminar, student=UserFactory())
        raise Abort
    assert mail.outbox == []
    assert OutgoingEmail.objects.count() == 0
    assert Registration.objects.count() == 0


def test_periodic_task_expires_offers_of_every_seminar():
    start = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
    queues = []
    for _ in range(2):
        seminar, confirmed, queue = full_seminar(waiting=2)
        with time_machine.travel(start, tick=False):
            services.registration_withdraw(seminar=seminar, student=confirmed[0].student)
        queues.append(queue)
    with time_machine.travel(start + dt.timedelta(hours=49), tick=False):
        assert offers_expire_all() == 2
    for queue in queues:
        assert [Registration.objects.get(pk=r.pk).status for r in queue] == [
            Status.EXPIRED,
            Status.OFFERED,
        ]


def test_seminar_page_read_expires_due_offer(client):
    seminar, confirmed, queue = full_seminar(waiting=2)
    start = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        services.registration_withdraw(seminar=seminar, student=confirmed[0].student)
    with time_machine.travel(start + dt.timedelta(hours=49), tick=False):
        client.get(seminar.get_absolute_url())
    assert Registration.objects.get(pk=queue[0].pk).status == Status.EXPIRED


@pytest.mark.parametrize(
    ("fields", "confirmed", "waiting", "session_days"),
    [
        ({"capacity": 2}, 0, 0, 30),  # open with seats
        ({"capacity": 1}, 1, 0, 30),  # full, waiting list
        ({"capacity": 1, "has_waiting_list": False}, 1, 0, 30),  # full, no list
        ({"capacity": 2}, 0, 1, 30),  # seats free but someone waits
        ({"registration_closes_at": timezone.now() - dt.timedelta(hours=1)}, 0, 0, 30),
        (
            {
                "registration_closes_at": timezone.now() - dt.timedelta(hours=1),
                "has_waiting_list": False,
            },
            0,
            0,
            30,
        ),
        ({"registration_opens_at": timezone.now() + dt.timedelta(days=1)}, 0, 0, 30),
        ({"capacity": 2}, 0, 0, -1),  # started
    ],
)
def test_service_does_what_the_page_offers(fields, confirmed, waiting, session_days):
    from seminar.selectors import QUEUE, REGISTER, registration_state

    seminar = SeminarFactory(**fields)
    MeetingFactory(
        seminar=seminar,
        date=timezone.localdate() + dt.timedelta(days=session_days),
        start_time=dt.time(0, 0),
    )
    RegistrationFactory.create_batch(confirmed, seminar=seminar)
    RegistrationFactory.create_batch(waiting, seminar=seminar, status=Status.WAITING)
    state = registration_state(seminar, timezone.now())
    expected = {REGISTER: Status.CONFIRMED, QUEUE: Status.WAITING}
    if state.action:
        outcome = services.registration_create(seminar=seminar, student=UserFactory()).status
        assert outcome == expected[state.action]
    else:
        with pytest.raises(DomainError) as refusal:
            services.registration_create(seminar=seminar, student=UserFactory())
        assert refusal.value.message == state.refusal
