"""Grading in the admin, as each role: who sees whom, what a save does, what a forged POST does.

A supervisor grades only the students of their published topics: others are not in their list,
their grading page does not exist for them, and a POST to it or with another student's fields
changes nothing.
"""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from grading.models import Attendance, CriterionMark, GradingScheme, ReportGrade, StudentGrade
from grading.selectors import gradings_of
from grading.services import grades_release, grading_save
from grading.tests.factories import grade_completely, grading_world
from grading.tests.test_services import team_world
from seminar.admin_scoping import delete_refusal, delete_through_service
from seminar.enums import StaffKind
from seminar.models import Meeting, PresentationCriterion
from seminar.services.staff import staff_role_add
from seminar.tests.factories import SeminarFactory, StaffUserFactory, UserFactory
from submissions.models import Submission

pytestmark = pytest.mark.django_db

LIST = reverse("admin:grading_gradedstudent_changelist")


def page_url(registration) -> str:
    return reverse("admin:grading_gradedstudent_change", args=[registration.pk])


def listed(response) -> list[int]:
    return [row.pk for row in response.context["cl"].result_list]


def filled(response, **changes) -> dict:
    """What the browser sends for the page as shown, with some inputs changed."""
    form = response.context["form"]
    data = {"grading_page": "1", "reason": changes.pop("reason", "")}
    for name in form.fields:
        if name in data:
            continue
        initial = form[name].initial
        hidden = "" if initial is None else str(initial)
        data[f"initial-{name}"] = hidden
        value = changes.get(name, initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    data.update({k: v for k, v in changes.items() if k not in form.fields})
    return data


@pytest.fixture
def world():
    return grading_world(2)


def test_supervisor_lists_only_their_students(client, world):
    even, odd = world.students
    client.force_login(world.supervisor)
    response = client.get(LIST)
    assert (response.status_code, listed(response)) == (200, [even.pk])
    page = response.content.decode()
    assert odd.student.full_name not in page
    report = Submission.objects.filter(registration=even, deliverable__kind="reports").first()
    download = reverse("submissions:download", args=[world.seminar.slug, report.files.get().pk])
    assert download in page
    assert "presentation not graded" in page


def test_organizer_lists_every_participant(client, world):
    client.force_login(world.organizer)
    assert sorted(listed(client.get(LIST))) == sorted(r.pk for r in world.students)


def test_staff_of_another_seminar_and_students_see_nobody(client, world):
    stranger = StaffUserFactory()
    staff_role_add(seminar=SeminarFactory(), user=stranger, kind=StaffKind.ORGANIZER)
    client.force_login(stranger)
    assert listed(client.get(LIST)) == []
    assert client.get(page_url(world.students[0])).status_code == 302
    client.force_login(world.students[0].student)
    assert client.get(LIST).status_code == 302  # to the admin's login


def test_supervisor_opens_their_students_page_but_not_another(client, world):
    even, odd = world.students
    client.force_login(world.supervisor)
    response = client.get(page_url(even))
    assert response.status_code == 200
    assert response.context["grading"].registration == even
    response = client.get(page_url(odd))
    assert (response.status_code, response.url) == (302, reverse("admin:index"))


def test_forged_post_to_another_supervisors_student_changes_nothing(client, world):
    even, odd = world.students
    client.force_login(world.other_supervisor)
    data = filled(client.get(page_url(odd)), presentation="1.0")
    client.force_login(world.supervisor)
    response = client.post(page_url(odd), data)
    assert (response.status_code, response.url) == (302, reverse("admin:index"))
    assert StudentGrade.objects.count() == 0


def test_forged_fields_of_another_student_are_ignored(client, world):
    even, odd = world.students
    foreign = Submission.objects.filter(registration=odd, deliverable__kind="reports").first()
    client.force_login(world.supervisor)
    data = filled(client.get(page_url(even)), presentation="2.3")
    data[f"report_{foreign.pk}_grade"] = "1.0"
    data[f"initial-report_{foreign.pk}_grade"] = ""
    response = client.post(page_url(even), data)
    assert response.status_code == 302
    assert ReportGrade.objects.count() == 0
    assert StudentGrade.objects.get(registration=even).presentation == "2.3"


def test_supervisor_grades_a_student_from_one_page(client, world):
    even, _ = world.students
    first, second = world.criteria
    client.force_login(world.supervisor)
    response = client.get(page_url(even))
    reports = [
        k
        for k in response.context["form"].fields
        if k.startswith("report_") and k.endswith("_grade")
    ]
    changes = {
        "presentation": "1.3",
        "talk_minutes": "27",
        f"criterion_{first.pk}_met": True,
        f"criterion_{second.pk}_comment": "More examples, please.",
        "participation": "1.0",
        "mock_given": True,
        **dict.fromkeys(reports, "1.7"),
        **{f"attendance_{s.pk}": "yes" for s in world.sessions},
    }
    team = next(
        k
        for k in response.context["form"].fields
        if k.startswith("team_") and k.endswith("_result")
    )
    changes[team] = "pass"
    response = client.post(page_url(even), filled(response, **changes))
    assert (response.status_code, response.url) == (302, page_url(even))

    grading = gradings_of(world.seminar, [even])[even.pk]
    assert grading.result.explanation == "0.50 × 1.3 + 0.35 × 1.7 + 0.15 × 1.0 = 1.395 → 1.3"
    assert (grading.talk_minutes, grading.talk_over_limit) == (27, True)
    assert {m.criterion_id: (m.met, m.comment) for m in CriterionMark.objects.all()} == {
        first.pk: (True, ""),
        second.pk: (False, "More examples, please."),
    }
    page = client.get(page_url(even)).content.decode()
    assert "The talk took 27 minutes, over the seminar's maximum of 25." in page
    assert "0.50 × 1.3 + 0.35 × 1.7 + 0.15 × 1.0 = 1.395 → 1.3" in page


def test_only_changed_inputs_are_saved(client, world):
    """Someone else's change made while this page was open is not overwritten."""
    even, _ = world.students
    client.force_login(world.supervisor)
    shown = client.get(page_url(even))
    grading_save(registration=even, values={"presentation": "3.0"}, by=world.organizer)
    client.post(page_url(even), filled(shown, participation="2.0"))
    record = StudentGrade.objects.get(registration=even)
    assert (record.presentation, record.participation) == ("3.0", "2.0")


def test_an_empty_post_saves_nothing(client, world):
    client.force_login(world.supervisor)
    response = client.post(page_url(world.students[0]), {})
    assert response.status_code == 200
    assert "The form arrived incomplete; nothing was saved." in response.content.decode()
    assert StudentGrade.objects.count() == 0


def test_grades_off_the_scale_are_refused(client, world):
    even, _ = world.students
    client.force_login(world.supervisor)
    response = client.post(page_url(even), filled(client.get(page_url(even)), presentation="1.5"))
    assert response.status_code == 200
    assert response.context["form"].errors["presentation"] == [
        "Select a valid choice. 1.5 is not one of the available choices."
    ]
    assert StudentGrade.objects.count() == 0


def test_after_release_the_page_asks_for_a_reason(client, world):
    even, _ = world.students
    grades_release(seminar=world.seminar, by=world.organizer)
    client.force_login(world.supervisor)
    shown = client.get(page_url(even))
    response = client.post(page_url(even), filled(shown, presentation="2.0"))
    assert response.context["form"].errors["reason"] == [
        "The grades are released: say why you change them (the student is told)."
    ]
    response = client.post(page_url(even), filled(shown, presentation="2.0", reason="Typo."))
    assert response.status_code == 302
    assert StudentGrade.objects.get(registration=even).presentation == "2.0"


def test_team_result_is_read_only_for_a_supervisor_who_does_not_grade_the_mate(client):
    world, first, second = team_world(mate_supervised_by_other=True)
    client.force_login(world.supervisor)
    response = client.get(page_url(first))
    team = next(
        k
        for k in response.context["form"].fields
        if k.startswith("team_") and k.endswith("_result")
    )
    assert response.context["form"].fields[team].disabled is True
    response = client.post(
        page_url(first), filled(response, **{team: "bonus", "project_result": "pass"})
    )
    assert response.status_code == 302
    grading = gradings_of(world.seminar, [first, second])
    assert (grading[first.pk].project.team_result, grading[first.pk].project.own_result) == (
        "",
        "pass",
    )
    assert grading[second.pk].project.effective is None


def test_history_link_is_for_organizers(client, world):
    even, _ = world.students
    client.force_login(world.supervisor)
    assert client.get(page_url(even)).context["history_url"] == ""
    client.force_login(world.organizer)
    url = client.get(page_url(even)).context["history_url"]
    grading_save(registration=even, values={"presentation": "1.3"}, by=world.supervisor)
    response = client.get(url)
    assert [e.action for e in response.context["cl"].result_list] == ["grades.changed"]


# --- The seminar's admin: release, exports, the scheme ---------------------------------------


def test_release_action_says_how_many_students_will_be_emailed(client, world):
    client.force_login(world.organizer)
    changelist = reverse("admin:seminar_seminar_changelist")
    selected = {"action": "grades_release", admin.helpers.ACTION_CHECKBOX_NAME: [world.seminar.pk]}
    response = client.post(changelist, selected)
    assert "2 participants will be e-mailed" in response.content.decode()
    assert GradingScheme.objects.get(seminar=world.seminar).released_at is None
    client.post(changelist, {**selected, "post": "yes"})
    assert GradingScheme.objects.get(seminar=world.seminar).released_at is not None


def test_scheme_is_fixed_once_grades_are_released(client, world):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:seminar_seminar_change", args=[world.seminar.pk])
    inline = next(
        f
        for f in client.get(change).context["inline_admin_formsets"]
        if f.opts.model is GradingScheme
    )
    assert inline.readonly_fields == []
    grades_release(seminar=world.seminar, by=world.organizer)
    inline = next(
        f
        for f in client.get(change).context["inline_admin_formsets"]
        if f.opts.model is GradingScheme
    )
    assert inline.readonly_fields == [
        "weight_presentation",
        "weight_reports",
        "weight_participation",
        "bonus_steps",
    ]


def test_sessions_and_criteria_with_grades_cannot_be_deleted(world):
    even, _ = world.students
    grade_completely(even, by=world.organizer, **{f"criterion_{world.criteria[0].pk}_met": True})
    session, criterion = world.sessions[1], world.criteria[0]  # no talks in session 2
    assert delete_refusal(session) == (
        f"Attendance of 1 participant is marked for {session}; a session with attendance "
        "cannot be deleted. Change its date, time or room instead."
    )
    for obj in (session, criterion):
        with pytest.raises(ValidationError):
            delete_through_service(obj)
    assert (Meeting.objects.filter(pk=session.pk).exists(), Attendance.objects.count()) == (True, 2)
    assert PresentationCriterion.objects.filter(pk=criterion.pk).exists()
