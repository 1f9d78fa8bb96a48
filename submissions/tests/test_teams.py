"""Project teams: invitation and acceptance, one team at a time, never over the team size."""

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from seminar.enums import RegistrationStatus
from seminar.errors import Conflict, DomainError, Invalid, NotAllowed
from seminar.models import ActivityEntry, Seminar
from seminar.tests.factories import RegistrationFactory, SeminarFactory
from submissions.enums import DeliverableKind
from submissions.models import Team, TeamInvitation, TeamMembership
from submissions.services import teams as teams_module
from submissions.services.teams import (
    team_invitation_accept,
    team_invitation_decline,
    team_invitation_withdraw,
    team_invite,
    team_leave,
)
from submissions.services.uploads import submission_upload
from submissions.tests.factories import deliverable, upload, zip_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar():
    return SeminarFactory()


@pytest.fixture
def students(seminar):
    return RegistrationFactory.create_batch(4, seminar=seminar)


def members(team: Team) -> set[int]:
    return set(team.memberships.values_list("registration_id", flat=True))


def invite(inviter, invitee):
    return team_invite(registration=inviter, email=invitee.student.email.upper())


def test_invited_partner_accepts_and_both_are_one_team(students):
    a, b = students[:2]
    invitation = invite(a, b)
    team = team_invitation_accept(invitation_id=invitation.pk, registration=b)

    assert members(team) == {a.pk, b.pk}
    assert TeamInvitation.objects.count() == 0
    entries = ActivityEntry.objects.filter(action__startswith="team.").order_by("pk")
    assert [(e.action, e.actor) for e in entries] == [("team.invited", None), ("team.joined", None)]
    assert entries[1].new == {"member": b.student.email, "invited_by": a.student.email}


def test_invitation_needs_a_participant_of_the_same_seminar(students):
    a = students[0]
    stranger = RegistrationFactory()  # another seminar
    waiting = RegistrationFactory(seminar=a.seminar, status=RegistrationStatus.WAITING)
    for other in (stranger, waiting):
        with pytest.raises(Invalid) as refusal:
            invite(a, other)
        assert refusal.value.message == (
            f"No participant of this seminar has the e-mail address {other.student.email.upper()}."
        )
    with pytest.raises(Invalid, match="You cannot invite yourself"):
        invite(a, a)


def test_a_full_team_takes_no_one_else(students):
    a, b, c = students[:3]
    invitation_b, invitation_c = invite(a, b), invite(a, c)
    team_invitation_accept(invitation_id=invitation_b.pk, registration=b)

    # Filling the team (team_max 2) withdrew the other open invitation.
    assert not TeamInvitation.objects.filter(pk=invitation_c.pk).exists()
    with pytest.raises(Conflict) as refusal:
        invite(a, c)
    assert refusal.value.message == "A team has at most 2 members."


def test_accepting_when_the_team_filled_meanwhile_is_refused(students, seminar):
    project = deliverable(seminar, DeliverableKind.PROJECT)
    project.team_max = 3
    project.save()
    a, b, c = students[:3]
    invitation_b, invitation_c = invite(a, b), invite(a, c)
    team_invitation_accept(invitation_id=invitation_b.pk, registration=b)
    project.team_max = 2  # the organizer changed the rule meanwhile
    project.save()
    with pytest.raises(Conflict, match="That team is full"):
        team_invitation_accept(invitation_id=invitation_c.pk, registration=c)
    assert TeamMembership.objects.filter(registration=c).count() == 0


def test_a_student_is_in_one_team_at_a_time(students):
    a, b, c, d = students
    team_invitation_accept(invitation_id=invite(a, b).pk, registration=b)
    with pytest.raises(Conflict) as refusal:
        invite(c, b)
    assert refusal.value.message == f"{b.student.full_name} is in another team already."
    with pytest.raises(Conflict, match="A team has at most 2 members."):
        invite(b, d)


def test_database_allows_one_membership_per_student(students):
    a = students[0]
    TeamMembership.objects.create(team=Team.objects.create(seminar=a.seminar), registration=a)
    with pytest.raises(IntegrityError):
        TeamMembership.objects.create(team=Team.objects.create(seminar=a.seminar), registration=a)


def test_joining_dissolves_an_own_team_of_one_without_a_project(students):
    a, b, c = students[:3]
    own = invite(b, c).team  # b's team of one, with an invitation to c
    team_invitation_accept(invitation_id=invite(a, b).pk, registration=b)
    assert not Team.objects.filter(pk=own.pk).exists()
    assert TeamInvitation.objects.count() == 0


def test_a_student_who_handed_in_alone_cannot_join_a_team(students, seminar):
    a, b = students[:2]
    submission_upload(
        registration=b,
        deliverable=deliverable(seminar, DeliverableKind.PROJECT),
        upload=upload(zip_bytes(), "solo.zip"),
        by=b.student,
    )
    invitation = invite(a, b)
    with pytest.raises(Conflict, match="You have handed in a project on your own"):
        team_invitation_accept(invitation_id=invitation.pk, registration=b)


def test_a_team_that_handed_in_no_longer_changes(students, seminar):
    a, b, c = students[:3]
    team_invitation_accept(invitation_id=invite(a, b).pk, registration=b)
    submission_upload(
        registration=a,
        deliverable=deliverable(seminar, DeliverableKind.PROJECT),
        upload=upload(zip_bytes(), "team.zip"),
        by=a.student,
    )
    with pytest.raises(Conflict, match="Your team has handed in its project"):
        team_leave(registration=b)


def test_decline_and_withdraw_close_the_invitation(students):
    a, b, c = students[:3]
    team_invitation_decline(invitation_id=invite(a, b).pk, registration=b)
    invitation = invite(a, c)
    with pytest.raises(Conflict, match="no longer open"):
        team_invitation_decline(invitation_id=invitation.pk, registration=b)  # not b's
    team_invitation_withdraw(invitation_id=invitation.pk, registration=a)
    assert TeamInvitation.objects.count() == 0
    with pytest.raises(Conflict, match="no longer open"):
        team_invitation_accept(invitation_id=invitation.pk, registration=c)


def test_leaving_the_last_member_removes_the_team(students):
    a, b = students[:2]
    team = team_invitation_accept(invitation_id=invite(a, b).pk, registration=b)
    team_leave(registration=a)
    assert members(team) == {b.pk}
    team_leave(registration=b)
    assert Team.objects.count() == 0


def test_project_alone_means_no_teams(students, seminar):
    project = deliverable(seminar, DeliverableKind.PROJECT)
    project.team_max = 1
    project.save()
    with pytest.raises(NotAllowed, match="done alone"):
        invite(*students[:2])


def test_team_pages_answer_participants_only(client, students, seminar):
    a, b = students[:2]
    client.force_login(a.student)
    response = client.post(
        reverse("submissions:team_invite", args=[seminar.slug]), {"email": b.student.email}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/{seminar.slug}/me/#team"
    invitation = TeamInvitation.objects.get()
    client.force_login(students[2].student)  # not the invitee
    url = reverse("submissions:team_invitation", args=[seminar.slug, invitation.pk, "accept"])
    client.post(url)
    assert TeamMembership.objects.filter(registration=students[2]).count() == 0
    client.force_login(b.student)
    client.post(url)
    assert members(invitation.team) == {a.pk, b.pk}
    page = client.get(reverse("seminar:dashboard", args=[seminar.slug])).content.decode()
    assert f"You work with {a.student.full_name}" in page
    outsider = RegistrationFactory(status=RegistrationStatus.WAITING, seminar=seminar)
    client.force_login(outsider.student)
    assert client.post(reverse("submissions:team_leave", args=[seminar.slug])).status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_never_overfill_a_team_or_double_a_student():
    """Two students accept invitations into the same team of at most two at the same moment,
    and a third student accepts two invitations at once: the lock lets one of each win."""
    seminar = SeminarFactory()
    a, b, c, d, e = RegistrationFactory.create_batch(5, seminar=seminar)
    # Race 1: b and c accept a's invitations at once; the team holds two.
    race_one = [invite(a, b), invite(a, c)]
    # Race 2: e accepts invitations from d and from a new team at once.
    race_two = [invite(d, e)]
    outcomes = _at_once(
        [
            lambda: team_invitation_accept(invitation_id=race_one[0].pk, registration=b),
            lambda: team_invitation_accept(invitation_id=race_one[1].pk, registration=c),
        ]
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Team"]
    assert len(members(race_one[0].team)) == 2

    lone = RegistrationFactory(seminar=seminar)
    race_two.append(invite(lone, e))
    outcomes = _at_once(
        [
            lambda: team_invitation_accept(invitation_id=race_two[0].pk, registration=e),
            lambda: team_invitation_accept(invitation_id=race_two[1].pk, registration=e),
        ]
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Team"]
    assert TeamMembership.objects.filter(registration=e).count() == 1


def _at_once(calls):
    barrier = threading.Barrier(len(calls), timeout=20)

    def run(call):
        try:
            barrier.wait()
            return call()
        except DomainError as refusal:
            return refusal
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [f.result() for f in [pool.submit(run, call) for call in calls]]


@contextmanager
def _unlocked(seminar_id: int):
    """The seminar's transaction without its row lock: what the harness must see fail."""
    with transaction.atomic():
        yield Seminar.objects.get(pk=seminar_id)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_two_acceptances_overfill_a_team(monkeypatch):
    """Negative control: with the lock gone and both acceptances made to count the team's
    members before either joins, the team is overfilled. So the harness can see a race."""
    real_member_ids = teams_module._member_ids
    both_counted = threading.Barrier(2, timeout=30)
    counted = threading.local()

    def member_ids_then_wait(team):
        ids = real_member_ids(team)
        if not getattr(counted, "once", False):  # the size check, the first count of each
            counted.once = True
            both_counted.wait()
        return ids

    seminar = SeminarFactory()
    a, b, c = RegistrationFactory.create_batch(3, seminar=seminar)
    invitations = [invite(a, b), invite(a, c)]
    monkeypatch.setattr(teams_module, "seminar_locked", _unlocked)
    monkeypatch.setattr(teams_module, "_member_ids", member_ids_then_wait)
    outcomes = _at_once(
        [
            lambda: team_invitation_accept(invitation_id=invitations[0].pk, registration=b),
            lambda: team_invitation_accept(invitation_id=invitations[1].pk, registration=c),
        ]
    )
    assert [type(o).__name__ for o in outcomes] == ["Team", "Team"]
    assert len(members(invitations[0].team)) == 3


def test_a_member_who_left_the_seminar_no_longer_fills_the_team(students):
    a, b, c = students[:3]
    team_invitation_accept(invitation_id=invite(a, b).pk, registration=b)
    b.status = RegistrationStatus.WITHDRAWN
    b.save()
    invitation = invite(a, c)
    team = team_invitation_accept(invitation_id=invitation.pk, registration=c)
    assert members(team) == {a.pk, b.pk, c.pk}  # b's membership stays on record
