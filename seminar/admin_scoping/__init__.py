"""The admin's one scoping rule: staff work only in their own seminars, through the services.

Every ModelAdmin of the project derives from `SeminarScopedAdmin` (or, for models that belong
to no seminar, `AdminGuardMixin`); every inline of a scoped admin gets `SeminarScopedInlineMixin`
automatically, whichever app declared it. Together they make sure that

- lists and pages show rows of the seminars the person holds a role in (superusers: all);
- only organizers of an object's seminar may change or delete it, or run actions on it;
- every foreign key and many-to-many offers only the organizer's seminars and what belongs to
  the object's own seminar, and the server refuses any other value (a form error, never a save);
- deletes go through the service that keeps the rules, or are refused with the reason;
- a NUL byte or a forged selection in the address gives 400, never a database error.

How a model reaches its seminar is found from its foreign keys (`seminar_path_of`), so models
added later by other apps are scoped without configuration.
"""

from seminar.admin_scoping.admins import (
    AdminGuardMixin,
    ScopedStackedInline,
    ScopedTabularInline,
    SeminarScopedAdmin,
    SeminarScopedForm,
    SeminarScopedInlineMixin,
    scoped_inline,
)
from seminar.admin_scoping.deletion import (
    delete_refusal,
    delete_through_service,
    deletion_register,
)
from seminar.admin_scoping.scope import (
    organized_ids,
    organizes,
    seminar_id_of,
    seminar_path_of,
    staffed_ids,
    within_seminars,
    works_in,
)

__all__ = [
    "AdminGuardMixin",
    "ScopedStackedInline",
    "ScopedTabularInline",
    "SeminarScopedAdmin",
    "SeminarScopedForm",
    "SeminarScopedInlineMixin",
    "delete_refusal",
    "delete_through_service",
    "deletion_register",
    "organized_ids",
    "organizes",
    "scoped_inline",
    "seminar_id_of",
    "seminar_path_of",
    "staffed_ids",
    "within_seminars",
    "works_in",
]
