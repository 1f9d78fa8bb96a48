from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    """Students who hand in the practical project together (a team of one works alone).

    Made when a student first invites a partner or hands in the project. A student is in one
    team at a time: the membership's registration is unique, and a registration belongs to one
    seminar.
    """

    seminar = models.ForeignKey(
        "seminar.Seminar",
        on_delete=models.CASCADE,
        related_name="project_teams",
        verbose_name=_("seminar"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["seminar", "pk"]

    def __str__(self) -> str:
        return f"Project team #{self.pk}"


class TeamMembership(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    registration = models.OneToOneField(
        "seminar.Registration",
        on_delete=models.CASCADE,
        related_name="team_membership",
        verbose_name=_("registration"),
    )
    joined_at = models.DateTimeField(default=timezone.now, verbose_name=_("joined at"))

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["team", "joined_at", "pk"]

    def __str__(self) -> str:
        return f"{self.registration.student} in {self.team}"


class TeamInvitation(models.Model):
    """An open invitation to join a team; it disappears when accepted, declined or withdrawn."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("team")
    )
    invitee = models.ForeignKey(
        "seminar.Registration",
        on_delete=models.CASCADE,
        related_name="team_invitations",
        verbose_name=_("invitee"),
    )
    invited_by = models.ForeignKey(
        "seminar.Registration",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "invitee"], name="team_invitation_once"),
            models.CheckConstraint(
                condition=~models.Q(invitee=models.F("invited_by")),
                name="team_invitation_not_to_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invited_by.student} invites {self.invitee.student}"
