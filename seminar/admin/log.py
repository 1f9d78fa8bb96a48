"""Records in the admin: the activity log and the e-mail outbox, which nobody edits or deletes."""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from mail.services.outbox import email_resend
from seminar.admin_scoping import AdminGuardMixin, SeminarScopedAdmin, organized_ids
from seminar.enums import StaffKind
from seminar.models import ActivityEntry
from seminar.services.activity import activity_log


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(AdminGuardMixin, admin.ModelAdmin):
    """E-mails hold other people's mail: superusers see all, organizers their seminars' mail
    (through their group's view permission), nobody else any. Read-only; failed mails can be
    queued again."""

    list_display = ["subject", "to", "seminar", "status", "attempts", "created_at", "error"]
    list_filter = ["status", "kind", ("seminar", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["seminar"]
    search_fields = ["to", "subject", "key"]
    actions = ["resend"]
    fields = [
        "key",
        "kind",
        "seminar",
        "to",
        "reply_to",
        "subject",
        "body_text",
        "body_html",
        "created_at",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "claimed_by",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            seminar__staff__user=request.user, seminar__staff__kind=StaffKind.ORGANIZER
        ).distinct()

    @admin.display(description=_("last error"))
    def error(self, email: OutgoingEmail) -> str:
        return Truncator(email.last_error).chars(80)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # e-mails are written by the site's events only

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the outbox is the record of what went to whom

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("mail.resend_outgoingemail")

    @admin.action(description=_("Send selected failed e-mails again"), permissions=["resend"])
    def resend(self, request: HttpRequest, queryset) -> None:
        selected = queryset.count()
        failed = queryset.filter(status=EmailStatus.FAILED).values_list("pk", flat=True)
        queued = 0
        for email in OutgoingEmail.objects.filter(pk__in=list(failed)):
            if email_resend(email_id=email.pk):
                queued += 1
                activity_log(
                    action="email.resent",
                    seminar=email.seminar,
                    obj=email,
                    old={"status": EmailStatus.FAILED, "attempts": email.attempts},
                    new={"status": EmailStatus.QUEUED},
                )
        skipped = selected - queued
        self.message_user(
            request,
            ngettext("%(count)d queued again.", "%(count)d queued again.", queued)
            % {"count": queued},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d skipped: only failed e-mails are sent again.",
                    "%(count)d skipped: only failed e-mails are sent again.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


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
