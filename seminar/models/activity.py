from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActivityEntry(models.Model):
    """One state change: who did what to which object of which seminar, when, old and new values.

    Written by `seminar.services.activity.activity_log` from every service that changes state,
    so "who did that?" has one answer. Entries are never edited; the names are copied so that
    the entry still reads right after the person or the object is gone.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(
        max_length=200, help_text=_("'system' when no person acted."), verbose_name=_("actor name")
    )
    seminar = models.ForeignKey(
        "seminar.Seminar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity",
        verbose_name=_("seminar"),
    )
    action = models.CharField(max_length=60, db_index=True, verbose_name=_("action"))
    object_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
    )
    object_id = models.CharField(max_length=40, blank=True, verbose_name=_("object id"))
    object_repr = models.CharField(max_length=300, blank=True, verbose_name=_("object repr"))
    old = models.JSONField(
        default=dict, blank=True, encoder=DjangoJSONEncoder, verbose_name=_("old")
    )
    new = models.JSONField(
        default=dict, blank=True, encoder=DjangoJSONEncoder, verbose_name=_("new")
    )
    reason = models.TextField(blank=True, verbose_name=_("reason"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.action} {self.object_repr}"
