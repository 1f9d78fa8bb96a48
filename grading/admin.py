from grading.models import GradingScheme
from seminar.admin import SeminarAdmin
from seminar.admin_scoping import ScopedStackedInline


class GradingSchemeInline(ScopedStackedInline):
    """The seminar's grade weights and project bonus, on the seminar's own admin page."""

    model = GradingScheme
    can_delete = False
    fields = [("weight_presentation", "weight_reports", "weight_participation"), "bonus_steps"]


SeminarAdmin.inlines = [*SeminarAdmin.inlines, GradingSchemeInline]
