"""Who may see which submission, in one place. Everyone else gets a 404 (see views)."""

import rules

from seminar.rules import is_seminar_organizer
from seminar.selectors import is_organizer
from submissions.models import Submission
from submissions.selectors import owners_of, supervisor_user_ids


@rules.predicate
def may_see_submission(user, submission: Submission | None) -> bool:
    """The student; each member of the team that handed in a project; the supervisor of an
    owner's published topic; an organizer of the seminar (and superusers)."""
    if submission is None or not user.is_authenticated:
        return False
    seminar = submission.deliverable.seminar
    if is_organizer(user, seminar):
        return True
    owners = owners_of(submission)
    if seminar.registrations.filter(pk__in=owners, student=user).exists():
        return True
    return user.pk in supervisor_user_ids(seminar, owners)


rules.add_perm("submissions.download_submission", may_see_submission)
rules.add_perm("submissions.grant_extension", is_seminar_organizer)
