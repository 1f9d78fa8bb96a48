"""Staff: the Organizer and Supervisor groups and the roles people hold in a seminar."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from seminar.enums import Group as GroupName
from seminar.enums import StaffKind
from seminar.errors import Conflict, Invalid
from seminar.models import Seminar, StaffRole, User
from seminar.services.activity import activity_log
from seminar.validators import unprintable

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
    # Creating seminars is granted person by person (seminar.create_seminar), not by a role.
    organizer.permissions.add(
        *_permissions(_models_by_app("organizer_models")).exclude(codename="create_seminar")
    )
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
    *,
    seminar: Seminar,
    user: User,
    kind: str,
    initials: str = "",
    listed_as: str = "",
    max_students: int | None = None,
) -> StaffRole:
    """Give someone a role in a seminar: they reach the admin through their group.

    Holding the role already changes nothing.
    """
    _one_line(initials, listed_as)
    role, created = StaffRole.objects.get_or_create(
        seminar=seminar,
        user=user,
        kind=kind,
        defaults={
            "initials": initials,
            "listed_as": listed_as,
            "max_students": max_students,
            "position": seminar.staff.count(),
        },
    )
    user.groups.add(Group.objects.get(name=_group_of(kind)))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if created:
        activity_log(
            action="staff.added",
            seminar=seminar,
            obj=role,
            new={"person": user.email, "kind": kind},
        )
    return role


@transaction.atomic
def staff_member_add(
    *,
    seminar: Seminar,
    email: str,
    kind: str,
    full_name: str = "",
    initials: str = "",
    listed_as: str = "",
    max_students: int | None = None,
) -> StaffRole:
    """Give the person with this e-mail address a role; an unknown address gets an account.

    The new account has no usable password: its holder sets one through "Forgot password?".
    Whether the account existed is told to nobody, so that the address reveals nothing about
    people outside the seminar.
    """
    _one_line(email, full_name)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email, password=None, full_name=full_name.strip() or email.split("@")[0]
        )
    return staff_role_add(
        seminar=seminar,
        user=user,
        kind=kind,
        initials=initials,
        listed_as=listed_as,
        max_students=max_students,
    )


def staff_role_remove_refusal(role: StaffRole) -> str | None:
    """Why this role may not be removed (None: it may). The one place that decides it."""
    if role.kind == StaffKind.ORGANIZER and not _other_organizers(role.seminar_id, [role.pk]):
        return _(
            "%(name)s is the seminar's only organizer; add another organizer before removing them."
        ) % {"name": role.display_name}
    return None


def staff_roles_remove_refusal(roles: list[StaffRole]) -> str | None:
    """Why these roles of one seminar may not be removed together (None: they may)."""
    organizers = [r for r in roles if r.kind == StaffKind.ORGANIZER]
    if organizers and not _other_organizers(organizers[0].seminar_id, [r.pk for r in roles]):
        return _("A seminar keeps at least one organizer; add another organizer first.")
    return None


@transaction.atomic
def staff_role_remove(*, role: StaffRole) -> None:
    """Take a role away; the person leaves its group when they hold no other role of its kind."""
    role = StaffRole.objects.select_related("user", "seminar").get(pk=role.pk)
    refusal = staff_role_remove_refusal(role)
    if refusal:
        raise Conflict(refusal)
    activity_log(
        action="staff.removed",
        seminar=role.seminar,
        obj=role,
        old={"person": role.user.email, "kind": role.kind},
    )
    staff_role_drop(role=role)


def staff_role_drop(*, role: StaffRole) -> None:
    """Delete a role and tidy the person's access; for callers that checked what they need
    (removing a role, deleting a whole seminar)."""
    user, kind = role.user, role.kind
    role.delete()
    if not user.staff_roles.filter(kind=kind).exists():
        user.groups.remove(Group.objects.get(name=_group_of(kind)))
    if not user.is_superuser and not user.staff_roles.exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])


def _group_of(kind: str) -> str:
    return GroupName.ORGANIZER if kind == StaffKind.ORGANIZER else GroupName.SUPERVISOR


def _other_organizers(seminar_id: int, leaving: list[int]) -> bool:
    return (
        StaffRole.objects.filter(seminar_id=seminar_id, kind=StaffKind.ORGANIZER)
        .exclude(pk__in=leaving)
        .exists()
    )


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


def _one_line(*values: str) -> None:
    """Names, initials and addresses go onto pages, into e-mail headers and CSV cells."""
    if any(unprintable(value) for value in values):
        raise Invalid(_("Use one line of ordinary text, without control characters."))
