"""People in the admin: superusers manage accounts; organizers see the people of their seminars."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from seminar.admin_scoping import AdminGuardMixin, deletion_register, staffed_ids, within_seminars
from seminar.enums import Group as GroupName
from seminar.models import Registration, User


def user_delete_refusal(user: User) -> str | None:
    if user.registrations.exists() or user.staff_roles.exists():
        return gettext(
            "%(user)s has registrations or staff roles, which keep their history. "
            "Untick “Active” to close the account instead."
        ) % {"user": user}
    return None


def group_delete_refusal(group: Group) -> str | None:
    if group.name in GroupName.values:
        return gettext("The group “%(name)s” gives staff their access; it cannot be deleted.") % {
            "name": group.name
        }
    return None


deletion_register(User, refusal=user_delete_refusal)
deletion_register(Group, refusal=group_delete_refusal)


class LowercaseEmailMixin:
    """Addresses are stored lowercased, so that one person has one account."""

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class UserCreationAdminForm(LowercaseEmailMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["email", "full_name"]
        field_classes = {}


class UserChangeAdminForm(LowercaseEmailMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        field_classes = {}


@admin.register(User)
class UserAdmin(AdminGuardMixin, BaseUserAdmin):
    """Organizers see the people of their own seminars, and a person's study details only
    when that person registered for one of them; superusers see and edit everyone."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["full_name", "email"]
    list_display = ["email", "full_name", "matriculation", "is_staff"]
    list_filter = ["is_staff", "is_superuser", "degree_level", "groups"]
    search_fields = ["email", "full_name", "matriculation_number"]
    account_fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    fieldsets = [
        account_fieldsets[0],
        (
            _("Person"),
            {"fields": ["full_name", "matriculation_number", "degree_level", "programme"]},
        ),
        *account_fieldsets[1:],
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    def get_queryset(self, request):
        queryset = within_seminars(super().get_queryset(request), staffed_ids(request))
        if request.user.is_superuser:
            return queryset
        ours = Registration.objects.filter(student=OuterRef("pk"), seminar__in=staffed_ids(request))
        return queryset.annotate(is_our_student=Exists(ours))

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return ["is_staff"]  # filtering by degree would tell it of colleagues too

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser or getattr(obj, "is_our_student", False):
            return super().get_fieldsets(request, obj)
        # A colleague on the staff: their name, not their study details.
        return [self.account_fieldsets[0], (_("Person"), {"fields": ["full_name"]})]

    @admin.display(description=_("matriculation number"), ordering="matriculation_number")
    def matriculation(self, user: User) -> str:
        shown = getattr(user, "is_our_student", True)
        return user.matriculation_number if shown else ""


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AdminGuardMixin, BaseGroupAdmin):
    """The staff groups are kept by the application (seminar.services.staff)."""
