"""Who may do what, in one place. Object lookups for the wrong user end in 404 (see views)."""

import rules

from seminar import selectors


@rules.predicate
def is_seminar_organizer(user, seminar) -> bool:
    return seminar is not None and selectors.is_organizer(user, seminar)


@rules.predicate
def is_seminar_staff(user, seminar) -> bool:
    return seminar is not None and selectors.is_staff_of(user, seminar)


rules.add_perm("seminar.organize_seminar", is_seminar_organizer)
rules.add_perm("seminar.see_participant_names", is_seminar_staff)
