from django.contrib import admin

from seminar.admin import SeminarAdmin
from submissions.models import Deliverable


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


SeminarAdmin.inlines = [*SeminarAdmin.inlines, DeliverableInline]
