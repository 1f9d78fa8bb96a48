from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seminar.enums import RegistrationStatus


class Registration(models.Model):
    """A student's place in a seminar: confirmed, offered a seat, waiting, or gone.

    One row per student and seminar (a unique constraint): a student who withdraws and joins
    again reuses the row and goes to the end of the waiting list.
    """

    seminar = models.ForeignKey(
        "seminar.Seminar",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("seminar"),
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("student"),
    )
    status = models.CharField(
        max_length=16, choices=RegistrationStatus.choices, verbose_name=_("status")
    )
    queue_number = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Order in the waiting list; lower goes first."),
        verbose_name=_("queue number"),
    )
    joined_at = models.DateTimeField(
        help_text=_("When the student last registered or queued."), verbose_name=_("joined at")
    )
    status_changed_at = models.DateTimeField(verbose_name=_("status changed at"))
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed at"))
    offered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("offered at"))
    offer_expires_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("offer expires at")
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["seminar", "status", "queue_number", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "student"], name="registration_one_per_student"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=RegistrationStatus.WAITING)
                | models.Q(queue_number__isnull=False),
                name="registration_waiting_has_queue_number",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=RegistrationStatus.OFFERED)
                | models.Q(offer_expires_at__isnull=False),
                name="registration_offer_has_expiry",
            ),
        ]
        indexes = [models.Index(fields=["seminar", "status"])]

    def __str__(self) -> str:
        return f"{self.student} in {self.seminar.tag}: {self.get_status_display()}"

    @property
    def holds_seat(self) -> bool:
        return self.status in RegistrationStatus.holding_seat()

    @property
    def is_active(self) -> bool:
        return self.status in RegistrationStatus.active()
