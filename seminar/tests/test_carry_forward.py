"""The next run of a seminar: every rule and topic comes along, no student does, dates move by
whole weeks at the same local time, and the old run stays exactly as it was."""

import datetime as dt
from unittest import mock

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from demo.loader import PUBLISHED_SLUG, demo_load
from grading.models import Attendance, GradeSheetExport, GradingScheme, StudentGrade
from mail.models import OutgoingEmail
from reminders.models import ReminderRule
from seminar.deadlines import LOCAL_ZONE, shifted_by_weeks
from seminar.enums import MeetingKind, StaffKind
from seminar.errors import Invalid, NotAllowed
from seminar.models import ActivityEntry, Registration, Seminar
from seminar.services.carry import (
    COPIED_FIELDS,
    SHIFTED_DATES,
    SHIFTED_MOMENTS,
    seminar_carry_forward,
)
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.slugs import slug_base, term_code
from seminar.tests.factories import SeminarFactory, StaffUserFactory
from submissions.enums import DeliverableKind, DueRule
from submissions.models import (
    CalendarFeed,
    Deliverable,
    Extension,
    FileRetention,
    MockPresentationMark,
    Submission,
    Team,
)
from topics.models import AllocationRun, Preference, SupplementaryMaterial, Topic, TopicSettings

pytestmark = pytest.mark.django_db

# --- Pure parts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "code"),
    [
        ("Winter 2026/27", "ws2026"),
        ("Wintersemester 2026/27", "ws2026"),
        ("WiSe 2026/27", "ws2026"),
        ("Summer 2027", "ss2027"),
        ("SoSe 2027", "ss2027"),
        ("Sommersemester 2027", "ss2027"),
        ("Block course 2027", "block-course-2027"),
    ],
)
def test_term_code_of_usual_terms(term, code):
    assert term_code(term) == code


@pytest.mark.parametrize(
    ("slug", "term", "base"),
    [
        ("deep-diffusion-ws2025", "Winter 2025/26", "deep-diffusion"),
        ("deep-diffusion-2023", "Winter 2022/23", "deep-diffusion"),
        ("deep-diffusion", "Winter 2022/23", "deep-diffusion"),
        ("deep-diffusion-block-course-2027", "Block course 2027", "deep-diffusion"),
    ],
)
def test_slug_base_drops_the_old_term(slug, term, base):
    assert slug_base(slug, term) == base


def test_shifted_by_weeks_keeps_local_time_across_the_change_of_clocks():
    october = dt.datetime(2026, 10, 12, 10, 0, tzinfo=LOCAL_ZONE)  # summer time, UTC+2
    november = shifted_by_weeks(october, 4)
    assert november.astimezone(LOCAL_ZONE).replace(tzinfo=None) == dt.datetime(2026, 11, 9, 10, 0)
    # Winter time (UTC+1): one real hour more than four weeks.
    assert november.astimezone(dt.UTC) - october.astimezone(dt.UTC) == dt.timedelta(
        weeks=4, hours=1
    )


def test_shifted_by_weeks_of_a_utc_moment_uses_the_local_calendar():
    late_evening = dt.datetime(2023, 3, 5, 22, 59, 59, 999999, tzinfo=dt.UTC)  # 23:59 CET
    shifted = shifted_by_weeks(late_evening, 4).astimezone(LOCAL_ZONE)
    assert (shifted.date(), shifted.time()) == (
        dt.date(2023, 4, 2),
        dt.time(23, 59, 59, 999999),
    )


# --- The service -----------------------------------------------------------------------------


@pytest.fixture
def source() -> Seminar:
    """The demo's 2023 run as it happened: participants, preferences, an allocation, hand-ins,
    grades and their release."""
    demo_load()
    return Seminar.objects.get(slug=PUBLISHED_SLUG)


def organizer_of(seminar: Seminar):
    return seminar.staff.filter(kind=StaffKind.ORGANIZER).first().user


def every_row() -> dict[tuple[str, object], dict]:
    """Every row of every table, by model and primary key."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for row in model._base_manager.values():
            rows[(model._meta.label, row[model._meta.pk.attname])] = row
    return rows


def local(moment: dt.datetime) -> tuple[dt.date, dt.time]:
    moment = moment.astimezone(LOCAL_ZONE)
    return moment.date(), moment.time()


def rules_of(seminar: Seminar) -> dict:
    """What a run is made of, without ids or dates: everything that must come along."""
    fields = [
        f.name
        for f in Seminar._meta.concrete_fields
        if f.name
        not in {
            "id",
            "slug",
            "term",
            "created_at",
            "registration_opens_at",
            "registration_closes_at",
            "preference_deadline",
            "preferences_opened_at",
            "exam_registration_date",
        }
    ]
    scheme = GradingScheme.objects.get(seminar=seminar)
    return {
        "seminar": {name: getattr(seminar, name) for name in fields},
        "meetings": sorted(
            (m.kind, m.start_time, m.room, m.talk_slots, m.slot_minutes)
            for m in seminar.meetings.all()
        ),
        "staff": sorted(
            (r.user_id, r.kind, r.listed_as, r.initials, r.max_students, r.position)
            for r in seminar.staff.all()
        ),
        "criteria": list(seminar.criteria.values_list("position", "text")),
        "materials": list(
            SupplementaryMaterial.objects.filter(seminar=seminar).values_list(
                "number", "title", "url", "marker"
            )
        ),
        "topics": sorted(
            (
                t.title,
                t.year,
                t.url,
                t.supervisor.user_id if t.supervisor else None,
                t.supervisor.kind if t.supervisor else None,
                t.mock_group,
                (t.session.kind, t.session.start_time, t.session.room) if t.session else None,
                t.slot,
                t.capacity,
                tuple(sorted(m.number for m in t.materials.all())),
            )
            for t in Topic.objects.filter(seminar=seminar).select_related("supervisor", "session")
        ),
        "topic_settings": TopicSettings.objects.get(seminar=seminar).late_choice_hours,
        "deliverables": sorted(
            Deliverable.objects.filter(seminar=seminar).values_list(
                "kind",
                "enabled",
                "due_rule",
                "due_days",
                "text",
                "count",
                "min_pages",
                "max_pages",
                "team_max",
                "spec_url",
            )
        ),
        "grading": (
            scheme.weight_presentation,
            scheme.weight_reports,
            scheme.weight_participation,
            scheme.bonus_steps,
        ),
        "retention_days": FileRetention.objects.get(seminar=seminar).retention_days,
        "reminders": sorted(
            ReminderRule.objects.filter(seminar=seminar).values_list(
                "kind", "hours_before", "day_at", "enabled"
            ),
            key=str,
        ),
    }


def test_carry_forward_keeps_every_rule_and_topic(source):
    # Settings changed from the defaults, so that copying (not defaults) is what is checked.
    GradingScheme.objects.filter(seminar=source).update(
        weight_presentation=60, weight_reports=30, weight_participation=10, bonus_steps=2
    )
    TopicSettings.objects.filter(seminar=source).update(late_choice_hours=24)
    ReminderRule.objects.filter(seminar=source, hours_before=24).update(enabled=False)
    Deliverable.objects.filter(seminar=source, kind=DeliverableKind.PROJECT).update(team_max=3)
    Topic.objects.filter(seminar=source).update(capacity=2)
    FileRetention.objects.filter(seminar=source).update(retention_days=730)

    target = seminar_carry_forward(
        source=source, term="Winter 2026/27", shift_weeks=4, actor=organizer_of(source)
    )

    assert rules_of(target) == rules_of(source)
    assert Topic.objects.filter(seminar=target).count() == 12
    assert SupplementaryMaterial.objects.filter(seminar=target).count() == 30
    assert target.term == "Winter 2026/27"
    assert target.preferences_opened_at is None
    # The copies point at the new run's own staff, sessions and materials.
    for topic in Topic.objects.filter(seminar=target).prefetch_related("materials"):
        assert topic.supervisor.seminar_id == target.pk
        assert topic.session.seminar_id == target.pk
        assert {m.seminar_id for m in topic.materials.all()} <= {target.pk}
    assert GradingScheme.objects.get(seminar=target).released_at is None
    assert FileRetention.objects.get(seminar=target).purged_at is None


def test_carry_forward_brings_no_student_data(source):
    assert Registration.objects.filter(seminar=source).count() == 12  # the old run had them
    assert Submission.objects.filter(deliverable__seminar=source).exists()
    assert StudentGrade.objects.filter(registration__seminar=source).exists()

    target = seminar_carry_forward(
        source=source, term="Winter 2026/27", shift_weeks=4, actor=organizer_of(source)
    )

    student_data = {
        "registrations": Registration.objects.filter(seminar=target),
        "preferences": Preference.objects.filter(topic__seminar=target),
        "allocation runs": AllocationRun.objects.filter(seminar=target),
        "submissions": Submission.objects.filter(deliverable__seminar=target),
        "teams": Team.objects.filter(seminar=target),
        "extensions": Extension.objects.filter(deliverable__seminar=target),
        "mock marks": MockPresentationMark.objects.filter(deliverable__seminar=target),
        "calendar feeds": CalendarFeed.objects.filter(registration__seminar=target),
        "grades": StudentGrade.objects.filter(registration__seminar=target),
        "attendance": Attendance.objects.filter(session__seminar=target),
        "grade sheets": GradeSheetExport.objects.filter(seminar=target),
        "e-mails": OutgoingEmail.objects.filter(seminar=target),
    }
    assert {name: rows.count() for name, rows in student_data.items()} == dict.fromkeys(
        student_data, 0
    )
    entries = ActivityEntry.objects.filter(seminar=target)
    assert [(e.action, e.actor, e.old) for e in entries] == [
        ("seminar.carried_forward", organizer_of(source), {"from": PUBLISHED_SLUG})
    ]


def test_carry_forward_shifts_every_date_to_the_same_local_time(source):
    """Four weeks move the March sessions past the change to summer time (26 March 2023)."""
    target = seminar_carry_forward(
        source=source, term="Summer 2023", shift_weeks=4, actor=organizer_of(source)
    )
    four_weeks = dt.timedelta(weeks=4)

    def meetings(seminar):
        return sorted((m.kind, m.date, m.start_time) for m in seminar.meetings.all())

    assert meetings(target) == [(k, d + four_weeks, t) for k, d, t in meetings(source)]
    assert meetings(target) == [
        (MeetingKind.KICKOFF, dt.date(2023, 2, 6), dt.time(14, 15)),
        (MeetingKind.SESSION, dt.date(2023, 4, 3), dt.time(9, 30)),
        (MeetingKind.SESSION, dt.date(2023, 4, 4), dt.time(9, 30)),
    ]
    for name in ("registration_opens_at", "registration_closes_at", "preference_deadline"):
        old_day, old_time = local(getattr(source, name))
        assert local(getattr(target, name)) == (old_day + four_weeks, old_time), name
    assert target.exam_registration_date == source.exam_registration_date + four_weeks

    old_mock = Deliverable.objects.get(seminar=source, kind=DeliverableKind.MOCK_PRESENTATION)
    new_mock = Deliverable.objects.get(seminar=target, kind=DeliverableKind.MOCK_PRESENTATION)
    assert new_mock.due_rule == DueRule.FIXED
    assert local(new_mock.due_fixed_at) == (dt.date(2023, 4, 2), dt.time(23, 59, 59, 999999))
    # 23:59 in winter time and 23:59 in summer time: one real hour less than four weeks.
    assert new_mock.due_fixed_at - old_mock.due_fixed_at == four_weeks - dt.timedelta(hours=1)
    new_sessions = target.meetings.filter(kind=MeetingKind.SESSION).order_by("date")
    assert [local(m.starts_at) for m in new_sessions] == [
        (dt.date(2023, 4, 3), dt.time(9, 30)),
        (dt.date(2023, 4, 4), dt.time(9, 30)),
    ]


def test_carry_forward_leaves_the_old_seminar_unchanged(source):
    before = every_row()

    target = seminar_carry_forward(
        source=source, term="Winter 2026/27", shift_weeks=190, actor=organizer_of(source)
    )

    after = every_row()
    assert {key: after.get(key) for key in before} == before  # nothing changed or deleted
    assert Seminar.objects.get(pk=source.pk).slug == PUBLISHED_SLUG
    new_seminars = {
        row["slug"]
        for key, row in after.items()
        if key not in before and key[0] == "seminar.Seminar"
    }
    assert new_seminars == {target.slug}


def test_carry_forward_slug_from_title_and_term_and_next_free(source):
    actor = organizer_of(source)
    first = seminar_carry_forward(source=source, term="Winter 2026/27", shift_weeks=0, actor=actor)
    second = seminar_carry_forward(source=source, term="Winter 2026/27", shift_weeks=0, actor=actor)
    renamed = seminar_carry_forward(
        source=first,
        term="Summer 2027",
        title="Diffusion Models Reloaded",
        shift_weeks=0,
        actor=actor,
    )
    assert (first.slug, second.slug, renamed.slug) == (
        "deep-diffusion-ws2026",
        "deep-diffusion-ws2026-2",
        "diffusion-models-reloaded-ss2027",
    )
    assert renamed.title == "Diffusion Models Reloaded"
    assert first.title == source.title


def test_carry_forward_with_dates_entered_later(source):
    target = seminar_carry_forward(
        source=source, term="Winter 2026/27", shift_weeks=None, actor=organizer_of(source)
    )
    assert (
        target.registration_opens_at,
        target.registration_closes_at,
        target.preference_deadline,
        target.exam_registration_date,
    ) == (None, None, None, None)
    assert target.meetings.count() == 0
    topics = Topic.objects.filter(seminar=target)
    assert topics.count() == 12
    assert set(topics.values_list("session", "slot")) == {(None, None)}


def test_carry_forward_refuses_dates_beyond_the_calendar(source):
    actor = organizer_of(source)
    with pytest.raises(Invalid):
        seminar_carry_forward(source=source, term="Winter 2026/27", shift_weeks=521, actor=actor)
    source.meetings.filter(kind=MeetingKind.KICKOFF).update(date=dt.date(2099, 3, 6))
    with pytest.raises(Invalid) as refused:
        seminar_carry_forward(source=source, term="Winter 2100/01", shift_weeks=100, actor=actor)
    assert "2101" in refused.value.message
    assert Seminar.objects.count() == 1


def test_carry_forward_is_one_transaction(source):
    with (
        mock.patch("topics.receivers.topics_carry_forward", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        seminar_carry_forward(
            source=source, term="Winter 2026/27", shift_weeks=4, actor=organizer_of(source)
        )
    assert list(Seminar.objects.values_list("slug", flat=True)) == [PUBLISHED_SLUG]


# --- Who may ---------------------------------------------------------------------------------


@pytest.fixture
def two_seminars():
    staff_groups_ensure()
    this, other = SeminarFactory(slug="this", term="Summer 2026"), SeminarFactory(slug="other")
    people = {"organizer": StaffUserFactory(), "other": StaffUserFactory()}
    people["supervisor"] = StaffUserFactory()
    staff_role_add(seminar=this, user=people["organizer"], kind=StaffKind.ORGANIZER)
    staff_role_add(seminar=other, user=people["other"], kind=StaffKind.ORGANIZER)
    staff_role_add(seminar=this, user=people["supervisor"], kind=StaffKind.SUPERVISOR)
    return this, people


FORM = {"term": "Summer 2027", "title": "", "dates": "shift", "shift_weeks": "52"}


def test_organizer_starts_the_next_run_from_the_organizer_page(client, two_seminars):
    this, people = two_seminars
    client.force_login(people["organizer"])
    page = client.get(reverse("seminar:organize", args=[this.slug]))
    assert reverse("seminar:carry_forward", args=[this.slug]).encode() in page.content

    response = client.post(reverse("seminar:carry_forward", args=[this.slug]), FORM)

    target = Seminar.objects.get(term="Summer 2027")
    assert (response.status_code, response.url) == (302, f"/{target.slug}/organize/")
    assert target.slug == "this-ss2027"
    assert client.get(response.url).status_code == 200
    assert Seminar.objects.get(pk=this.pk).slug == "this"


def test_carry_forward_form_errors_change_nothing(client, two_seminars):
    this, people = two_seminars
    client.force_login(people["organizer"])
    response = client.post(
        reverse("seminar:carry_forward", args=[this.slug]),
        {"term": "", "dates": "shift", "shift_weeks": ""},
    )
    assert response.status_code == 400
    assert Seminar.objects.count() == 2


@pytest.mark.parametrize("field", ["term", "title"])
@pytest.mark.parametrize("word", ["Summer\x1b[31m 2027", "Summer\n2027", "Summer \u202e2027"])
def test_carry_forward_form_refuses_control_characters(client, two_seminars, field, word):
    this, people = two_seminars
    client.force_login(people["organizer"])
    response = client.post(reverse("seminar:carry_forward", args=[this.slug]), FORM | {field: word})
    assert (response.status_code, Seminar.objects.count()) == (400, 2)


@pytest.mark.parametrize("field", ["term", "title"])
def test_carry_forward_refuses_control_characters(source, field):
    names = {"term": "Winter 2026/27", "title": "Diffusion"} | {field: "Diffusion\x07"}
    with pytest.raises(Invalid):
        seminar_carry_forward(source=source, **names, shift_weeks=52, actor=organizer_of(source))
    assert Seminar.objects.count() == 1


@pytest.mark.parametrize("who", ["other", "supervisor"])
def test_only_the_seminars_organizers_may_start_its_next_run(client, two_seminars, who):
    this, people = two_seminars
    client.force_login(people[who])
    url = reverse("seminar:carry_forward", args=[this.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, FORM).status_code == 404
    assert Seminar.objects.count() == 2


def test_visitor_is_sent_to_log_in(client, two_seminars):
    this, _ = two_seminars
    response = client.post(reverse("seminar:carry_forward", args=[this.slug]), FORM)
    assert response.status_code == 302
    assert Seminar.objects.count() == 2


def _admin_action(client, seminar, data=None):
    return client.post(
        reverse("admin:seminar_seminar_changelist"),
        {
            "action": "carry_forward",
            admin.helpers.ACTION_CHECKBOX_NAME: [seminar.pk],
            **(data or {}),
        },
    )


def test_admin_action_asks_then_starts_the_next_run(client, two_seminars):
    this, people = two_seminars
    client.force_login(people["organizer"])
    form = _admin_action(client, this)
    assert form.status_code == 200
    assert b'name="term"' in form.content
    assert Seminar.objects.count() == 2

    response = _admin_action(client, this, {**FORM, "apply": "yes"})

    target = Seminar.objects.get(term="Summer 2027")
    assert response.status_code == 302
    assert response.url == reverse("admin:seminar_seminar_change", args=[target.pk])
    assert ActivityEntry.objects.get(seminar=target).actor == people["organizer"]


@pytest.mark.parametrize("who", ["other", "supervisor"])
def test_admin_action_only_for_the_seminars_organizers(client, two_seminars, who):
    this, people = two_seminars
    client.force_login(people[who])
    _admin_action(client, this, {**FORM, "apply": "yes"})
    assert Seminar.objects.count() == 2


# --- Every model decided ---------------------------------------------------------------------

# Each model of the site's apps, and whether the next run copies it. A new model fails here until
# someone decides: a setting comes along (through its app's receiver), student data never.
DECIDED = {
    "seminar.Seminar": "copied: see COPIED_FIELDS and the dates",
    "seminar.Meeting": "copied, dates moved (or left out while dates come later)",
    "seminar.StaffRole": "copied",
    "seminar.PresentationCriterion": "copied",
    "seminar.User": "shared: not the seminar's",
    "seminar.Registration": "student data",
    "seminar.ActivityEntry": "history of the old run; one new entry",
    "mail.OutgoingEmail": "sent to the old run's people",
    "topics.SupplementaryMaterial": "copied",
    "topics.Topic": "copied, with its staff, session and materials mapped",
    "topics.TopicSettings": "copied",
    "topics.Preference": "student data",
    "topics.AllocationRun": "student data",
    "topics.Assignment": "student data",
    "submissions.Deliverable": "copied, a fixed moment moved",
    "submissions.Submission": "student data",
    "submissions.SubmissionFile": "student data",
    "submissions.Team": "student data",
    "submissions.TeamMembership": "student data",
    "submissions.TeamInvitation": "student data",
    "submissions.Extension": "student data",
    "submissions.MockPresentationMark": "student data",
    "submissions.CalendarFeed": "student data",
    "submissions.FileRetention": "copied: the retention period, not the purge",
    "grading.GradingScheme": "copied, not released",
    "grading.StudentGrade": "student data",
    "grading.CriterionMark": "student data",
    "grading.ReportGrade": "student data",
    "grading.ProjectGrade": "student data",
    "grading.Attendance": "student data",
    "grading.GradeSheetExport": "student data",
    "reminders.ReminderRule": "copied",
}
OWN_APPS = {"seminar", "mail", "topics", "submissions", "grading", "reminders"}


def test_every_model_is_decided_for_the_next_run():
    models = {
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in OWN_APPS and not m._meta.proxy
    }
    assert models == set(DECIDED)


def test_every_seminar_field_is_decided_for_the_next_run():
    new_or_state = {"id", "slug", "title", "term", "created_at", "preferences_opened_at"}
    decided = set(COPIED_FIELDS) | set(SHIFTED_MOMENTS) | set(SHIFTED_DATES) | new_or_state
    assert {f.name for f in Seminar._meta.concrete_fields} == decided


def test_carry_forward_takes_the_next_slug_when_one_is_taken_meanwhile(source):
    """Another copy saved the same slug between the check and the save."""
    SeminarFactory(slug="deep-diffusion-ws2026")
    with mock.patch(
        "seminar.services.carry.seminar_next_slug",
        side_effect=["deep-diffusion-ws2026", "deep-diffusion-ws2026-2"],
    ):
        target = seminar_carry_forward(
            source=source, term="Winter 2026/27", shift_weeks=0, actor=organizer_of(source)
        )
    assert target.slug == "deep-diffusion-ws2026-2"
    assert Topic.objects.filter(seminar=target).count() == 12


def test_carry_forward_service_refuses_anyone_but_the_organizers(two_seminars):
    this, people = two_seminars
    for who in ("other", "supervisor"):
        with pytest.raises(NotAllowed):
            seminar_carry_forward(source=this, term="Summer 2027", actor=people[who])
    assert Seminar.objects.count() == 2
