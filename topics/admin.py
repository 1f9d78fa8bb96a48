"""Topics, reading material, preferences and allocation runs in the admin.

Scoped like every admin (seminar.admin_scoping): a topic's supervisor, session and materials
are chosen among its own seminar's. Preferences are the students' own; allocation runs are made
and published on the organizer's allocation page.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from seminar.admin import SeminarAdmin
from seminar.admin_scoping import (
    ScopedTabularInline,
    SeminarScopedAdmin,
    deletion_register,
)
from seminar.models import Meeting
from topics import services
from topics.models import AllocationRun, Assignment, Preference, SupplementaryMaterial, Topic

deletion_register(
    Topic,
    refusal=services.topic_delete_refusal,
    delete=lambda topic: services.topic_delete(topic=topic),
)
deletion_register(
    AllocationRun,
    refusal=services.allocation_run_delete_refusal,
    delete=lambda run: services.allocation_run_delete(run=run),
)
# The seminar app knows nothing of talks; this app keeps a session with talks from vanishing.
deletion_register(Meeting, refusal=services.session_delete_refusal)

TOPIC_FIELDS = [
    "title",
    "year",
    "url",
    "supervisor",
    "mock_group",
    "session",
    "slot",
    "capacity",
    "materials",
]


# What an empty list of choices means: the rows to choose from are not saved yet.
EMPTY_CHOICES = {
    "supervisor": _(
        "No supervisors to choose yet: add them under Staff on the seminar's page and save it; "
        "then they appear here."
    ),
    "session": _(
        "No sessions to choose yet: add them under Meetings on the seminar's page and save it; "
        "then they appear here."
    ),
    "materials": _(
        "No supplementary material to choose yet: add entries on the seminar's page and save "
        "it; then they appear here."
    ),
}


class EmptyChoicesExplained:
    """A supervisor, session or material list that is empty says why, instead of staying
    silently empty."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _explained(db_field, super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _explained(db_field, field)


def _explained(db_field, field):
    message = EMPTY_CHOICES.get(db_field.name)
    if field is None or not message:
        return field
    choices = field.queryset.complex_filter(field.get_limit_choices_to() or {})
    if not choices.exists():
        field.help_text = message
    return field


class SupplementaryMaterialInline(ScopedTabularInline):
    model = SupplementaryMaterial
    extra = 0


class TopicInline(EmptyChoicesExplained, ScopedTabularInline):
    """Compact: one line per topic; its link and material on the topic's own page."""

    model = Topic
    extra = 0
    fields = [name for name in TOPIC_FIELDS if name not in ("url", "materials")]
    show_change_link = True


# The seminar's page in the admin edits its topics and reading material too.
SeminarAdmin.inlines = [*SeminarAdmin.inlines, SupplementaryMaterialInline, TopicInline]


@admin.register(Topic)
class TopicAdmin(EmptyChoicesExplained, SeminarScopedAdmin):
    list_display = [
        "title",
        "year",
        "seminar",
        "supervisor",
        "mock_group",
        "session",
        "slot",
        "capacity",
    ]
    list_filter = [("seminar", admin.RelatedOnlyFieldListFilter), "mock_group"]
    search_fields = ["title"]
    list_select_related = ["seminar", "supervisor__user", "session"]
    filter_horizontal = ["materials"]
    fields = ["seminar", *TOPIC_FIELDS]


@admin.register(SupplementaryMaterial)
class SupplementaryMaterialAdmin(SeminarScopedAdmin):
    list_display = ["number", "title", "marker", "seminar"]
    list_filter = [("seminar", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title"]
    list_select_related = ["seminar"]


@admin.register(Preference)
class PreferenceAdmin(SeminarScopedAdmin):
    list_display = ["registration", "topic", "created_at"]
    list_filter = [("registration__seminar", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["registration__student__full_name", "topic__title"]
    list_select_related = ["registration__student", "registration__seminar", "topic"]

    def has_add_permission(self, request) -> bool:
        return False  # students set their own preferences

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a student's choice is theirs; the preference form replaces it


class AssignmentInline(ScopedTabularInline):
    model = Assignment
    extra = 0
    can_delete = False
    fields = ["registration", "topic", "reason", "is_manual"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # hand changes are made on the organizer's allocation page

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AllocationRun)
class AllocationRunAdmin(SeminarScopedAdmin):
    list_display = ["pk", "seminar", "seed", "created_at", "published_at"]
    list_filter = [("seminar", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["seminar"]
    readonly_fields = ["seminar", "seed", "created_at", "created_by", "published_at"]
    inlines = [AssignmentInline]

    def has_add_permission(self, request) -> bool:
        return False  # runs are made on the organizer's allocation page
