from django.contrib import admin

from seminar.admin import SeminarAdmin, SeminarScopedAdmin
from seminar.enums import MeetingKind, StaffKind
from seminar.models import Meeting, StaffRole
from topics.models import AllocationRun, Assignment, Preference, SupplementaryMaterial, Topic


class SeminarChildInline(admin.TabularInline):
    """An inline of the seminar page whose choices are narrowed to that seminar."""

    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        self.parent_seminar = obj
        return super().get_formset(request, obj, **kwargs)

    def _narrow(self, field, queryset):
        seminar = getattr(self, "parent_seminar", None)
        field.queryset = queryset.filter(seminar=seminar) if seminar else queryset.none()
        return field


class SupplementaryMaterialInline(SeminarChildInline):
    model = SupplementaryMaterial


class TopicInline(SeminarChildInline):
    model = Topic
    fields = [
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "supervisor":
            return self._narrow(field, StaffRole.objects.filter(kind=StaffKind.SUPERVISOR))
        if db_field.name == "session":
            return self._narrow(field, Meeting.objects.filter(kind=MeetingKind.SESSION))
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._narrow(field, SupplementaryMaterial.objects.all())


# The seminar's page in the admin edits its topics and reading material too.
SeminarAdmin.inlines = [*SeminarAdmin.inlines, SupplementaryMaterialInline, TopicInline]


@admin.register(Topic)
class TopicAdmin(SeminarScopedAdmin):
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
    list_filter = ["seminar", "mock_group"]
    search_fields = ["title"]
    list_select_related = ["seminar", "supervisor__user", "session"]
    filter_horizontal = ["materials"]


@admin.register(SupplementaryMaterial)
class SupplementaryMaterialAdmin(SeminarScopedAdmin):
    list_display = ["number", "title", "marker", "seminar"]
    list_filter = ["seminar"]
    search_fields = ["title"]
    list_select_related = ["seminar"]


@admin.register(Preference)
class PreferenceAdmin(SeminarScopedAdmin):
    seminar_path = "registration__seminar"
    list_display = ["registration", "topic", "created_at"]
    list_filter = ["registration__seminar"]
    search_fields = ["registration__student__full_name", "topic__title"]
    list_select_related = ["registration__student", "registration__seminar", "topic"]

    def has_add_permission(self, request) -> bool:
        return False  # students set their own preferences

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["registration", "topic", "reason", "is_manual"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AllocationRun)
class AllocationRunAdmin(SeminarScopedAdmin):
    list_display = ["pk", "seminar", "seed", "created_at", "published_at"]
    list_filter = ["seminar"]
    readonly_fields = ["seminar", "seed", "created_at", "created_by", "published_at"]
    inlines = [AssignmentInline]

    def has_add_permission(self, request) -> bool:
        return False  # runs are made on the organizer's allocation page
