"""The activity log: every state change says who did it, when, and what it was before and after."""

import pytest
from django.urls import reverse

from seminar.actor import acting_as
from seminar.enums import RegistrationStatus as Status
from seminar.enums import StaffKind
from seminar.models import ActivityEntry
from seminar.services import registration as services
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.tests.factories import (
    RegistrationFactory,
    SeminarFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_registration_through_the_site_is_logged_with_the_student_as_actor(client):
    seminar = SeminarFactory()
    student = UserFactory(full_name="Ada Lovelace", email="ada@example.org")
    client.force_login(student)
    client.post(reverse("seminar:register", kwargs={"slug": seminar.slug}))
    entry = ActivityEntry.objects.get(action__startswith="registration.")
    assert (entry.actor, entry.actor_name, entry.seminar, entry.action) == (
        student,
        "Ada Lovelace <ada@example.org>",
        seminar,
        "registration.confirmed",
    )
    assert (entry.old, entry.new) == ({"status": None}, {"status": "confirmed"})


def test_change_without_a_person_is_logged_as_system():
    seminar = SeminarFactory(capacity=1)
    RegistrationFactory(seminar=seminar)
    services.seminar_capacity_set(seminar=seminar, capacity=3)
    entry = ActivityEntry.objects.get(action="seminar.capacity_set")
    assert (entry.actor, entry.actor_name, entry.old, entry.new) == (
        None,
        "system",
        {"capacity": 1},
        {"capacity": 3},
    )


def test_withdrawal_freeing_a_seat_logs_both_changes_in_order():
    seminar = SeminarFactory(capacity=1, offer_hours=48)
    holder = RegistrationFactory(seminar=seminar)
    waiting = RegistrationFactory(seminar=seminar, status=Status.WAITING)
    with acting_as(holder.student):
        services.registration_withdraw(seminar=seminar, student=holder.student)
    entries = list(
        ActivityEntry.objects.filter(action__startswith="registration.")
        .order_by("pk")
        .values_list("object_id", "action", "old")
    )
    assert entries == [
        (str(holder.pk), "registration.withdrawn", {"status": "confirmed"}),
        (str(waiting.pk), "registration.offered", {"status": "waiting"}),
    ]


def test_waiting_list_move_logs_old_and_new_position():
    seminar = SeminarFactory(capacity=0)
    line = [RegistrationFactory(seminar=seminar, status=Status.WAITING) for _ in range(3)]
    services.waiting_list_move(registration=line[2], position=1)
    entry = ActivityEntry.objects.get(action="waiting_list.moved")
    assert (entry.old, entry.new) == ({"position": 3}, {"position": 1})


def test_organizer_sees_only_their_seminars_log_in_the_admin(client):
    staff_groups_ensure()
    mine, other = SeminarFactory(), SeminarFactory()
    organizer = StaffUserFactory()
    staff_role_add(seminar=mine, user=organizer, kind=StaffKind.ORGANIZER)
    services.registration_close_now(seminar=mine)
    services.registration_close_now(seminar=other)
    client.force_login(organizer)
    response = client.get(reverse("admin:seminar_activityentry_changelist"))
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert [(e.seminar, e.action) for e in shown] == [
        (mine, "registration.closed"),
        (mine, "staff.added"),
        (mine, "seminar.created"),
    ]
    entry = shown[0]
    change_url = reverse("admin:seminar_activityentry_change", args=[entry.pk])
    assert client.post(change_url, {"action": "x"}).status_code == 403
    other_entry = ActivityEntry.objects.filter(seminar=other).first()
    other_url = reverse("admin:seminar_activityentry_change", args=[other_entry.pk])
    assert client.get(other_url).status_code == 302  # the admin's "doesn't exist" redirect
