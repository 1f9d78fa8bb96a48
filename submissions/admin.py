"""The admin of deliverables and submissions.

Supervisors get "My students": each student of their topics with the talk's time and every
deliverable's state, submission times, late flags, versions and download links. They see no
other student here. Organizers see their seminars' students, submissions, teams and extensions;
extensions are granted on the organizer's submissions page, through the service, so the admin
lists them read-only. Nothing here edits or deletes a submission: the history stays.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy

from seminar.admin import SeminarAdmin, SeminarScopedAdmin
from seminar.admin_scoping import AdminGuardMixin, ScopedStackedInline
from seminar.enums import StaffKind
from seminar.errors import DomainError
from seminar.models import Seminar
from seminar.selectors import is_organizer
from submissions import selectors
from submissions.models import (
    Deliverable,
    Extension,
    FileRetention,
    Submission,
    SubmissionFile,
    SupervisedStudent,
    Team,
)
from submissions.services.retention import uploads_purge


class DeliverableInline(admin.StackedInline):
    """A seminar's deliverables and their due rules, on the seminar's own admin page."""

    model = Deliverable
    extra = 0
    max_num = 4
    can_delete = False  # switch a deliverable off instead; its submissions stay
    fields = [
        ("kind", "enabled"),
        ("due_rule", "due_days", "due_fixed_at"),
        ("count", "min_pages", "max_pages"),
        ("team_max", "spec_url"),
        "text",
    ]


class FileRetentionInline(ScopedStackedInline):
    """How long the seminar keeps its students' files, on the seminar's own admin page."""

    model = FileRetention
    can_delete = False
    fields = ["retention_days", "purged_at"]
    readonly_fields = ["purged_at"]


SeminarAdmin.inlines = [*SeminarAdmin.inlines, DeliverableInline, FileRetentionInline]


@admin.action(
    description=gettext_lazy("Purge uploads after the retention period"), permissions=["change"]
)
def uploads_purge_action(modeladmin, request, queryset):
    """Each chosen seminar's files, once it has finished and its retention period has passed;
    a refusal names the seminar and the date."""
    for seminar in queryset:
        try:
            count = uploads_purge(seminar=seminar, by=request.user)
        except DomainError as refusal:
            modeladmin.message_user(request, refusal.message, messages.ERROR)
            continue
        modeladmin.message_user(
            request,
            gettext("%(seminar)s: %(count)d uploaded files deleted.")
            % {"seminar": seminar, "count": count},
            messages.SUCCESS,
        )


SeminarAdmin.actions = [*SeminarAdmin.actions, uploads_purge_action]


PURGED = gettext_lazy("file deleted after retention period")


class ReadOnlyAdmin(AdminGuardMixin, admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SupervisedStudent)
class MyStudentsAdmin(ReadOnlyAdmin):
    """One page per seminar: a supervisor's students (an organizer's: every participant)."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.changelist_view)
        return [path("", view, name="{}_{}_changelist".format(*info))]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        seminars = _seminars_of(request.user)
        chosen = request.GET.get("seminar", "")
        seminar = next((s for s in seminars if str(s.pk) == chosen), None)
        seminar = seminar or (seminars[0] if seminars else None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("My students"),
            "seminars": seminars,
            "seminar": seminar,
            "rows": _student_rows(seminar, request.user) if seminar else [],
            "deliverables": list(selectors.deliverables_of(seminar).values()) if seminar else [],
            **(extra_context or {}),
        }
        return TemplateResponse(request, "submissions/admin/my_students.html", context)


def _seminars_of(user) -> list[Seminar]:
    seminars = Seminar.objects.order_by("-created_at")
    if not user.is_superuser:
        seminars = seminars.filter(
            staff__user=user, staff__kind__in=[StaffKind.ORGANIZER, StaffKind.SUPERVISOR]
        ).distinct()
    return list(seminars)


def _student_rows(seminar: Seminar, user) -> list[tuple]:
    participants = selectors.confirmed_participants(seminar)
    if not is_organizer(user, seminar):
        mine = selectors.supervised_registration_ids(seminar, user)
        participants = [r for r in participants if r.pk in mine]
    ids = [r.pk for r in participants]
    calendar = selectors.seminar_calendar(seminar, registration_ids=ids)
    progress = selectors.progress_of(seminar, participants, calendar=calendar)
    assignments = selectors.published_assignments(seminar, registration_ids=ids)
    return [
        (
            registration,
            assignments.get(registration.pk),
            calendar.talks.get(registration.pk),
            list(progress[registration.pk].values()),
        )
        for registration in participants
    ]


class SubmissionFileInline(admin.TabularInline):
    model = SubmissionFile
    extra = 0
    fields = ["version", "original_name", "kind", "size", "pages", "uploaded_at", "download"]
    readonly_fields = fields
    ordering = ["-version"]

    @admin.display(description=gettext_lazy("file"))
    def download(self, file: SubmissionFile) -> str:
        if file.purged_at:
            return PURGED
        seminar = file.submission.deliverable.seminar
        url = reverse("submissions:download", args=[seminar.slug, file.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "owner", "subject", "seminar", "updated_at"]
    list_filter = ["deliverable__seminar", "deliverable__kind"]
    list_select_related = ["deliverable__seminar", "registration__student", "topic"]
    fields = ["deliverable", "owner", "number", "topic", "title", "repository_url", "created_at"]
    readonly_fields = fields
    inlines = [SubmissionFileInline]

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related("team__memberships__registration__student")
        )
        return queryset.filter(pk__in=selectors.visible_submissions(request.user).values("pk"))

    def get_list_select_related(self, request):
        return self.list_select_related

    @admin.display(description=gettext_lazy("seminar"))
    def seminar(self, submission: Submission) -> str:
        return submission.deliverable.seminar.tag

    @admin.display(description=gettext_lazy("by"))
    def owner(self, submission: Submission) -> str:
        if submission.registration_id:
            return str(submission.registration.student)
        names = [m.registration.student.full_name for m in submission.team.memberships.all()]
        return gettext("Team: %(names)s") % {"names": ", ".join(sorted(names))}


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin, SeminarScopedAdmin):
    """Granted and revoked on the organizer's submissions page, where the reason is asked."""

    seminar_path = "deliverable__seminar"
    list_display = ["deliverable", "target", "due_at", "reason", "granted_by", "granted_at"]
    list_filter = ["deliverable__seminar", "deliverable__kind"]
    list_select_related = ["deliverable__seminar", "registration__student", "granted_by"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            deliverable__seminar__staff__user=request.user,
            deliverable__seminar__staff__kind=StaffKind.ORGANIZER,
        )

    @admin.display(description=gettext_lazy("for"))
    def target(self, extension: Extension) -> str:
        if extension.registration_id:
            return str(extension.registration.student)
        return str(extension.team)


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin, SeminarScopedAdmin):
    list_display = ["__str__", "seminar", "members", "created_at"]
    list_filter = ["seminar"]
    list_select_related = ["seminar"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        queryset = queryset.prefetch_related("memberships__registration__student")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            seminar__staff__user=request.user, seminar__staff__kind=StaffKind.ORGANIZER
        )

    @admin.display(description=gettext_lazy("members"))
    def members(self, team: Team) -> str:
        return format_html_join(
            ", ", "{}", ((m.registration.student.full_name,) for m in team.memberships.all())
        )
