"""The demo data: the seed seminar with invented people, loaded once."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo import data
from demo.loader import CURRENT_SLUG, PUBLISHED_SLUG, demo_load, term_of, weeks_shift
from seminar.enums import MeetingKind
from seminar.models import Meeting, Registration, Seminar, User
from setup.selectors import setup_gaps
from topics.models import Assignment, SupplementaryMaterial, Topic

pytestmark = pytest.mark.django_db

# Names on the public seed page; the demo must not use any of them.
SEED_PAGE_PEOPLE = ["Verena", "Wolf", "Gerrit", "Großmann", "Michael", "Backenköhler"]


def counts() -> dict[str, int]:
    models = [Seminar, User, Meeting, Registration, Topic, SupplementaryMaterial, Assignment]
    return {m.__name__: m.objects.count() for m in models}


def run_seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_twice_changes_nothing():
    run_seed("--today")
    first = counts()
    run_seed("--today")
    assert counts() == first
    assert first["Seminar"] == 2
    assert first["Topic"] == 24
    assert first["SupplementaryMaterial"] == 60


def test_seed_demo_prints_logins():
    output = run_seed()
    assert "Demo logins (password for all: diffusion-demo):" in output
    assert "organizer (professor)    helena.brandt@example.org" in output
    assert User.objects.get(email="helena.brandt@example.org").check_password(data.PASSWORD)


def test_seed_demo_uses_no_name_of_the_seed_page():
    run_seed("--today")
    names = " ".join(User.objects.values_list("full_name", flat=True))
    names += " ".join(Seminar.objects.values_list("contact_name", flat=True))
    assert [n for n in SEED_PAGE_PEOPLE if n in names] == []


def test_published_seminar_keeps_2023_dates_and_the_seed_schedule():
    run_seed()
    seminar = Seminar.objects.get(slug=PUBLISHED_SLUG)
    sessions = seminar.meetings.filter(kind=MeetingKind.SESSION).values_list("date", flat=True)
    assert list(sessions) == [dt.date(2023, 3, 6), dt.date(2023, 3, 7)]
    first = Assignment.objects.get(registration__student__email="alex.kramer@example.org")
    assert first.topic.title == data.TOPICS[0][0]
    assert (first.topic.mock_group, first.topic.supervisor.initials) == (1, "GG")


def test_today_copy_starts_after_today_on_the_same_weekdays():
    today = dt.date(2026, 11, 28)
    shift = weeks_shift(today)
    kickoff = data.KICKOFF[0] + shift
    assert shift.days % 7 == 0
    assert kickoff >= today + dt.timedelta(days=14)
    assert kickoff - dt.timedelta(days=7) < today + dt.timedelta(days=14)
    assert kickoff.weekday() == 0  # a Monday, as in 2023


def test_today_copy_has_open_registration():
    run_seed("--today")
    seminar = Seminar.objects.get(slug=CURRENT_SLUG)
    assert seminar.registration_is_open(timezone.now()) is True
    assert seminar.meetings.get(kind=MeetingKind.KICKOFF).date > timezone.localdate()


@pytest.mark.parametrize(
    ("day", "term"),
    [
        (dt.date(2023, 1, 9), "Winter 2022/23"),
        (dt.date(2026, 12, 14), "Winter 2026/27"),
        (dt.date(2027, 5, 3), "Summer 2027"),
    ],
)
def test_term_of_day(day, term):
    assert term_of(day) == term


def test_the_2023_seminar_has_its_semester_graded_and_released():
    from grading.selectors import gradings_of
    from submissions.models import SubmissionFile

    run_seed()
    seminar = Seminar.objects.get(slug=PUBLISHED_SLUG)
    registrations = list(Registration.objects.filter(seminar=seminar))
    results = [g.result for g in gradings_of(seminar, registrations).values()]
    assert sorted(str(r.state) for r in results) == ["complete"] * 11 + ["failed"]
    assert seminar.grading_scheme.released_at is not None
    # 12 slide drafts, 36 reports, 6 team projects, every file in the private storage
    files = SubmissionFile.objects.filter(submission__deliverable__seminar=seminar)
    assert files.count() == 54
    storage = submissions_storage()
    assert all(storage.exists(f.stored_name) for f in files)


def submissions_storage():
    from submissions.storage import submission_storage

    return submission_storage()


def test_demo_professor_may_create_seminars_and_students_may_not():
    demo_load(today=dt.date(2026, 11, 29))
    professor = User.objects.get(email=data.PROFESSOR[0])
    student = User.objects.get(email=f"{data.STUDENTS[0][0]}@example.org")
    assert (
        professor.has_perm("seminar.create_seminar"),
        student.has_perm("seminar.create_seminar"),
    ) == (True, False)


def test_demo_seminars_have_nothing_missing_before_registration_opens():
    demo_load(today=dt.date(2026, 11, 29))
    gaps = {s.slug: setup_gaps(s) for s in Seminar.objects.order_by("slug")}
    assert gaps == {CURRENT_SLUG: [], PUBLISHED_SLUG: []}
