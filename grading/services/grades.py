"""Entering grades: one participant's grading page saved as one change.

Each save compares what the page sends with what is stored (only the fields the grader changed
are sent), writes the differences, and logs them in one activity-log entry per student with
the old and the new value. After the seminar's grades were released a change needs a reason,
which is logged with it and e-mailed to the student together with what changed and their
final grade as it is now. A project result of a team changes the grade of every member: each
of them gets the entry and, after release, the e-mail.

Grading saves of a seminar run one at a time, under the lock of its grading scheme's row,
which releasing the grades takes too: a change is either before the release (and then part
of what the release shows) or after it (and then needs its reason).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from grading.fields import GradingField, Kind, grading_fields, value_text
from grading.models import (
    Attendance,
    CriterionMark,
    GradingScheme,
    ProjectGrade,
    ReportGrade,
    StudentGrade,
)
from grading.rules import may_grade
from grading.selectors import StudentGrading, gradings_of
from seminar.errors import Invalid, NotAllowed
from seminar.models import Registration, Seminar, User
from seminar.services.activity import activity_log
from seminar.services.email import seminar_email_queue
from submissions.services.deliverables import mock_presentation_mark

REASON_NEEDED = gettext_lazy(
    "The grades of this seminar are released: give a reason for this change. "
    "The student is e-mailed the change and the reason."
)
STUDENT_FIELDS = {
    "presentation",
    "presentation_comment",
    "talk_minutes",
    "participation",
    "participation_comment",
    "project_result",
}


@dataclass(frozen=True)
class Change:
    """One changed field of one student, in words."""

    registration_id: int
    key: str
    label: str
    old: str
    new: str


def grading_locked(seminar: Seminar) -> GradingScheme:
    """Take the seminar's grading lock (its scheme's row) in the caller's transaction."""
    scheme, _ = GradingScheme.objects.get_or_create(seminar=seminar)
    return GradingScheme.objects.select_for_update().get(pk=scheme.pk)


def team_editable(user: User, grading: StudentGrading) -> bool:
    """May this person set the result of the student's team: do they grade every member?"""
    project = grading.project
    return project is None or all(may_grade(user, mate) for mate in project.mates)


def grading_save(
    *,
    registration: Registration,
    values: Mapping[str, object],
    by: User,
    reason: str = "",
) -> list[Change]:
    """Apply the changed fields of one participant's grading page (keys of `grading_fields`).

    Values equal to the stored ones change nothing; nothing changed writes nothing. Refused
    (nothing written) when the grader may not grade the student, a field is unknown (the page
    is out of date) or not theirs to change, or a reason is missing after release.
    """
    reason = reason.strip()
    with transaction.atomic():
        registration = Registration.objects.select_related("seminar", "student").get(
            pk=registration.pk
        )
        if not may_grade(by, registration):
            raise NotAllowed(gettext("You do not grade this student."))
        seminar = registration.seminar
        scheme = grading_locked(seminar)
        grading = gradings_of(seminar, [registration])[registration.pk]
        fields = grading_fields(grading, team_editable=team_editable(by, grading))
        unknown = sorted(set(values) - set(fields))
        if unknown:
            raise Invalid(
                gettext(
                    "This page no longer fits the student's grading (something was handed in "
                    "or the seminar's settings changed meanwhile). Nothing was saved; reload the "
                    "page."
                )
            )
        changed = {key: value for key, value in values.items() if _differs(fields[key], value)}
        if not changed:
            return []
        for key in changed:
            if not fields[key].editable:
                raise NotAllowed(fields[key].note)
        if scheme.is_released and not reason:
            raise Invalid(str(REASON_NEEDED))
        record, _ = StudentGrade.objects.get_or_create(registration=registration)
        for key, value in changed.items():
            _apply(grading, record, key, value, by=by, reason=reason)
        changes = [
            Change(
                registration.pk,
                key,
                fields[key].label,
                value_text(fields[key].kind, fields[key].value),
                value_text(fields[key].kind, value),
            )
            for key, value in changed.items()
        ]
        record.revision += 1
        record.save()
        team_changes = [c for c in changes if c.key.startswith("team_")]
        affected = {registration.pk: changes}
        for mate in grading.project.mates if team_changes and grading.project else []:
            affected[mate.pk] = [
                Change(mate.pk, c.key, c.label, c.old, c.new) for c in team_changes
            ]
            mate_record, _ = StudentGrade.objects.get_or_create(registration=mate)
            mate_record.revision += 1
            mate_record.save(update_fields=["revision", "updated_at"])
        _log(seminar, affected, reason=reason, by=by)
        if scheme.is_released:
            _email(seminar, affected, reason=reason)
        return changes


def _differs(field: GradingField, value: object) -> bool:
    if field.kind == Kind.TEXT:
        return (value or "").strip() != field.value
    return value != field.value


def _apply(
    grading: StudentGrading, record: StudentGrade, key: str, value, *, by: User, reason: str
) -> None:
    if key in STUDENT_FIELDS:
        setattr(record, key, value.strip() if isinstance(value, str) else value)
        return
    kind, _, rest = key.partition("_")
    if kind == "mock":
        mock_presentation_mark(
            registration=grading.registration, given=bool(value), by=by, reason=reason
        )
        return
    pk_text, _, part = rest.partition("_")
    pk = int(pk_text)
    if kind == "criterion":
        mark, _ = CriterionMark.objects.get_or_create(student_grade=record, criterion_id=pk)
        setattr(mark, part, value.strip() if part == "comment" else bool(value))
        mark.save()
    elif kind == "report":
        grade, _ = ReportGrade.objects.get_or_create(submission_id=pk)
        setattr(grade, part, value.strip())
        grade.save()
    elif kind == "team":
        result, _ = ProjectGrade.objects.get_or_create(submission_id=pk)
        setattr(result, part, value.strip())
        result.save()
    elif kind == "attendance":
        if value == "":
            Attendance.objects.filter(registration=grading.registration, session_id=pk).delete()
        else:
            Attendance.objects.update_or_create(
                registration=grading.registration,
                session_id=pk,
                defaults={"attended": value == "yes"},
            )
    else:
        raise ValueError(f"unknown grading field {key!r}")


def _log(seminar: Seminar, affected: dict[int, list[Change]], *, reason: str, by: User) -> None:
    registrations = Registration.objects.in_bulk(list(affected))
    for registration_id, changes in affected.items():
        # The mock presentation's mark is logged by its own service, with the same reason.
        logged = [c for c in changes if c.key != "mock_given"]
        if not logged:
            continue
        activity_log(
            action="grades.changed",
            seminar=seminar,
            obj=registrations[registration_id],
            old={c.label: c.old for c in logged},
            new={c.label: c.new for c in logged},
            reason=reason,
            actor=by,
        )


def _email(seminar: Seminar, affected: dict[int, list[Change]], *, reason: str) -> None:
    registrations = list(
        Registration.objects.filter(pk__in=list(affected)).select_related("student", "grade")
    )
    gradings = gradings_of(seminar, registrations)
    for registration in registrations:
        seminar_email_queue(
            seminar=seminar,
            key=f"grades_changed:{registration.pk}:{registration.grade.revision}",
            to=registration.student.email,
            template="grades_changed",
            context={
                "student": registration.student,
                "changes": affected[registration.pk],
                "reason": reason,
                "grading": gradings[registration.pk],
            },
        )
