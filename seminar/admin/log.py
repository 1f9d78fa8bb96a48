"""Records in the admin: the activity log and the e-mail outbox, which nobody edits or deletes."""

from django.contrib import admin

from seminar.admin_scoping import AdminGuardMixin, SeminarScopedAdmin, organized_ids
from seminar.models import ActivityEntry, OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(AdminGuardMixin, admin.ModelAdmin):
    """Superusers only (no staff group has its permissions); a queued mail is never lost."""

    list_display = ["subject", "to", "created_at", "sent_at"]
    search_fields = ["subject", "to"]
    readonly_fields = ["key", "to", "subject", "body_text", "body_html", "created_at", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActivityEntry)
class ActivityEntryAdmin(SeminarScopedAdmin):
    """The activity log: read-only, each organizer sees the log of their own seminars."""

    list_display = ["at", "actor_name", "action", "object_repr", "old", "new", "reason"]
    list_filter = [("seminar", admin.RelatedOnlyFieldListFilter), "action"]
    search_fields = ["actor_name", "object_repr", "action"]
    list_select_related = ["seminar"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = organized_ids(request)
        return queryset if ids is None else queryset.filter(seminar__in=ids)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
