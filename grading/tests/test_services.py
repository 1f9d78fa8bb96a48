"""Entering grades and releasing them: what is written, logged and e-mailed, and what is refused."""

import pytest

from grading.models import Attendance, CriterionMark, ProjectGrade, ReportGrade, StudentGrade
from grading.selectors import gradings_of, scheme_of
from grading.services import grades_release, grading_save
from grading.services.grades import REASON_NEEDED
from grading.tests.factories import complete_values, grade_completely, grading_world
from mail.models import OutgoingEmail
from seminar.errors import Conflict, Invalid, NotAllowed
from seminar.models import ActivityEntry
from submissions.models import MockPresentationMark, Submission
from submissions.services.teams import team_invitation_accept, team_invite
from submissions.services.uploads import submission_upload
from submissions.tests.factories import deliverable, upload, zip_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return grading_world(2)


def grading_of(registration):
    return gradings_of(registration.seminar, [registration])[registration.pk]


def grade_entries(registration) -> list[ActivityEntry]:
    return list(
        ActivityEntry.objects.filter(
            action="grades.changed", object_id=str(registration.pk)
        ).order_by("pk")
    )


def test_grading_save_writes_every_component_and_the_final_grade_follows(world):
    student = world.students[0]
    grade_completely(student, by=world.supervisor)

    grading = grading_of(student)
    assert (str(grading.result.grade), grading.result.explanation) == (
        "1.7",
        "0.50 × 1.7 + 0.35 × 2.0 + 0.15 × 1.3 = 1.745 → 1.7",
    )
    assert Attendance.objects.filter(registration=student, attended=True).count() == 2
    assert MockPresentationMark.objects.filter(registration=student).count() == 1
    assert list(ReportGrade.objects.values_list("grade", flat=True)) == ["2.0"] * 3
    assert list(ProjectGrade.objects.values_list("result", flat=True)) == ["pass"]


def test_grading_save_logs_old_and_new_values_of_what_changed(world):
    student = world.students[0]
    grading_save(registration=student, values={"presentation": "1.7"}, by=world.supervisor)
    grading_save(
        registration=student,
        values={"presentation": "1.3", "participation": "", "talk_minutes": 27},
        by=world.supervisor,
    )

    first, second = grade_entries(student)
    assert (first.old, first.new) == (
        {"presentation grade": "not graded"},
        {"presentation grade": "1.7"},
    )
    assert (second.old, second.new) == (
        {"presentation grade": "1.7", "talk length (minutes)": "not entered"},
        {"presentation grade": "1.3", "talk length (minutes)": "27 min"},
    )
    assert (second.actor, second.seminar, second.reason) == (world.supervisor, world.seminar, "")


def test_grading_save_without_a_change_writes_nothing(world):
    student = world.students[0]
    grading_save(registration=student, values={"presentation": "1.7"}, by=world.supervisor)
    changes = grading_save(
        registration=student,
        values={"presentation": "1.7", "presentation_comment": "  "},
        by=world.supervisor,
    )
    assert (changes, len(grade_entries(student))) == ([], 1)
    assert StudentGrade.objects.get(registration=student).revision == 1


def test_grading_save_refuses_a_student_of_another_supervisor(world):
    _, odd = world.students
    with pytest.raises(NotAllowed):
        grading_save(registration=odd, values={"presentation": "1.0"}, by=world.supervisor)
    assert StudentGrade.objects.count() == 0


def test_grading_save_refuses_fields_of_another_student(world):
    even, odd = world.students
    foreign = Submission.objects.filter(registration=odd, deliverable__kind="reports").first()
    with pytest.raises(Invalid):
        grading_save(
            registration=even, values={f"report_{foreign.pk}_grade": "1.0"}, by=world.organizer
        )
    assert ReportGrade.objects.count() == 0


def test_criteria_marks_are_kept_per_criterion(world):
    student = world.students[0]
    first, second = world.criteria
    grading_save(
        registration=student,
        values={f"criterion_{first.pk}_met": True, f"criterion_{second.pk}_comment": "Too dense"},
        by=world.supervisor,
    )
    marks = {m.criterion_id: (m.met, m.comment) for m in CriterionMark.objects.all()}
    assert marks == {first.pk: (True, ""), second.pk: (False, "Too dense")}


def test_attendance_can_be_unmarked_again(world):
    student = world.students[0]
    key = f"attendance_{world.sessions[0].pk}"
    grading_save(registration=student, values={key: "no"}, by=world.supervisor)
    assert list(Attendance.objects.values_list("attended", flat=True)) == [False]
    grading_save(registration=student, values={key: ""}, by=world.supervisor)
    assert Attendance.objects.count() == 0
    assert grade_entries(student)[-1].new == {
        f"attendance of session 1 ({world.sessions[0].date:%-d %b %Y})": "not marked"
    }


def test_mock_presentation_goes_through_its_service_with_the_reason(world):
    student = world.students[0]
    grades_release(seminar=world.seminar, by=world.organizer)
    grading_save(
        registration=student, values={"mock_given": True}, by=world.supervisor, reason="Late mark"
    )
    entry = ActivityEntry.objects.get(action="mock_presentation.given")
    assert (entry.reason, entry.new) == ("Late mark", {"given": True})
    assert grade_entries(student) == []  # logged once, by the mock's own service


# --- Release ------------------------------------------------------------------------------


def test_release_emails_every_participant_once_with_their_grade(world):
    even, odd = world.students
    grade_completely(even, by=world.supervisor)

    emailed = grades_release(seminar=world.seminar, by=world.organizer)

    emails = {e.to: e for e in OutgoingEmail.objects.filter(kind="grades_released")}
    assert (emailed, sorted(emails)) == (2, sorted(r.student.email for r in world.students))
    complete = emails[even.student.email]
    assert complete.subject == f"[{world.seminar.tag}] Your grades are out: final grade 1.7"
    assert "0.50 × 1.7 + 0.35 × 2.0 + 0.15 × 1.3 = 1.745 → 1.7" in complete.body_text
    assert "Final grade: not complete yet" in emails[odd.student.email].body_text
    assert scheme_of(world.seminar).released_by == world.organizer
    entry = ActivityEntry.objects.get(action="grades.released")
    assert entry.new == {"released": True, "students e-mailed": 2}


def test_release_twice_is_refused_and_emails_nobody_again(world):
    grades_release(seminar=world.seminar, by=world.organizer)
    with pytest.raises(Conflict):
        grades_release(seminar=world.seminar, by=world.organizer)
    assert OutgoingEmail.objects.filter(kind="grades_released").count() == 2


def test_release_is_for_organizers_only(world):
    with pytest.raises(NotAllowed):
        grades_release(seminar=world.seminar, by=world.supervisor)
    assert scheme_of(world.seminar).released_at is None


def test_a_change_after_release_needs_a_reason(world):
    student = world.students[0]
    grade_completely(student, by=world.supervisor)
    grades_release(seminar=world.seminar, by=world.organizer)

    with pytest.raises(Invalid) as refused:
        grading_save(registration=student, values={"presentation": "1.0"}, by=world.supervisor)
    assert refused.value.message == REASON_NEEDED
    assert grading_of(student).presentation == "1.7"


def test_a_change_after_release_is_logged_with_its_reason_and_emailed(world):
    student = world.students[0]
    grade_completely(student, by=world.supervisor)
    grades_release(seminar=world.seminar, by=world.organizer)

    grading_save(
        registration=student,
        values={"presentation": "1.0"},
        by=world.supervisor,
        reason="Recounted the rubric.",
    )

    entry = grade_entries(student)[-1]
    assert (entry.old, entry.new, entry.reason) == (
        {"presentation grade": "1.7"},
        {"presentation grade": "1.0"},
        "Recounted the rubric.",
    )
    email = OutgoingEmail.objects.get(kind="grades_changed")
    assert email.to == student.student.email
    assert (
        email.subject == f"[{world.seminar.tag}] A grade of yours was changed: final grade now 1.3"
    )
    assert "Presentation grade: 1.7 → 1.0" in email.body_text
    assert "Reason: Recounted the rubric." in email.body_text
    assert "0.50 × 1.0 + 0.35 × 2.0 + 0.15 × 1.3 = 1.395 → 1.3" in email.body_text


def test_each_change_after_release_is_its_own_email(world):
    student = world.students[0]
    grades_release(seminar=world.seminar, by=world.organizer)
    for grade in ("2.0", "2.3"):
        grading_save(
            registration=student, values={"presentation": grade}, by=world.supervisor, reason="r"
        )
    assert OutgoingEmail.objects.filter(kind="grades_changed").count() == 2


# --- The project of a team -------------------------------------------------------------------


def team_world(mate_supervised_by_other: bool):
    """Two students whose team handed in the project together."""
    world = grading_world(3)
    first, second = world.students[0], world.students[1 if mate_supervised_by_other else 2]
    Submission.objects.filter(deliverable__kind="project").delete()
    invitation = team_invite(registration=first, email=second.student.email)
    team_invitation_accept(invitation_id=invitation.pk, registration=second)
    submission_upload(
        registration=first,
        deliverable=deliverable(world.seminar, "project"),
        upload=upload(zip_bytes(), "project.zip", "application/zip"),
        by=first.student,
    )
    return world, first, second


def test_team_result_counts_for_each_member_and_is_logged_for_each(world):
    world, first, second = team_world(mate_supervised_by_other=False)
    team_key = next(k for k in complete_values(first) if k.startswith("team_"))
    grading_save(registration=first, values={team_key: "bonus"}, by=world.supervisor)

    assert [grading_of(r).project.effective for r in (first, second)] == ["bonus", "bonus"]
    assert [list(e.new.values()) for e in grade_entries(second)] == [["bonus"]]


def test_own_project_result_overrides_the_team(world):
    world, first, second = team_world(mate_supervised_by_other=False)
    team_key = next(k for k in complete_values(first) if k.startswith("team_"))
    grading_save(registration=first, values={team_key: "pass"}, by=world.supervisor)
    grading_save(registration=second, values={"project_result": "fail"}, by=world.supervisor)
    assert [grading_of(r).project.effective for r in (first, second)] == ["pass", "fail"]


def test_team_result_is_refused_when_a_member_is_graded_by_someone_else(world):
    world, first, second = team_world(mate_supervised_by_other=True)
    team_key = next(k for k in complete_values(first) if k.startswith("team_"))
    with pytest.raises(NotAllowed):
        grading_save(registration=first, values={team_key: "pass"}, by=world.supervisor)
    grading_save(registration=first, values={team_key: "pass"}, by=world.organizer)
    assert grading_of(second).project.effective == "pass"


def test_team_change_after_release_emails_every_member(world):
    world, first, second = team_world(mate_supervised_by_other=False)
    team_key = next(k for k in complete_values(first) if k.startswith("team_"))
    grades_release(seminar=world.seminar, by=world.organizer)
    grading_save(registration=first, values={team_key: "fail"}, by=world.supervisor, reason="r")
    emails = OutgoingEmail.objects.filter(kind="grades_changed")
    assert sorted(emails.values_list("to", flat=True)) == sorted(
        [first.student.email, second.student.email]
    )
