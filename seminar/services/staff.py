"""Staff: the Organizer and Supervisor groups and the roles people hold in a seminar."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from seminar.enums import Group as GroupName
from seminar.enums import StaffKind
from seminar.models import Seminar, StaffRole, User

# Each app names, in its AppConfig, the models whose every permission organizers get
# (`organizer_models`) and those supervisors may view (`supervisor_view_models`); the admin then
# narrows each list to the seminars and students the person works with. So this app needs to
# know nothing of the apps above it.


def _models_by_app(attribute: str) -> dict[str, list[str]]:
    return {
        config.label: list(getattr(config, attribute))
        for config in apps.get_app_configs()
        if getattr(config, attribute, None)
    }


def staff_groups_ensure() -> None:
    """Create the staff groups with their permissions; running it again changes nothing."""
    organizer, _ = Group.objects.get_or_create(name=GroupName.ORGANIZER)
    organizer.permissions.add(*_permissions(_models_by_app("organizer_models")))
    organizer.permissions.add(*Permission.objects.filter(codename="view_user"))
    # Their seminars' outbox (mail.admin narrows it): read it and send failed e-mails again.
    organizer.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="mail",
            codename__in=["view_outgoingemail", "resend_outgoingemail"],
        )
    )
    supervisor, _ = Group.objects.get_or_create(name=GroupName.SUPERVISOR)
    supervisor.permissions.add(
        *_permissions(_models_by_app("supervisor_view_models"), only_view=True)
    )


@transaction.atomic
def staff_role_add(
    *, seminar: Seminar, user: User, kind: str, initials: str = "", listed_as: str = ""
) -> StaffRole:
    """Give someone a role in a seminar: they reach the admin through their group."""
    role, _ = StaffRole.objects.get_or_create(
        seminar=seminar,
        user=user,
        kind=kind,
        defaults={"initials": initials, "listed_as": listed_as, "position": seminar.staff.count()},
    )
    group_name = GroupName.ORGANIZER if kind == StaffKind.ORGANIZER else GroupName.SUPERVISOR
    user.groups.add(Group.objects.get(name=group_name))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return role


def _permissions(models_by_app: dict[str, list[str]], *, only_view: bool = False):
    permissions = Permission.objects.none()
    for app_label, model_names in models_by_app.items():
        found = Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=model_names
        )
        if only_view:
            found = found.filter(codename__startswith="view_")
        permissions = permissions | found
    return permissions
