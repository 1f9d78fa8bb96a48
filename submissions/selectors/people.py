"""Teams, supervisors and who sees which submission."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import Registration, Seminar, User
from submissions.models import Submission, TeamInvitation, TeamMembership
from topics.models import Assignment
from topics.selectors import current_assignments, published_run


@dataclass(frozen=True)
class TeamView:
    """A participant's project team as their dashboard shows it."""

    team_id: int | None
    mates: list[Registration]
    invitations_sent: list[TeamInvitation]
    invitations_received: list[TeamInvitation]
    has_project: bool


def team_view(registration: Registration) -> TeamView:
    membership = (
        TeamMembership.objects.filter(registration=registration).select_related("team").first()
    )
    team_id = membership.team_id if membership else None
    mates: list[Registration] = []
    sent: list[TeamInvitation] = []
    has_project = False
    if team_id is not None:
        mates = list(
            Registration.objects.filter(
                team_membership__team_id=team_id, status=RegistrationStatus.CONFIRMED
            )
            .exclude(pk=registration.pk)
            .select_related("student")
            .order_by("student__full_name")
        )
        sent = list(
            TeamInvitation.objects.filter(team_id=team_id).select_related("invitee__student")
        )
        has_project = Submission.objects.filter(team_id=team_id).exists()
    received = list(
        TeamInvitation.objects.filter(invitee=registration).select_related("invited_by__student")
    )
    return TeamView(team_id, mates, sent, received, has_project)


def confirmed_participants(seminar: Seminar) -> list[Registration]:
    return list(
        Registration.objects.filter(seminar=seminar, status=RegistrationStatus.CONFIRMED)
        .select_related("student")
        .order_by("student__full_name", "pk")
    )


def published_assignments(
    seminar: Seminar, *, registration_ids: Iterable[int] | None = None
) -> dict[int, Assignment]:
    """registration id -> the published assignment (topic, supervisor) of those holding a seat."""
    run = published_run(seminar)
    if run is None:
        return {}
    assignments = current_assignments(run).select_related("topic__supervisor__user")
    if registration_ids is not None:
        assignments = assignments.filter(registration_id__in=list(registration_ids))
    return {a.registration_id: a for a in assignments}


def supervisor_user_ids(seminar: Seminar, registration_ids: Iterable[int]) -> set[int]:
    """The users who supervise the published topic of any of these students."""
    return {
        a.topic.supervisor.user_id
        for a in published_assignments(seminar, registration_ids=registration_ids).values()
        if a.topic is not None and a.topic.supervisor is not None
    }


def supervised_registration_ids(seminar: Seminar, user: User) -> set[int]:
    """The participants whose published topic this user supervises."""
    run = published_run(seminar)
    if run is None or not user.is_authenticated:
        return set()
    return set(
        current_assignments(run)
        .filter(topic__supervisor__user=user)
        .values_list("registration_id", flat=True)
    )


def owners_of(submission: Submission) -> list[int]:
    """The registrations a submission belongs to: its student, or each member of its team."""
    if submission.registration_id is not None:
        return [submission.registration_id]
    return list(
        TeamMembership.objects.filter(team_id=submission.team_id).values_list(
            "registration_id", flat=True
        )
    )


def visible_submissions(user: User):
    """The submissions a staff member may see in the admin: every one of the seminars they
    organize, and those of the students whose published topic they supervise."""
    submissions = Submission.objects.all()
    if user.is_superuser:
        return submissions
    supervised = {
        "assignments__run__published_at__isnull": False,
        "assignments__topic__supervisor__user": user,
        "status": RegistrationStatus.CONFIRMED,
    }
    students = Registration.objects.filter(**supervised).values("pk")
    organized = Seminar.objects.filter(staff__user=user, staff__kind=StaffKind.ORGANIZER)
    return submissions.filter(
        Q(deliverable__seminar__in=organized)
        | Q(registration__in=students)
        | Q(team__memberships__registration__in=students)
    ).distinct()
