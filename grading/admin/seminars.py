"""On the seminar's admin page: its grading scheme; on the seminar list: releasing the grades
(after a confirmation that says how many students will be e-mailed) and the grade sheet as CSV
or PDF. Organizers only, through the same services as the organizer's grades page."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from grading import exports
from grading.models import GradingScheme
from grading.selectors import grade_sheet_of, grading_participants, scheme_of
from grading.services import release as release_services
from grading.services.deletes import criterion_delete_refusal, session_attendance_delete_refusal
from grading.services.sheet_export import grade_sheet_export_start, pdf_in_request
from seminar.admin import SeminarAdmin
from seminar.admin_scoping import ScopedStackedInline, deletion_register
from seminar.errors import DomainError
from seminar.models import Meeting, PresentationCriterion

deletion_register(Meeting, refusal=session_attendance_delete_refusal)
deletion_register(PresentationCriterion, refusal=criterion_delete_refusal)

SCHEME_FIELDS = [("weight_presentation", "weight_reports", "weight_participation"), "bonus_steps"]


class GradingSchemeInline(ScopedStackedInline):
    """The seminar's grade weights and project bonus, on the seminar's own admin page. Fixed
    once the grades are released: students were told a grade computed with them."""

    model = GradingScheme
    can_delete = False
    fields = SCHEME_FIELDS

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk and scheme_of(obj).is_released:
            readonly += ["weight_presentation", "weight_reports", "weight_participation"]
            readonly += ["bonus_steps"]
        return readonly


SeminarAdmin.inlines = [*SeminarAdmin.inlines, GradingSchemeInline]


@admin.action(description=_("Release grades (e-mails every participant)…"), permissions=["change"])
def grades_release(modeladmin, request, queryset):
    seminars = list(queryset)
    if request.POST.get("post") != "yes":
        rows = [
            (seminar, len(grading_participants(seminar)), scheme_of(seminar))
            for seminar in seminars
        ]
        context = {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": gettext("Release grades?"),
            "rows": rows,
            "recipients": sum(count for _, count, scheme in rows if not scheme.is_released),
            "selected": [seminar.pk for seminar in seminars],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "grading/admin/release_confirm.html", context)
    for seminar in seminars:
        try:
            emailed = release_services.grades_release(seminar=seminar, by=request.user)
        except DomainError as refusal:
            modeladmin.message_user(request, refusal.message, messages.ERROR)
            continue
        modeladmin.message_user(
            request,
            ngettext(
                "The grades of %(seminar)s are released; %(count)d student e-mailed.",
                "The grades of %(seminar)s are released; %(count)d students e-mailed.",
                emailed,
            )
            % {"seminar": seminar, "count": emailed},
            messages.SUCCESS,
        )
    return None


def _one(modeladmin, request, queryset):
    seminars = list(queryset[:2])
    if len(seminars) != 1:
        modeladmin.message_user(
            request,
            gettext("Choose one seminar: a grade sheet is of one seminar."),
            messages.WARNING,
        )
        return None
    return seminars[0]


@admin.action(description=_("Grade sheet as CSV (exam office)"), permissions=["change"])
def grades_csv(modeladmin, request, queryset):
    seminar = _one(modeladmin, request, queryset)
    return exports.grade_sheet_csv(grade_sheet_of(seminar)) if seminar else None


@admin.action(description=_("Grade sheet as PDF"), permissions=["change"])
def grades_pdf(modeladmin, request, queryset):
    seminar = _one(modeladmin, request, queryset)
    if seminar is None:
        return None
    students = len(grading_participants(seminar))
    if pdf_in_request(students):
        base_url = request.build_absolute_uri("/")
        return exports.grade_sheet_pdf_response(grade_sheet_of(seminar), base_url=base_url)
    export = grade_sheet_export_start(seminar=seminar, by=request.user, students=students)
    return redirect(reverse("grading:export", args=[seminar.slug, export.pk]))


SeminarAdmin.actions = [*SeminarAdmin.actions, grades_release, grades_csv, grades_pdf]
