"""Grading saves and the release meeting on PostgreSQL, at the seminar's grading lock.

The interleaving is forced: the test holds the lock (the grading scheme's row), starts the
requests in threads of their own, waits until PostgreSQL shows each of them waiting for that
lock, and only then lets go. A service that did not take the lock would not wait, and the test
would fail at the wait.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from grading.models import GradingScheme, StudentGrade
from grading.services import grades_release, grading_save
from grading.tests.factories import grading_world
from seminar.errors import Invalid
from seminar.models import ActivityEntry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 30


def waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def in_thread(work):
    def run():
        try:
            return work()
        except Invalid as refusal:
            return refusal
        finally:
            connections.close_all()  # this thread's own connection

    return run


def meet_at_the_lock(seminar, *works) -> list:
    """Run the works in parallel, each arriving while the test holds the grading lock."""
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                GradingScheme.objects.select_for_update().get(seminar=seminar)
                locked.set()
                release.wait(timeout=WAIT_SECONDS)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(works) + 1) as pool:
        holder = pool.submit(hold)
        assert locked.wait(timeout=WAIT_SECONDS)
        futures = [pool.submit(in_thread(work)) for work in works]
        try:
            for _ in range(WAIT_SECONDS * 20):
                if waiting_for_locks() >= len(works):
                    break
                threading.Event().wait(0.05)
            assert waiting_for_locks() == len(works)
        finally:
            release.set()
        holder.result()
        return [future.result(timeout=WAIT_SECONDS) for future in futures]


def test_two_graders_at_once_each_change_is_logged_against_the_other(settings):
    world = grading_world(1, criteria=0)
    student = world.students[0]

    def by(user, grade):
        return lambda: grading_save(registration=student, values={"presentation": grade}, by=user)

    meet_at_the_lock(world.seminar, by(world.supervisor, "1.3"), by(world.organizer, "2.0"))

    entries = list(ActivityEntry.objects.filter(action="grades.changed").order_by("pk"))
    first, second = [(e.old["presentation grade"], e.new["presentation grade"]) for e in entries]
    assert first[0] == "not graded"
    assert second[0] == first[1]  # the later save saw the earlier one: no lost change
    assert StudentGrade.objects.get().presentation == second[1]


def test_a_change_without_reason_never_slips_in_after_the_release():
    world = grading_world(1, criteria=0)
    student = world.students[0]
    change = lambda: grading_save(  # noqa: E731
        registration=student, values={"presentation": "1.3"}, by=world.supervisor
    )
    release = lambda: grades_release(seminar=world.seminar, by=world.organizer)  # noqa: E731

    changed, released = meet_at_the_lock(world.seminar, change, release)

    assert released == 1
    entries = list(
        ActivityEntry.objects.filter(action__in=["grades.changed", "grades.released"]).order_by(
            "pk"
        )
    )
    if isinstance(changed, Invalid):  # the release came first: the change needed a reason
        assert [e.action for e in entries] == ["grades.released"]
        assert StudentGrade.objects.filter(presentation="1.3").count() == 0
    else:  # the change came first and is part of what was released
        assert [e.action for e in entries] == ["grades.changed", "grades.released"]
        assert StudentGrade.objects.get().presentation == "1.3"
