"""The admin's "Grading": the list of the participants a person grades, each with what is still
missing, the final grade as it stands and every handed-in file one click away; and one
grading page per participant.

Who appears is `gradable_students` (a supervisor: the participants of their published topics;
an organizer: every participant of their seminars). A participant out of reach does not
exist here: the list leaves them out, their page answers "does not exist", and a forged POST
to it changes nothing. Every save goes through `grading_save`, which checks the same rule.
"""

from collections import defaultdict

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grading.display import finding_text, grade_text
from grading.fields import Section, grading_fields
from grading.forms import GradingForm
from grading.models import GradedStudent
from grading.rules import may_grade
from grading.selectors import StudentGrading, gradable_students, gradings_of
from grading.services import grading_save
from grading.services.grades import team_editable
from seminar.admin_scoping import AdminGuardMixin
from seminar.errors import DomainError
from seminar.models import Registration
from seminar.selectors import is_organizer
from submissions.admin import PURGED


@admin.register(GradedStudent)
class GradingAdmin(AdminGuardMixin, admin.ModelAdmin):
    list_display = ["student", "matriculation_number", "seminar_tag", "topic", "final", "to_do"]
    list_display += ["files"]
    list_display_links = ["student"]
    list_filter = [("seminar", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["student__full_name", "student__email", "student__matriculation_number"]
    list_select_related = ["student", "seminar"]
    ordering = ["seminar", "student__full_name", "pk"]
    list_per_page = 100

    def get_queryset(self, request):
        return gradable_students(request.user, super().get_queryset(request))

    def changelist_view(self, request, extra_context=None):
        title = {"title": gettext("Grading"), "subtitle": gettext("the students you grade")}
        return super().changelist_view(request, {**title, **(extra_context or {})})

    # Permissions: whoever may see a participant here grades them; nobody adds or deletes.

    def has_view_permission(self, request, obj=None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or may_grade(request.user, obj))

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The grading page has its own form (below); the model's fields are never edited here.
        return forms.modelform_factory(self.model, fields=[])

    # The list: the grades of the rows shown, read per seminar in a fixed number of queries

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        by_seminar = defaultdict(list)
        for row in rows:
            by_seminar[row.seminar_id].append(row)
        for students in by_seminar.values():
            gradings = gradings_of(students[0].seminar, students)
            for row in students:
                row.grading = gradings[row.pk]
        changelist.result_list = rows
        return changelist

    @admin.display(description=_("student"), ordering="student__full_name")
    def student(self, registration: Registration) -> str:
        return registration.student.full_name

    @admin.display(description=_("matr. no."), ordering="student__matriculation_number")
    def matriculation_number(self, registration: Registration) -> str:
        return registration.student.matriculation_number

    @admin.display(description=_("seminar"), ordering="seminar")
    def seminar_tag(self, registration: Registration) -> str:
        return registration.seminar.tag

    @admin.display(description=_("topic"))
    def topic(self, registration: Registration) -> str:
        assignment = registration.grading.assignment
        return assignment.topic.title if assignment and assignment.topic else "–"

    @admin.display(description=_("final grade"))
    def final(self, registration: Registration) -> str:
        result = registration.grading.result
        if result.grade is None:
            return gettext("incomplete")
        return format_html(
            "<strong>{}</strong> ({})",
            grade_text(result.grade),
            gettext("passed") if result.passed else gettext("failed"),
        )

    @admin.display(description=_("still to do"))
    def to_do(self, registration: Registration) -> str:
        items = registration.grading.to_do
        if not items:
            return gettext("nothing")
        return format_html_join(
            mark_safe("<br>"), "{}", ((finding_text(str(item)),) for item in items)
        )

    @admin.display(description=_("files"))
    def files(self, registration: Registration) -> str:
        slug = registration.seminar.slug
        files = registration.grading.files
        if not files:
            return "–"
        return mark_safe(
            "<br>".join(
                format_html("{}: {}", label, PURGED)
                if file.purged_at
                else format_html(
                    '<a href="{}">{}</a>',
                    reverse("submissions:download", args=[slug, file.pk]),
                    label,
                )
                for label, file in files
            )
        )

    # The grading page

    def change_view(self, request, object_id, form_url="", extra_context=None):
        registration = self.get_object(request, unquote(object_id))
        if registration is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, registration):
            raise PermissionDenied
        grading = gradings_of(registration.seminar, [registration])[registration.pk]
        fields = grading_fields(grading, team_editable=team_editable(request.user, grading))
        released = grading.rules.released
        if request.method != "POST":
            form = GradingForm(fields=fields, released=released)
        else:
            form = GradingForm(request.POST, fields=fields, released=released)
            if form.is_valid():
                try:
                    changes = grading_save(
                        registration=registration,
                        values=form.changed_values(),
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except DomainError as refusal:
                    form.add_error(None, refusal.message)
                else:
                    self.message_user(request, _saved_message(registration, changes))
                    return redirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            **(extra_context or {}),
            "opts": self.opts,
            "title": gettext("Grading: %(name)s") % {"name": registration.student.full_name},
            "subtitle": registration.seminar.title,
            "original": registration,
            "grading": grading,
            "form": form,
            "sections": _sections(form, grading),
            "released": released,
            "history_url": _history_url(request, registration),
            "neighbours": _neighbours(self.get_queryset(request), registration),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "grading/admin/grade_student.html", context)


def _saved_message(registration: Registration, changes) -> str:
    name = registration.student.full_name
    if not changes:
        return gettext("Nothing changed for %(name)s.") % {"name": name}
    what = ", ".join(change.label for change in changes)
    return gettext("Saved for %(name)s: %(what)s.") % {"name": name, "what": what}


def _sections(form: GradingForm, grading: StudentGrading) -> dict:
    """The page's inputs, grouped as the template shows them."""

    def field(key: str):
        return form[key] if key in form.fields else None

    reports = []
    for report in grading.reports:
        key = f"report_{report.submission.pk}" if report.submission else ""
        reports.append((report, field(f"{key}_grade"), field(f"{key}_comment")))
    project = grading.project
    team = f"team_{project.submission.pk}" if project and project.submission else ""
    return {
        "presentation": field("presentation"),
        "talk_minutes": field("talk_minutes"),
        "presentation_comment": field("presentation_comment"),
        "criteria": [
            (
                criterion,
                field(f"criterion_{criterion.pk}_met"),
                field(f"criterion_{criterion.pk}_comment"),
            )
            for criterion, _ in grading.criteria
        ],
        "reports": reports,
        "participation": field("participation"),
        "participation_comment": field("participation_comment"),
        "attendance": [
            (number, session, field(f"attendance_{session.pk}"))
            for number, (session, _) in enumerate(grading.attendance, start=1)
        ],
        "mock_given": field("mock_given"),
        "team_result": field(f"{team}_result") if team else None,
        "team_comment": field(f"{team}_comment") if team else None,
        "project_result": field("project_result"),
        "sections": Section,
    }


def _history_url(request, registration: Registration) -> str:
    """The activity log of this participant, for the seminar's organizers (who read the log)."""
    if not is_organizer(request.user, registration.seminar):
        return ""
    content_type = ContentType.objects.get_for_model(Registration)
    changelist = reverse("admin:seminar_activityentry_changelist")
    return f"{changelist}?object_type={content_type.pk}&object_id={registration.pk}"


def _neighbours(queryset, registration: Registration) -> tuple[int | None, int | None]:
    """The previous and next participant of the same seminar in the grader's list, by name."""
    ids = list(
        queryset.filter(seminar_id=registration.seminar_id)
        .order_by("student__full_name", "pk")
        .values_list("pk", flat=True)
    )
    index = ids.index(registration.pk)
    before = ids[index - 1] if index > 0 else None
    after = ids[index + 1] if index + 1 < len(ids) else None
    return before, after
