"""Who may grade whom, and who manages a seminar's grades, in one place.

A supervisor grades the participants whose published topic they supervise; the seminar's
organizers (and superusers) grade every participant of it and alone release the grades, see
their history and export the grade sheet. Everyone else gets a 404 (site) or "does not exist"
(admin), never a hint that the student exists. `grading.selectors.gradable_students` is the
same rule as a queryset, for lists.
"""

import rules

from seminar.enums import RegistrationStatus
from seminar.models import Registration
from seminar.rules import is_seminar_organizer
from seminar.selectors import is_organizer
from submissions.selectors import supervised_registration_ids


@rules.predicate
def may_grade(user, registration: Registration | None) -> bool:
    if registration is None or not user.is_authenticated or not user.is_active:
        return False
    if registration.status != RegistrationStatus.CONFIRMED:
        return False
    if is_organizer(user, registration.seminar):
        return True
    return registration.pk in supervised_registration_ids(registration.seminar, user)


rules.add_perm("grading.grade_student", may_grade)
rules.add_perm("grading.manage_grades", is_seminar_organizer)
