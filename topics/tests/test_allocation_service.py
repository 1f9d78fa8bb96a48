"""Running, changing and publishing the allocation, and what each student is told afterwards."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from seminar.actor import acting_as
from seminar.enums import RegistrationStatus, StaffKind
from seminar.errors import DomainError
from seminar.models import ActivityEntry
from seminar.services import registration as registration_services
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffRoleFactory,
    StaffUserFactory,
)
from topics import services
from topics.enums import AssignmentReason
from topics.models import Assignment, Preference
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails go out after real commits

Status = RegistrationStatus
Reason = AssignmentReason


def prefer(registration, *topics) -> None:
    Preference.objects.bulk_create(Preference(registration=registration, topic=t) for t in topics)


def placed(run) -> dict[int, tuple[int | None, str]]:
    return {a.registration_id: (a.topic_id, a.reason) for a in run.assignments.all()}


def dashboard(client, registration) -> str:
    client.force_login(registration.student)
    return client.get(
        reverse("seminar:dashboard", args=[registration.seminar.slug])
    ).content.decode()


def mails_to(registration) -> list:
    return [m for m in mail.outbox if m.to == [registration.student.email]]


@pytest.fixture
def seminar():
    seminar = SeminarFactory(capacity=3)
    session = MeetingFactory(seminar=seminar, start_time="09:30", slot_minutes=45)
    supervisor = StaffRoleFactory(
        seminar=seminar, kind=StaffKind.SUPERVISOR, initials="GG", listed_as="Greta Gruber, MSc"
    )
    for slot in (1, 2, 3):
        TopicFactory(
            seminar=seminar,
            session=session,
            slot=slot,
            supervisor=supervisor,
            mock_group=slot,
            title=f"Paper {'ABC'[slot - 1]}",
        )
    return seminar


def test_run_gives_everyone_a_preference_when_possible(seminar):
    a, b, c = seminar.topics.order_by("slot")
    r1, r2, r3 = RegistrationFactory.create_batch(3, seminar=seminar)
    prefer(r1, a, b, c)
    prefer(r2, a, b, c)
    prefer(r3, a, b, c)
    run = services.allocation_run(seminar=seminar, seed=7)
    assert sorted(topic for topic, _ in placed(run).values()) == [a.pk, b.pk, c.pk]
    assert {reason for _, reason in placed(run).values()} == {Reason.ALLOCATION}


def test_runs_are_numbered_per_seminar(seminar):
    other = SeminarFactory()
    first = services.allocation_run(seminar=seminar, seed=1)
    elsewhere = services.allocation_run(seminar=other, seed=1)
    second = services.allocation_run(seminar=seminar, seed=1)
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert str(second) == f"Allocation run 2 of {seminar.tag} (seed 1, draft)"


def test_same_seed_repeats_the_run(seminar):
    topics = list(seminar.topics.all())
    registrations = RegistrationFactory.create_batch(3, seminar=seminar)
    for r in registrations:
        prefer(r, *topics)
    first = services.allocation_run(seminar=seminar, seed=42)
    second = services.allocation_run(seminar=seminar, seed=42)
    assert placed(first) == placed(second)
    assert (first.seed, second.seed) == (42, 42)


def test_fewer_topics_than_students_leaves_someone_without_a_topic(seminar):
    registrations = RegistrationFactory.create_batch(4, seminar=seminar)
    run = services.allocation_run(seminar=seminar, seed=3)
    without = list(run.assignments.filter(topic__isnull=True))
    assert len(without) == 1
    assert without[0].registration_id in {r.pk for r in registrations}


def test_supervisor_limit_is_respected(seminar):
    limited = StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR, max_students=1)
    extra = [TopicFactory(seminar=seminar, supervisor=limited) for _ in range(2)]
    registrations = RegistrationFactory.create_batch(2, seminar=seminar)
    for r in registrations:
        prefer(r, *extra, seminar.topics.exclude(supervisor=limited).first())
    run = services.allocation_run(seminar=seminar, seed=5)
    assert run.assignments.filter(topic__supervisor=limited).count() == 1


def test_publish_emails_each_student_topic_talk_group_supervisor_and_deadlines(seminar):
    topics = list(seminar.topics.order_by("slot"))
    registrations = RegistrationFactory.create_batch(3, seminar=seminar)
    for registration, topic in zip(registrations, topics, strict=True):
        prefer(registration, topic)  # one wish each: the only optimum gives everyone theirs
    run = services.allocation_run(seminar=seminar, seed=1)
    mail.outbox.clear()
    services.allocation_publish(run=run)
    assert len(mail.outbox) == 3
    [second] = mails_to(registrations[1])
    assert second.subject == f"[{seminar.tag}] Your topic: Paper B"
    session = topics[1].session
    talk_day = f"{session.date:%A, %-d %B %Y}"
    draft_day = f"{session.date - dt.timedelta(days=7):%A, %-d %B %Y}"
    assert "  Topic:       Paper B (2022)\n" in second.body
    assert f"  Talk:        {talk_day}, 10:15 (talk 2), room 1.06 (E1.1)\n" in second.body
    assert "  Supervisor:  Greta Gruber, MSc <" in second.body
    assert "  Mock group:  2\n" in second.body
    assert "This is one of your preferences." in second.body
    assert f"- Slide draft due: {draft_day}, 23:59" in second.body


def test_publish_twice_and_run_after_publish_are_refused(seminar):
    RegistrationFactory.create_batch(2, seminar=seminar)
    run = services.allocation_run(seminar=seminar, seed=1)
    services.allocation_publish(run=run)
    with pytest.raises(DomainError, match="published already"):
        services.allocation_publish(run=run)
    with pytest.raises(DomainError, match="The topics are published"):
        services.allocation_run(seminar=seminar, seed=2)


def test_publish_lets_participants_confirmed_after_the_run_choose(seminar):
    early = RegistrationFactory(seminar=seminar)
    run = services.allocation_run(seminar=seminar, seed=1)
    late = RegistrationFactory(seminar=seminar)
    mail.outbox.clear()
    services.allocation_publish(run=run)
    assignment = run.assignments.get(registration=late)
    assert (assignment.topic, assignment.reason) == (None, Reason.LATE_WAITING)
    assert run.assignments.get(registration=early).topic is not None
    assert [m.subject.split(" by ")[0] for m in mails_to(late)] == [
        f"[{seminar.tag}] Choose your topic"
    ]


def test_manual_change_to_full_topic_swaps(seminar):
    r1, r2 = RegistrationFactory.create_batch(2, seminar=seminar)
    run = services.allocation_run(seminar=seminar, seed=1)
    first = run.assignments.get(registration=r1)
    second = run.assignments.get(registration=r2)
    old, target = first.topic, second.topic
    changed = services.assignment_change(assignment=first, topic=target)
    first.refresh_from_db()
    second.refresh_from_db()
    assert [a.pk for a in changed] == [first.pk, second.pk]
    assert (first.topic, first.reason, first.is_manual) == (target, Reason.MANUAL, True)
    assert (second.topic, second.reason, second.is_manual) == (old, Reason.MANUAL, True)
    assert Assignment.objects.filter(run=run, topic=target).count() == 1


def test_setting_the_topic_a_student_has_is_not_a_change(seminar):
    registration = RegistrationFactory(seminar=seminar)
    run = services.allocation_run(seminar=seminar, seed=1)
    services.allocation_publish(run=run)
    assignment = run.assignments.get()
    mail.outbox.clear()
    logged = ActivityEntry.objects.count()
    assert services.assignment_change(assignment=assignment, topic=assignment.topic) == []
    assignment.refresh_from_db()
    assert (assignment.reason, assignment.is_manual) == (Reason.ALLOCATION, False)
    assert (mail.outbox, ActivityEntry.objects.count()) == ([], logged)
    assert registration.pk == assignment.registration_id


def test_manual_change_to_topic_of_other_seminar_is_refused(seminar):
    RegistrationFactory(seminar=seminar)
    run = services.allocation_run(seminar=seminar, seed=1)
    assignment = run.assignments.get()
    before = assignment.topic_id
    with pytest.raises(DomainError, match="another seminar"):
        services.assignment_change(assignment=assignment, topic=TopicFactory())
    assignment.refresh_from_db()
    assert assignment.topic_id == before


@pytest.fixture
def rivals(seminar):
    """Two students who both want only Paper A, published; returns (winner, loser, run)."""
    a = seminar.topics.get(title="Paper A")
    r1, r2 = RegistrationFactory.create_batch(2, seminar=seminar)
    prefer(r1, a)
    prefer(r2, a)
    run = services.allocation_run(seminar=seminar, seed=1)
    services.allocation_publish(run=run)
    winner = run.assignments.get(topic=a).registration
    loser = r2 if winner == r1 else r1
    return winner, loser, run


def test_student_who_lost_their_preference_is_told_where_it_went(client, rivals):
    _, loser, _ = rivals
    page = dashboard(client, loser)
    assert "None of your preferences could be given to you; this was a free topic." in page
    assert "<li>Paper A: it went to another student who had chosen it too.</li>" in page


def test_hand_change_tells_both_students_the_truth(client, seminar, rivals):
    winner, loser, run = rivals
    a = seminar.topics.get(title="Paper A")
    loser_assignment = run.assignments.get(registration=loser)
    old_topic = loser_assignment.topic
    mail.outbox.clear()
    with acting_as(StaffUserFactory()):
        services.assignment_change(assignment=loser_assignment, topic=a)

    moved = dashboard(client, loser)
    assert "The organizer assigned this topic by hand; it is one of your preferences." in moved
    assert "went to another student" not in moved
    swapped = dashboard(client, winner)
    assert f'<dd class="col-sm-9">{old_topic.title} (2022)</dd>' in swapped
    assert (
        "The organizer assigned this topic by hand; it is not one of your preferences." in swapped
    )
    assert "<li>Paper A: it went to another student who had chosen it too.</li>" in swapped

    [to_loser] = mails_to(loser)
    [to_winner] = mails_to(winner)
    assert (
        to_loser.subject
        == f"[{seminar.tag}] Your topic has changed: Paper A (was: {old_topic.title})"
    )
    assert f"  Before:      {old_topic.title}\n  Now:         Paper A\n" in to_loser.body
    assert to_winner.subject == (
        f"[{seminar.tag}] Your topic has changed: {old_topic.title} (was: Paper A)"
    )
    assert "- Paper A: it went to another student who had chosen it too." in to_winner.body


def test_hand_change_and_swap_are_logged_with_old_and_new_topics(seminar, rivals):
    winner, loser, run = rivals
    a = seminar.topics.get(title="Paper A")
    loser_assignment = run.assignments.get(registration=loser)
    old_topic = loser_assignment.topic
    services.assignment_change(assignment=loser_assignment, topic=a)
    entries = list(
        ActivityEntry.objects.filter(action="assignment.changed")
        .order_by("pk")
        .values_list("object_id", "old", "new", "reason")
    )
    winner_assignment = run.assignments.get(registration=winner)
    assert entries == [
        (str(loser_assignment.pk), {"topic": old_topic.pk}, {"topic": a.pk}, ""),
        (str(winner_assignment.pk), {"topic": a.pk}, {"topic": old_topic.pk}, "swap"),
    ]


def test_reasons_follow_a_withdrawal_at_once(client, seminar, rivals):
    winner, loser, _ = rivals
    registration_services.registration_withdraw(seminar=seminar, student=winner.student)
    page = dashboard(client, loser)
    assert (
        "<li>Paper A: it is free now; ask the organizer if you would like to change.</li>" in page
    )


def test_student_without_preference_sees_supervisor_limit(client, seminar):
    limited = StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR, max_students=0)
    d = TopicFactory(seminar=seminar, supervisor=limited, title="Limited paper")
    registration = RegistrationFactory(seminar=seminar)
    prefer(registration, d)
    run = services.allocation_run(seminar=seminar, seed=1)
    mail.outbox.clear()
    services.allocation_publish(run=run)
    page = dashboard(client, registration)
    assert "<li>Limited paper: its supervisor has reached their limit of students.</li>" in page
    [email] = mails_to(registration)
    assert "- Limited paper: its supervisor has reached their limit of students." in email.body


def test_dashboard_shows_published_topic_and_group_mates(client, seminar):
    topics = list(seminar.topics.order_by("slot"))
    topics[2].mock_group = topics[0].mock_group
    topics[2].save()
    registrations = RegistrationFactory.create_batch(3, seminar=seminar)
    for registration, topic in zip(registrations, topics, strict=True):
        prefer(registration, topic)
    run = services.allocation_run(seminar=seminar, seed=1)
    services.allocation_publish(run=run)
    mine = run.assignments.get(registration=registrations[0])
    mate = run.assignments.get(
        topic__mock_group=mine.topic.mock_group, registration__in=registrations[1:]
    )
    page = dashboard(client, registrations[0])
    assert mine.topic.title in page
    assert f"with {mate.registration.student.full_name}" in page
    assert "Slide draft due" in page
    assert "This is one of your preferences." in page


def test_reading_list_shows_published_names_to_participants(client, seminar):
    registrations = RegistrationFactory.create_batch(3, seminar=seminar)
    run = services.allocation_run(seminar=seminar, seed=1)
    client.force_login(registrations[0].student)
    url = seminar.get_absolute_url()
    names = [r.student.full_name for r in registrations[1:]]  # the viewer's own is in the menu
    assert not any(name in client.get(url).content.decode() for name in names)
    services.allocation_publish(run=run)
    page = client.get(url).content.decode()
    assert all(name in page for name in names)
