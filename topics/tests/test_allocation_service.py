"""Running, changing and publishing the allocation; late joiners; the schedule pages."""

import pytest
from django.core import mail
from django.urls import reverse

from seminar.enums import RegistrationStatus, StaffKind
from seminar.errors import DomainError
from seminar.models import Registration
from seminar.services import registration as registration_services
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffRoleFactory,
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


@pytest.fixture
def seminar():
    seminar = SeminarFactory(capacity=3)
    session = MeetingFactory(seminar=seminar, start_time="09:30", slot_minutes=45)
    supervisor = StaffRoleFactory(
        seminar=seminar, kind=StaffKind.SUPERVISOR, initials="GG", listed_as="Greta Gruber, MSc"
    )
    for slot in (1, 2, 3):
        TopicFactory(
            seminar=seminar, session=session, slot=slot, supervisor=supervisor, mock_group=slot
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
    assert {reason for _, reason in placed(run).values()} == {Reason.PREFERENCE}


def test_run_explains_a_student_left_without_preference(seminar):
    a, b, c = seminar.topics.order_by("slot")
    r1, r2, r3 = RegistrationFactory.create_batch(3, seminar=seminar)
    prefer(r1, a, b, c)
    prefer(r2, a, b, c)
    run = services.allocation_run(seminar=seminar, seed=1)
    assert placed(run)[r3.pk][1] == Reason.NO_PREFERENCES
    assert Reason(placed(run)[r3.pk][1]).label == "You sent no preferences; this was a free topic."


def test_same_seed_repeats_the_run(seminar):
    topics = list(seminar.topics.all())
    registrations = RegistrationFactory.create_batch(3, seminar=seminar)
    for r in registrations:
        prefer(r, *topics)
    first = services.allocation_run(seminar=seminar, seed=42)
    second = services.allocation_run(seminar=seminar, seed=42)
    assert placed(first) == placed(second)
    assert (first.seed, second.seed) == (42, 42)


def test_fewer_topics_than_students_leaves_someone_unplaced(seminar):
    registrations = RegistrationFactory.create_batch(4, seminar=seminar)
    run = services.allocation_run(seminar=seminar, seed=3)
    reasons = [reason for _, reason in placed(run).values()]
    assert reasons.count(Reason.UNPLACED) == 1
    page_registrations = {a.registration_id for a in run.assignments.filter(topic__isnull=True)}
    assert page_registrations <= {r.pk for r in registrations}


def test_supervisor_limit_is_respected(seminar):
    limited = StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR, max_students=1)
    extra = [TopicFactory(seminar=seminar, supervisor=limited) for _ in range(2)]
    registrations = RegistrationFactory.create_batch(2, seminar=seminar)
    for r in registrations:
        prefer(r, *extra, seminar.topics.exclude(supervisor=limited).first())
    run = services.allocation_run(seminar=seminar, seed=5)
    assert run.assignments.filter(topic__supervisor=limited).count() == 1


def test_publish_emails_each_student_topic_talk_group_supervisor(seminar):
    topics = list(seminar.topics.order_by("slot"))
    registrations = RegistrationFactory.create_batch(3, seminar=seminar)
    for registration, topic in zip(registrations, topics, strict=True):
        prefer(registration, topic)  # one wish each: the only optimum gives everyone theirs
    run = services.allocation_run(seminar=seminar, seed=1)
    mail.outbox.clear()
    services.allocation_publish(run=run)
    assert len(mail.outbox) == 3
    second = next(m for m in mail.outbox if m.to == [registrations[1].student.email])
    assert second.subject == f"[{seminar.tag}] Your topic: {topics[1].title}"
    session = topics[1].session
    assert f"Topic:       {topics[1].title} (2022)" in second.body
    assert (
        f"Talk:        {session.date:%A, %-d %B %Y}, 10:15 (talk 2), room 1.06 (E1.1)"
        in second.body
    )
    assert "Supervisor:  Greta Gruber, MSc <" in second.body
    assert "Mock group:  2" in second.body


def test_publish_twice_and_run_after_publish_are_refused(seminar):
    RegistrationFactory.create_batch(2, seminar=seminar)
    run = services.allocation_run(seminar=seminar, seed=1)
    services.allocation_publish(run=run)
    with pytest.raises(DomainError, match="published already"):
        services.allocation_publish(run=run)
    with pytest.raises(DomainError, match="The topics are published"):
        services.allocation_run(seminar=seminar, seed=2)


def test_manual_change_to_full_topic_swaps(seminar):
    a, b, _ = seminar.topics.order_by("slot")
    r1, r2 = RegistrationFactory.create_batch(2, seminar=seminar)
    prefer(r1, a, b, _)
    run = services.allocation_run(seminar=seminar, seed=1)
    first = run.assignments.get(registration=r1)
    second = run.assignments.get(registration=r2)
    target = second.topic
    services.assignment_change(assignment=first, topic=target)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.topic_id, first.reason, first.is_manual) == (target.pk, Reason.MANUAL, True)
    assert second.topic_id != target.pk
    assert Assignment.objects.filter(run=run, topic=target).count() == 1


def test_manual_change_to_topic_of_other_seminar_is_refused(seminar):
    RegistrationFactory(seminar=seminar)
    run = services.allocation_run(seminar=seminar, seed=1)
    assignment = run.assignments.get()
    before = assignment.topic_id
    with pytest.raises(DomainError, match="another seminar"):
        services.assignment_change(assignment=assignment, topic=TopicFactory())
    assignment.refresh_from_db()
    assert assignment.topic_id == before


def test_late_joiner_gets_free_preferred_topic_without_moving_anyone(seminar):
    a, b, c = seminar.topics.order_by("slot")
    seminar.capacity = 2
    seminar.save()
    r1, r2 = RegistrationFactory.create_batch(2, seminar=seminar)
    prefer(r1, a, b, c)
    prefer(r2, a, b, c)
    run = services.allocation_run(seminar=seminar, seed=1)
    services.allocation_publish(run=run)
    before = placed(run)
    free_topic = ({a.pk, b.pk, c.pk} - {t for t, _ in before.values()}).pop()
    waiting = RegistrationFactory(seminar=seminar, status=Status.WAITING, queue_number=1)
    prefer(waiting, *seminar.topics.all())
    seminar.offer_hours = 0
    seminar.save()
    registration_services.registration_withdraw(seminar=seminar, student=r2.student)
    late = run.assignments.get(registration=waiting)
    assert (late.topic_id, late.reason) in {
        (free_topic, Reason.LATE_PREFERENCE),
        (before[r2.pk][0], Reason.LATE_PREFERENCE),
    }
    assert run.assignments.get(registration=r1).topic_id == before[r1.pk][0]
    assert Registration.objects.get(pk=waiting.pk).status == Status.CONFIRMED
    assert any(
        m.subject.startswith(f"[{seminar.tag}] Your topic: ")
        for m in mail.outbox
        if m.to == [waiting.student.email]
    )


def test_late_joiner_without_free_topic_is_unplaced(seminar):
    RegistrationFactory.create_batch(3, seminar=seminar)
    run = services.allocation_run(seminar=seminar, seed=1)
    services.allocation_publish(run=run)
    seminar.offer_hours = 0
    seminar.save()
    waiting = RegistrationFactory(seminar=seminar, status=Status.WAITING, queue_number=1)
    registration_services.seminar_capacity_set(seminar=seminar, capacity=4)
    assert run.assignments.get(registration=waiting).reason == Reason.UNPLACED


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
    client.force_login(registrations[0].student)
    page = client.get(reverse("seminar:dashboard", args=[seminar.slug])).content.decode()
    assert mine.topic.title in page
    assert f"with {mate.registration.student.full_name}" in page
    assert "Slide draft due" in page
    assert mine.get_reason_display() in page


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


def test_student_without_preference_sees_why_each_was_not_free(client, seminar):
    a, b, c = seminar.topics.order_by("slot")
    limited = StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR, max_students=0)
    d = TopicFactory(seminar=seminar, supervisor=limited, title="Limited paper")
    r1, r2 = RegistrationFactory.create_batch(2, seminar=seminar)
    prefer(r1, a)
    prefer(r2, a, d)
    # Either student may win `a`; take the first seed under which r2 is the one who loses it.
    run = next(
        run
        for seed in range(50)
        if (run := services.allocation_run(seminar=seminar, seed=seed))
        .assignments.get(registration=r2)
        .reason
        == Reason.PREFERENCES_TAKEN
    )
    services.allocation_publish(run=run)
    loser = run.assignments.get(registration=r2)
    assert (loser.reason, loser.blocked) == (
        Reason.PREFERENCES_TAKEN,
        {str(a.pk): "taken", str(d.pk): "supervisor_limit"},
    )
    client.force_login(r2.student)
    page = client.get(reverse("seminar:dashboard", args=[seminar.slug])).content.decode()
    assert f"<li>{a.title}: went to a student who had no other of their choices left.</li>" in page
    assert "<li>Limited paper: its supervisor had reached their limit of students.</li>" in page
    email = next(m for m in mail.outbox if m.to == [r2.student.email])
    assert "- Limited paper: its supervisor had reached their limit of students." in email.body
