"""The admin for organizers (edit their seminars) and supervisors (see them).

Every list is narrowed to the seminars the person works in; superusers see everything.
State changes of registrations go through the services, never through a plain save.
"""

import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from seminar import selectors
from seminar.enums import StaffKind
from seminar.errors import DomainError
from seminar.models import (
    ActivityEntry,
    Meeting,
    OutgoingEmail,
    PresentationCriterion,
    Registration,
    Seminar,
    StaffRole,
    User,
)
from seminar.services import registration as registration_services
from seminar.services.setup import seminar_setup


class SeminarScopedAdmin(admin.ModelAdmin):
    """Shows staff only the rows of seminars they hold a role in."""

    seminar_path = "seminar"  # lookup from this model to its Seminar ("" for Seminar itself)

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        prefix = f"{self.seminar_path}__" if self.seminar_path else ""
        return queryset.filter(**{f"{prefix}staff__user": request.user}).distinct()


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ["user"]


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0


class PresentationCriterionInline(admin.TabularInline):
    model = PresentationCriterion
    extra = 0


class SeminarAdminForm(forms.ModelForm):
    """The admin supplies the model and fields; this adds the capacity check."""

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            taken = selectors.seats_taken(self.instance)
            if capacity < taken:
                raise forms.ValidationError(
                    f"{taken} seats are taken; the capacity cannot be lower than that."
                )
        return capacity


@admin.register(Seminar)
class SeminarAdmin(SeminarScopedAdmin):
    form = SeminarAdminForm
    seminar_path = ""
    list_display = [
        "title",
        "term",
        "tag",
        "capacity",
        "registration_opens_at",
        "registration_closes_at",
    ]
    search_fields = ["title", "tag", "term"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StaffRoleInline, MeetingInline, PresentationCriterionInline]
    actions = ["open_registration", "close_registration"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "tag", "term", "overview", "background"]}),
        (
            "Facts",
            {
                "fields": [
                    "language",
                    "ects",
                    "mode",
                    "eligibility",
                    "admits_bachelor",
                    "admits_master",
                    "admits_graduate",
                    "contact_name",
                    "contact_email",
                    "exam_registration_note",
                    "exam_registration_date",
                ]
            },
        ),
        (
            "Registration and waiting list",
            {
                "fields": [
                    "capacity",
                    "registration_opens_at",
                    "registration_closes_at",
                    "has_waiting_list",
                    "offer_hours",
                ]
            },
        ),
        ("Topic preferences", {"fields": ["preferences_opened_at", "preference_deadline"]}),
        (
            "Rules",
            {
                "classes": ["collapse"],
                "fields": [
                    "requirements",
                    "presentation_text",
                    "talk_minutes",
                    "talk_max_minutes",
                    "discussions_text",
                ],
            },
        ),
    ]

    def save_model(self, request, obj: Seminar, form, change: bool) -> None:
        new_capacity = obj.capacity
        if change and "capacity" in form.changed_data:
            obj.capacity = form.initial["capacity"]
        super().save_model(request, obj, form, change)
        if obj.capacity != new_capacity:
            # Through the service: a higher capacity offers the new seats to those waiting.
            registration_services.seminar_capacity_set(seminar=obj, capacity=new_capacity)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change:  # after the inlines, so that settings entered there are kept
            seminar_setup(seminar=form.instance, creator=request.user)

    @admin.action(description="Open registration now")
    def open_registration(self, request, queryset) -> None:
        for seminar in queryset:
            registration_services.registration_open_now(seminar=seminar)
        self.message_user(request, "Registration is open.", messages.SUCCESS)

    @admin.action(description="Close registration now (the waiting list stays open)")
    def close_registration(self, request, queryset) -> None:
        for seminar in queryset:
            registration_services.registration_close_now(seminar=seminar)
        self.message_user(request, "Registration is closed.", messages.SUCCESS)


@admin.register(Registration)
class RegistrationAdmin(SeminarScopedAdmin):
    list_display = [
        "student",
        "seminar",
        "status",
        "position",
        "joined_at",
        "confirmed_at",
        "offer_expires_at",
    ]
    list_filter = ["seminar", "status"]
    search_fields = ["student__full_name", "student__email", "student__matriculation_number"]
    list_select_related = ["student", "seminar"]
    readonly_fields = [
        "seminar",
        "student",
        "status",
        "queue_number",
        "joined_at",
        "status_changed_at",
        "confirmed_at",
        "offered_at",
        "offer_expires_at",
    ]
    actions = ["promote", "remove", "export_csv"]

    def get_queryset(self, request):
        return selectors.with_waiting_position(super().get_queryset(request))

    @admin.display(description="waiting position", ordering="queue_number")
    def position(self, registration: Registration) -> int | None:
        return registration.position

    def has_add_permission(self, request) -> bool:
        return False  # students register themselves; organizers promote from the waiting list

    @admin.action(description="Confirm selected (ahead of the line)", permissions=["change"])
    def promote(self, request, queryset) -> None:
        self._each(request, queryset, registration_services.registration_promote, "confirmed")

    @admin.action(
        description="Remove selected (their seats go to the waiting list)", permissions=["change"]
    )
    def remove(self, request, queryset) -> None:
        self._each(request, queryset, registration_services.registration_remove, "removed")

    @admin.action(description="Export selected as CSV")
    def export_csv(self, request, queryset) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="registrations.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "seminar",
                "name",
                "email",
                "matriculation_number",
                "status",
                "waiting_position",
                "joined_at",
                "confirmed_at",
            ]
        )
        for r in queryset:
            writer.writerow(
                [
                    r.seminar.slug,
                    r.student.full_name,
                    r.student.email,
                    r.student.matriculation_number,
                    r.status,
                    r.position or "",
                    r.joined_at.isoformat(),
                    r.confirmed_at.isoformat() if r.confirmed_at else "",
                ]
            )
        return response

    def _each(self, request, queryset, service, verb: str) -> None:
        done = 0
        for registration in queryset:
            try:
                service(registration=registration)
                done += 1
            except DomainError as refusal:
                self.message_user(request, f"{registration.student}: {refusal}", messages.WARNING)
        self.message_user(request, f"{done} {verb}.", messages.SUCCESS)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Organizers see the people of their own seminars only; superusers see everyone."""

    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "matriculation_number", "degree_level", "is_staff"]
    list_filter = ["is_staff", "is_superuser", "degree_level", "groups"]
    search_fields = ["email", "full_name", "matriculation_number"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "matriculation_number", "degree_level", "programme"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        seminars = Seminar.objects.filter(staff__user=request.user)
        return queryset.filter(
            Q(registrations__seminar__in=seminars) | Q(staff_roles__seminar__in=seminars)
        ).distinct()


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "created_at", "sent_at"]
    search_fields = ["subject", "to"]
    readonly_fields = ["key", "to", "subject", "body_text", "body_html", "created_at", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ActivityEntry)
class ActivityEntryAdmin(SeminarScopedAdmin):
    """The activity log: read-only, each organizer sees the log of their own seminars."""

    list_display = ["at", "actor_name", "action", "object_repr", "old", "new", "reason"]
    list_filter = ["seminar", "action"]
    search_fields = ["actor_name", "object_repr", "action"]
    list_select_related = ["seminar"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            seminar__staff__user=request.user, seminar__staff__kind=StaffKind.ORGANIZER
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
