"""Project teams: invite a partner, who accepts; one team at a time, at most `team_max` members.

Every change runs under the seminar's lock (`seminar_locked`), so two acceptances at the same
moment cannot overfill a team or put a student in two teams. A team whose project is handed in
no longer changes: the project is the team's.
"""

from django.utils import timezone
from django.utils.translation import gettext

from seminar.enums import RegistrationStatus
from seminar.errors import Conflict, Invalid, NotAllowed
from seminar.models import Registration
from seminar.services.activity import activity_log
from seminar.services.locking import seminar_locked
from submissions.enums import DeliverableKind
from submissions.models import Deliverable, Submission, Team, TeamInvitation, TeamMembership
from submissions.selectors import deadline_of, seminar_calendar


def team_invite(*, registration: Registration, email: str) -> TeamInvitation:
    """Invite a participant, by e-mail address, into the student's team (made if needed)."""
    email = email.strip()
    with seminar_locked(registration.seminar_id) as seminar:
        registration = _participant(registration)
        project = _project_open(seminar, registration)
        invitee = (
            Registration.objects.filter(
                seminar=seminar, status=RegistrationStatus.CONFIRMED, student__email__iexact=email
            )
            .select_related("student")
            .first()
        )
        if invitee is None:
            raise Invalid(
                gettext("No participant of this seminar has the e-mail address %(email)s.")
                % {"email": email}
            )
        if invitee.pk == registration.pk:
            raise Invalid(gettext("You cannot invite yourself; invite your partner."))
        team = _team_or_new(registration)
        members = _member_ids(team)
        _unchanged_project_check(team, "Your team")
        if invitee.pk in members:
            raise Conflict(
                gettext("%(name)s is in your team already.") % {"name": invitee.student.full_name}
            )
        if len(members) >= project.team_max:
            raise Conflict(_full(project))
        other = TeamMembership.objects.filter(registration=invitee).first()
        if other is not None and len(_member_ids(other.team)) > 1:
            raise Conflict(
                gettext("%(name)s is in another team already.")
                % {"name": invitee.student.full_name}
            )
        if TeamInvitation.objects.filter(team=team, invitee=invitee).exists():
            raise Conflict(
                gettext("You have invited %(name)s already.") % {"name": invitee.student.full_name}
            )
        invitation = TeamInvitation.objects.create(
            team=team, invitee=invitee, invited_by=registration
        )
        activity_log(
            action="team.invited",
            seminar=seminar,
            obj=team,
            new={"invitee": invitee.student.email, "by": registration.student.email},
        )
        return invitation


def team_invitation_accept(*, invitation_id: int, registration: Registration) -> Team:
    """Join the inviting team; a team of one the student had (without a project) is dissolved."""
    with seminar_locked(registration.seminar_id) as seminar:
        registration = _participant(registration)
        invitation = _invitation_for(invitation_id, invitee=registration)
        project = _project_open(seminar, registration)
        team = invitation.team
        _unchanged_project_check(team, "That team")
        if len(_member_ids(team)) >= project.team_max:
            raise Conflict(
                gettext("That team is full; a team has at most %(most)s members.")
                % {"most": project.team_max}
            )
        own = TeamMembership.objects.filter(registration=registration).select_related("team")
        own = own.first()
        if own is not None and own.team_id != team.pk:
            if len(_member_ids(own.team)) > 1:
                raise Conflict(gettext("You are in another team; leave it first."))
            if Submission.objects.filter(team=own.team).exists():
                raise Conflict(
                    gettext(
                        "You have handed in a project on your own, so you can no longer join a "
                        "team. Ask the organizer if this is a mistake."
                    )
                )
            own.team.delete()  # the team of one, with its membership and invitations
        if own is None or own.team_id != team.pk:
            TeamMembership.objects.create(team=team, registration=registration)
        stale = TeamInvitation.objects.filter(invitee=registration)
        if len(_member_ids(team)) >= project.team_max:
            stale = stale | team.invitations.all()  # nobody else can join a full team
        # One statement over the rows in key order, so that it never waits in a circle.
        TeamInvitation.objects.filter(pk__in=sorted(stale.values_list("pk", flat=True))).delete()
        activity_log(
            action="team.joined",
            seminar=seminar,
            obj=team,
            new={"member": registration.student.email, "invited_by": _email(invitation)},
        )
        return team


def team_invitation_decline(*, invitation_id: int, registration: Registration) -> None:
    with seminar_locked(registration.seminar_id) as seminar:
        invitation = _invitation_for(invitation_id, invitee=registration)
        invitation.delete()
        activity_log(
            action="team.invitation_declined",
            seminar=seminar,
            obj=invitation.team,
            old={"invitee": registration.student.email, "by": _email(invitation)},
        )


def team_invitation_withdraw(*, invitation_id: int, registration: Registration) -> None:
    """A member of the inviting team takes an open invitation back."""
    with seminar_locked(registration.seminar_id) as seminar:
        invitation = (
            TeamInvitation.objects.filter(
                pk=invitation_id, team__memberships__registration=registration
            )
            .select_related("invitee__student", "team")
            .first()
        )
        if invitation is None:
            raise Conflict(gettext("This invitation is no longer open."))
        invitation.delete()
        activity_log(
            action="team.invitation_withdrawn",
            seminar=seminar,
            obj=invitation.team,
            old={"invitee": invitation.invitee.student.email},
        )


def team_leave(*, registration: Registration) -> None:
    """Leave the project team, while it has not handed in its project."""
    with seminar_locked(registration.seminar_id) as seminar:
        membership = (
            TeamMembership.objects.filter(registration=registration).select_related("team").first()
        )
        if membership is None:
            raise Conflict(gettext("You are not in a team."))
        team = membership.team
        _unchanged_project_check(team, "Your team")
        activity_log(
            action="team.left",
            seminar=seminar,
            obj=team,
            old={"member": registration.student.email},
        )
        membership.delete()
        if not team.memberships.exists():
            team.delete()  # with its open invitations


def _participant(registration: Registration) -> Registration:
    registration = Registration.objects.select_related("student", "seminar").get(pk=registration.pk)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise NotAllowed(gettext("Only participants of this seminar form project teams."))
    return registration


def _project_open(seminar, registration: Registration) -> Deliverable:
    project = Deliverable.objects.filter(
        seminar=seminar, kind=DeliverableKind.PROJECT, enabled=True
    ).first()
    if project is None:
        raise NotAllowed("This seminar has no practical project.")
    if project.team_max < 2:
        raise NotAllowed("The practical project is done alone in this seminar.")
    calendar = seminar_calendar(seminar, registration_ids=[registration.pk])
    due = deadline_of(project, registration, calendar)
    if due is not None and timezone.now() > due:
        raise NotAllowed("The project deadline has passed; teams can no longer change.")
    return project


def _team_or_new(registration: Registration) -> Team:
    membership = TeamMembership.objects.filter(registration=registration).first()
    if membership is not None:
        return membership.team
    team = Team.objects.create(seminar_id=registration.seminar_id)
    TeamMembership.objects.create(team=team, registration=registration)
    return team


def _member_ids(team: Team) -> list[int]:
    """The team's members who still take part; one who left the seminar no longer counts."""
    return list(
        team.memberships.filter(registration__status=RegistrationStatus.CONFIRMED).values_list(
            "registration_id", flat=True
        )
    )


def _unchanged_project_check(team: Team, whose: str) -> None:
    if Submission.objects.filter(team=team).exists():
        if whose == "Your team":
            message = gettext(
                "Your team has handed in its project, so the team can no longer change. "
                "Ask the organizer if this is a mistake."
            )
        else:
            message = gettext(
                "That team has handed in its project, so the team can no longer change. "
                "Ask the organizer if this is a mistake."
            )
        raise Conflict(message)


def _invitation_for(invitation_id: int, *, invitee: Registration) -> TeamInvitation:
    invitation = (
        TeamInvitation.objects.filter(pk=invitation_id, invitee=invitee)
        .select_related("team", "invited_by__student")
        .first()
    )
    if invitation is None:
        raise Conflict(gettext("This invitation is no longer open."))
    return invitation


def _full(project: Deliverable) -> str:
    return gettext("A team has at most %(most)s members.") % {"most": project.team_max}


def _email(invitation: TeamInvitation) -> str:
    return invitation.invited_by.student.email
