"""The admin for organizers (edit their seminars) and supervisors (see them).

Every admin here and in the other apps builds on `seminar.admin_scoping`: lists are narrowed to
the seminars the person works in, only organizers change or delete, every choice offered belongs
to the person's own seminars, and every state change goes through a service.
"""

from seminar.admin.log import ActivityEntryAdmin, OutgoingEmailAdmin
from seminar.admin.people import GroupAdmin, UserAdmin
from seminar.admin.registrations import RegistrationAdmin
from seminar.admin.seminars import SeminarAdmin
from seminar.admin_scoping import SeminarScopedAdmin

__all__ = [
    "ActivityEntryAdmin",
    "GroupAdmin",
    "OutgoingEmailAdmin",
    "RegistrationAdmin",
    "SeminarAdmin",
    "SeminarScopedAdmin",
    "UserAdmin",
]
