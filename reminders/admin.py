"""The organizer's reminders in the admin: the rules (switched on and off, changed, previewed
for a chosen student) and what went to whom, when, in which state. Organizers see their own
seminars only; supervisors none. The beat schedule (django-celery-beat) is the site's, not a
seminar's: superusers only.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from mail.services.outbox import email_render
from reminders import selectors
from reminders.enums import TEMPLATE_PREFIX, ReminderKind
from reminders.models import ReminderRule, SentReminder
from reminders.services import (
    reminder_context,
    reminder_rule_delete,
    reminder_rule_delete_refusal,
    reminder_rule_save,
    reminder_rules_switch_off,
)
from seminar.admin_scoping import (
    AdminGuardMixin,
    SeminarScopedAdmin,
    deletion_register,
    organized_ids,
)
from seminar.enums import RegistrationStatus
from seminar.errors import DomainError
from seminar.models import Registration, Seminar
from seminar.services.email import recipient_language

deletion_register(
    ReminderRule,
    refusal=reminder_rule_delete_refusal,
    delete=lambda rule: reminder_rule_delete(rule=rule),
)


class _OrganizersOnly:
    """Rows of the seminars the person organizes (superusers: all)."""

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        ids = organized_ids(request)
        return queryset if ids is None else queryset.filter(seminar__in=ids)

    @admin.display(description=_("seminar"), ordering="seminar__tag")
    def seminar_tag(self, obj) -> str:
        return obj.seminar.tag if obj.seminar_id else "–"


@admin.register(ReminderRule)
class ReminderRuleAdmin(_OrganizersOnly, SeminarScopedAdmin):
    list_display = ["kind", "when", "seminar_tag", "enabled"]
    list_display_links = ["kind", "when"]
    list_editable = ["enabled"]
    list_filter = [("seminar", admin.RelatedOnlyFieldListFilter), "kind", "enabled"]
    list_select_related = ["seminar"]
    ordering = ["seminar", *selectors.RULE_ORDER]
    fields = ["seminar", "kind", "hours_before", "day_at", "enabled"]
    actions = ["switch_off"]
    change_list_template = "reminders/admin/rule_change_list.html"

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("kind")  # a rule stays about its deadline; add another instead
        return readonly

    @admin.display(description=_("when"))
    def when(self, rule: ReminderRule) -> str:
        return rule.when

    def save_model(self, request, obj: ReminderRule, form, change: bool) -> None:
        try:
            reminder_rule_save(rule=obj)
        except DomainError as refusal:  # the form checked it; a race can still refuse
            raise ValidationError(refusal.message) from refusal

    @admin.action(description=_("Switch selected rules off"), permissions=["change"])
    def switch_off(self, request: HttpRequest, queryset) -> None:
        switched = reminder_rules_switch_off(rules=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d rule switched off; it sends nothing from now on.",
                "%(count)d rules switched off; they send nothing from now on.",
                switched,
            )
            % {"count": switched},
            messages.SUCCESS,
        )

    # The preview: every rule's e-mail for one chosen student

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview, name="reminders_reminderrule_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest):
        if not self.has_view_permission(request):
            raise Http404("No such page.")
        seminars = list(self._seminars(request))
        wanted = request.GET.get("seminar")
        seminar = _chosen(seminars, wanted) if wanted else (seminars[0] if seminars else None)
        if wanted and seminar is None:
            raise Http404("No such seminar.")  # not theirs: the same answer as a missing one
        registrations = _registrations(seminar) if seminar else []
        registration = _chosen(registrations, request.GET.get("registration"))
        if request.GET.get("registration") and registration is None:
            raise Http404("No such student in this seminar.")
        rows = []
        if registration is not None:
            for row in selectors.reminder_preview(seminar, registration, now=timezone.now()):
                # As the student will read it: in their language.
                with translation.override(recipient_language(registration.student)):
                    rendered = email_render(
                        template=ReminderKind(row.rule.kind).template,
                        context={
                            "seminar": seminar,
                            **reminder_context(rule=row.rule, need=row.need, deadline=row.deadline),
                        },
                        subject_prefix=seminar.subject_prefix,
                    )
                rows.append((row, rendered))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": translation.gettext("Preview reminders"),
            "seminars": seminars,
            "seminar": seminar,
            "registrations": registrations,
            "registration": registration,
            "rows": rows,
        }
        return TemplateResponse(request, "reminders/admin/preview.html", context)

    def _seminars(self, request: HttpRequest):
        seminars = Seminar.objects.order_by("-created_at", "pk")
        ids = organized_ids(request)
        return seminars if ids is None else seminars.filter(pk__in=ids)


def _chosen(options, wanted: str | None):
    return next((option for option in options if str(option.pk) == wanted), None)


def _registrations(seminar: Seminar) -> list[Registration]:
    """Everyone who registered, participants first, by name."""
    order = {status: index for index, status in enumerate(RegistrationStatus.values)}
    registrations = Registration.objects.filter(seminar=seminar).select_related("student")
    return sorted(registrations, key=lambda r: (order[r.status], r.student.full_name, r.pk))


class ReminderKindFilter(admin.SimpleListFilter):
    title = "reminder"
    parameter_name = "reminder"

    def lookups(self, request, model_admin):
        return ReminderKind.choices

    def queryset(self, request, queryset):
        if self.value() in ReminderKind.values:
            return queryset.filter(kind=ReminderKind(self.value()).template)
        return queryset


@admin.register(SentReminder)
class SentReminderAdmin(_OrganizersOnly, SeminarScopedAdmin):
    """What went to whom, when, in which state: the outbox's reminders, read-only."""

    list_display = ["to", "reminder", "seminar_tag", "status", "created_at", "sent_at"]
    list_display += ["attempts", "error"]
    list_filter = [
        ("seminar", admin.RelatedOnlyFieldListFilter),
        ReminderKindFilter,
        "status",
    ]
    list_select_related = ["seminar"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "seminar",
        "to",
        "subject",
        "body_text",
        "created_at",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "key",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).filter(kind__startswith=TEMPLATE_PREFIX)

    @admin.display(description=_("reminder"), ordering="kind")
    def reminder(self, email: SentReminder) -> str:
        kind = email.kind.removeprefix(TEMPLATE_PREFIX)
        return ReminderKind(kind).label if kind in ReminderKind.values else email.kind

    @admin.display(description=_("last error"))
    def error(self, email: SentReminder) -> str:
        return Truncator(email.last_error).chars(80)

    def has_add_permission(self, request) -> bool:
        return False  # written by the scan only

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record of what went to whom, and the ledger of "sent once"


# --- The beat schedule (django-celery-beat): the site's, for superusers only ----------------


class _SuperusersOnly(AdminGuardMixin):
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


class PeriodicTaskAdmin(_SuperusersOnly, beat_admin.PeriodicTaskAdmin):
    # Switch a task on or off on its page; "run now" is `manage.py send_reminders`.
    actions = []


_BEAT_ADMINS = {
    PeriodicTask: PeriodicTaskAdmin,
    IntervalSchedule: type(
        "IntervalScheduleAdmin", (_SuperusersOnly, beat_admin.IntervalScheduleAdmin), {}
    ),
    CrontabSchedule: type(
        "CrontabScheduleAdmin", (_SuperusersOnly, beat_admin.CrontabScheduleAdmin), {}
    ),
    SolarSchedule: type("SolarScheduleAdmin", (_SuperusersOnly, beat_admin.SolarScheduleAdmin), {}),
    ClockedSchedule: type(
        "ClockedScheduleAdmin", (_SuperusersOnly, beat_admin.ClockedScheduleAdmin), {}
    ),
}
for _model, _admin_class in _BEAT_ADMINS.items():
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)
