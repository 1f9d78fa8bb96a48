from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mail.models import OutgoingEmail
from reminders.enums import ReminderKind
from reminders.moments import MAX_HOURS_BEFORE


class ReminderRule(models.Model):
    """When a seminar reminds its students of one kind of deadline.

    Either a number of real hours before the student's effective deadline (extensions
    included), or a local time on the deadline's own day ("on the morning of the day").
    A rule that is switched off sends nothing.
    """

    seminar = models.ForeignKey(
        "seminar.Seminar",
        on_delete=models.CASCADE,
        related_name="reminder_rules",
        verbose_name=_("seminar"),
    )
    kind = models.CharField(max_length=24, choices=ReminderKind.choices, verbose_name=_("kind"))
    hours_before = models.PositiveSmallIntegerField(
        _("hours before the deadline"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOURS_BEFORE)],
        help_text=_(
            "Real hours: 48 is exactly two days before, also across a change of the "
            "clocks; 168 is a week."
        ),
    )
    day_at = models.TimeField(
        _("on the deadline's day at"),
        null=True,
        blank=True,
        help_text=_(
            "Instead of hours: this time (Europe/Berlin) on the deadline's own day, "
            "e.g. 08:00 for 'on the morning of the day'."
        ),
    )
    enabled = models.BooleanField(
        _("switched on"), default=True, help_text=_("Switched off, the rule sends nothing.")
    )

    class Meta:
        ordering = ["seminar", "kind", "-hours_before", "day_at", "pk"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_before__isnull=False, day_at__isnull=True)
                | Q(hours_before__isnull=True, day_at__isnull=False),
                name="reminder_rule_hours_or_time",
                violation_error_message=_(
                    "Give either the hours before the deadline or a time "
                    "on the deadline's day (not both)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(hours_before__isnull=True) | Q(hours_before__gte=1),
                name="reminder_rule_hours_positive",
            ),
            models.UniqueConstraint(
                fields=["seminar", "kind", "hours_before"],
                condition=Q(hours_before__isnull=False),
                name="reminder_rule_unique_hours",
                violation_error_message=_("The seminar has this rule already."),
            ),
            models.UniqueConstraint(
                fields=["seminar", "kind", "day_at"],
                condition=Q(day_at__isnull=False),
                name="reminder_rule_unique_time",
                violation_error_message=_("The seminar has this rule already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.when}"

    @property
    def when(self) -> str:
        """The rule's moment in the reader's language (moments.when_text says it in English)."""
        if self.hours_before is not None:
            if self.hours_before % 24 == 0:
                days = self.hours_before // 24
                return ngettext("%(count)d day before", "%(count)d days before", days) % {
                    "count": days
                }
            hours = self.hours_before
            return ngettext("%(count)d hour before", "%(count)d hours before", hours) % {
                "count": hours
            }
        if self.day_at is not None:
            return gettext("on the day at %(time)s") % {"time": f"{self.day_at:%H:%M}"}
        return gettext("never")


class SentReminder(OutgoingEmail):
    """The outbox's reminders, as the organizer's admin lists them: what went to whom, when,
    and in which state. Rows are written only by the scan (`reminders_scan`)."""

    class Meta:
        proxy = True
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
