"""Registrations in the admin: read-only rows; every change goes through the services."""

import csv

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from seminar import selectors
from seminar.admin_scoping import SeminarScopedAdmin, organized_ids
from seminar.errors import DomainError
from seminar.models import Registration
from seminar.services import registration as registration_services


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
    list_filter = [("seminar", admin.RelatedOnlyFieldListFilter), "status"]
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

    @admin.display(description=_("waiting position"), ordering="queue_number")
    def position(self, registration: Registration) -> int | None:
        return registration.position

    def has_add_permission(self, request) -> bool:
        return False  # students register themselves; organizers promote from the waiting list

    def has_delete_permission(self, request, obj=None) -> bool:
        # A deleted row would free a seat that nobody waiting is offered: "Remove" does it right.
        return False

    def has_export_permission(self, request: HttpRequest) -> bool:
        """The participants' CSV (names, addresses, matriculation numbers): organizers only."""
        ids = organized_ids(request)
        return ids is None or bool(ids)

    @admin.action(description=_("Confirm selected (ahead of the line)"), permissions=["change"])
    def promote(self, request, queryset) -> None:
        self._each(
            request,
            queryset,
            registration_services.registration_promote,
            lambda n: ngettext("%(count)d confirmed.", "%(count)d confirmed.", n),
        )

    @admin.action(
        description=_("Remove selected (their seats go to the waiting list)"),
        permissions=["change"],
    )
    def remove(self, request, queryset) -> None:
        self._each(
            request,
            queryset,
            registration_services.registration_remove,
            lambda n: ngettext("%(count)d removed.", "%(count)d removed.", n),
        )

    @admin.action(description=_("Export selected as CSV"), permissions=["export"])
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
                    _cell(r.student.full_name),
                    _cell(r.student.email),
                    r.student.matriculation_number,
                    r.status,
                    r.position or "",
                    r.joined_at.isoformat(),
                    r.confirmed_at.isoformat() if r.confirmed_at else "",
                ]
            )
        return response

    def _each(self, request, queryset, service, done_text) -> None:
        done = 0
        for registration in queryset:
            try:
                service(registration=registration)
                done += 1
            except DomainError as refusal:
                self.message_user(request, f"{registration.student}: {refusal}", messages.WARNING)
        self.message_user(request, done_text(done) % {"count": done}, messages.SUCCESS)


def _cell(value: str) -> str:
    """A spreadsheet must not run what a student typed as their name as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
