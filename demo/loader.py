"""Loads the demo seminars. Creates only what is missing: running it twice changes nothing."""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from demo import data
from demo.history import history_load
from seminar.deadlines import LOCAL_ZONE, end_of_day
from seminar.enums import MeetingKind, RegistrationStatus, StaffKind
from seminar.models import Meeting, PresentationCriterion, Registration, Seminar, User
from seminar.services.activity import activity_log
from seminar.services.setup import seminar_setup
from seminar.services.staff import staff_groups_ensure, staff_role_add
from setup.selectors import RULES_REVIEWED
from submissions.enums import DeliverableKind, DueRule
from topics.enums import AssignmentReason
from topics.models import AllocationRun, Assignment, Preference, SupplementaryMaterial, Topic

PUBLISHED_SLUG = "deep-diffusion-2023"
CURRENT_SLUG = "deep-diffusion"
ADMIN_EMAIL = "admin@example.org"


@dataclass(frozen=True)
class Login:
    role: str
    email: str


def demo_load(*, today: dt.date | None = None) -> list[Login]:
    """Load the 2023 seminar as published; with `today`, also a copy that starts after it."""
    staff_groups_ensure()
    with transaction.atomic():
        _superuser()
        people = _people()
        # The professor may also set up new seminars (the setup pages), as a real one would.
        people[data.PROFESSOR[0]].user_permissions.add(
            Permission.objects.get(codename="create_seminar", content_type__app_label="seminar")
        )
        if not Seminar.objects.filter(slug=PUBLISHED_SLUG).exists():
            _published_seminar(people)
        if today is not None and not Seminar.objects.filter(slug=CURRENT_SLUG).exists():
            _current_seminar(people, today)
    return [
        Login("site admin", ADMIN_EMAIL),
        Login("organizer (professor)", data.PROFESSOR[0]),
        *(Login(f"supervisor {s[3]}", s[0]) for s in data.SUPERVISORS),
        *(Login("student", f"{s[0]}@example.org") for s in data.STUDENTS[:3]),
    ]


def weeks_shift(today: dt.date) -> dt.timedelta:
    """Whole weeks (weekdays stay) that move the kick-off to at least two weeks after today."""
    kickoff = data.KICKOFF[0]
    days = (today + dt.timedelta(days=14) - kickoff).days
    return dt.timedelta(weeks=max(0, -(-days // 7)))


def term_of(day: dt.date) -> str:
    """The German academic term a day falls in: winter October-March, summer April-September."""
    if day.month >= 10:
        return f"Winter {day.year}/{(day.year + 1) % 100:02d}"
    if day.month <= 3:
        return f"Winter {day.year - 1}/{day.year % 100:02d}"
    return f"Summer {day.year}"


def _superuser() -> None:
    if not User.objects.filter(email=ADMIN_EMAIL).exists():
        User.objects.create_superuser(ADMIN_EMAIL, data.PASSWORD, full_name="Site Admin")


def _people() -> dict[str, User]:
    people = {}
    for email, name, _, _ in [data.PROFESSOR, *data.SUPERVISORS]:
        people[email] = _user(email, full_name=name, is_staff=True)
    for local, name, number, level, programme in data.STUDENTS:
        email = f"{local}@example.org"
        people[email] = _user(
            email,
            full_name=name,
            matriculation_number=number,
            degree_level=level,
            programme=programme,
        )
    return people


def _user(email: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    return user or User.objects.create_user(email, data.PASSWORD, **fields)


def _seminar(slug: str, term: str, shift: dt.timedelta, people: dict[str, User]) -> Seminar:
    def local(moment: dt.datetime) -> dt.datetime:
        return (moment + shift).replace(tzinfo=LOCAL_ZONE)

    seminar = Seminar.objects.create(
        title=data.TITLE,
        slug=slug,
        tag=data.TAG,
        term=term,
        overview=data.OVERVIEW,
        background=data.BACKGROUND,
        language="English",
        ects=7,
        eligibility=data.ELIGIBILITY,
        contact_name=data.SUPERVISORS[0][1],
        contact_email=data.SUPERVISORS[0][0],
        capacity=12,
        registration_opens_at=local(data.REGISTRATION_OPENS),
        registration_closes_at=local(data.REGISTRATION_CLOSES),
        preference_deadline=end_of_day(data.PREFERENCE_DEADLINE + shift),
        exam_registration_date=data.EXAM_REGISTRATION + shift,
        requirements=data.REQUIREMENTS,
        presentation_text=data.PRESENTATION,
        discussions_text=data.DISCUSSIONS,
    )
    seminar_setup(seminar=seminar)
    _deliverables(seminar, shift)
    staff_role_add(
        seminar=seminar,
        user=people[data.PROFESSOR[0]],
        kind=StaffKind.ORGANIZER,
        initials=data.PROFESSOR[3],
        listed_as=data.PROFESSOR[2],
    )
    for email, _, listed_as, initials in data.SUPERVISORS:
        staff_role_add(
            seminar=seminar,
            user=people[email],
            kind=StaffKind.SUPERVISOR,
            initials=initials,
            listed_as=listed_as,
        )
    day, time, room = data.KICKOFF
    Meeting.objects.create(
        seminar=seminar,
        kind=MeetingKind.KICKOFF,
        date=day + shift,
        start_time=time,
        room=room,
        talk_slots=0,
    )
    sessions = [
        Meeting.objects.create(
            seminar=seminar,
            kind=MeetingKind.SESSION,
            date=day + shift,
            start_time=time,
            room=data.SESSION_ROOM,
        )
        for day, time in data.SESSIONS
    ]
    PresentationCriterion.objects.bulk_create(
        PresentationCriterion(seminar=seminar, position=i, text=text)
        for i, text in enumerate(data.CRITERIA)
    )
    materials = SupplementaryMaterial.objects.bulk_create(
        SupplementaryMaterial(seminar=seminar, number=i, title=title, url=url, marker=marker)
        for i, (title, url, marker) in enumerate(data.MATERIALS, start=1)
    )
    supervisors = {r.initials: r for r in seminar.staff.filter(kind=StaffKind.SUPERVISOR)}
    for title, year, arxiv, initials, group, session, slot, refs in data.TOPICS:
        topic = Topic.objects.create(
            seminar=seminar,
            title=title,
            year=year,
            url=data.ARXIV + arxiv,
            supervisor=supervisors[initials],
            mock_group=group,
            session=sessions[session],
            slot=slot,
        )
        topic.materials.set([materials[n - 1] for n in refs])
    return seminar


def _deliverables(seminar: Seminar, shift: dt.timedelta) -> None:
    """The seed's rules: the defaults, with the seed's texts and its fixed mock-talk date."""
    deliverables = {d.kind: d for d in seminar.deliverables.all()}
    mock = deliverables[DeliverableKind.MOCK_PRESENTATION]
    mock.due_rule, mock.due_fixed_at = DueRule.FIXED, end_of_day(data.MOCK_DUE + shift)
    mock.text = data.MOCK
    deliverables[DeliverableKind.REPORTS].text = data.REPORTS
    deliverables[DeliverableKind.PROJECT].spec_url = data.PROJECT_SPEC_URL
    for deliverable in deliverables.values():
        deliverable.save()
    # The organizer chose these rules: the setup checklist counts them as reviewed.
    activity_log(action=RULES_REVIEWED, seminar=seminar, obj=seminar, new={})


def _published_seminar(people: dict[str, User]) -> None:
    """2023 as it happened: twelve participants, topics published as on the seed page."""
    seminar = _seminar(PUBLISHED_SLUG, "Winter 2022/23", dt.timedelta(0), people)
    seminar.preferences_opened_at = end_of_day(data.KICKOFF[0])
    seminar.save(update_fields=["preferences_opened_at"])
    joined = seminar.registration_opens_at
    topics = list(Topic.objects.filter(seminar=seminar).order_by("session__date", "slot"))
    run = AllocationRun.objects.create(
        seminar=seminar, number=1, seed=2023, published_at=seminar.preference_deadline
    )
    # Dated as it happened, not as it was loaded.
    AllocationRun.objects.filter(pk=run.pk).update(created_at=seminar.preference_deadline)
    rng = random.Random(2023)
    for i, (local, *_rest) in enumerate(data.STUDENTS):
        registration = Registration.objects.create(
            seminar=seminar,
            student=people[f"{local}@example.org"],
            status=RegistrationStatus.CONFIRMED,
            joined_at=joined + dt.timedelta(hours=i),
            status_changed_at=joined + dt.timedelta(hours=i),
            confirmed_at=joined + dt.timedelta(hours=i),
        )
        others = rng.sample([t for t in topics if t != topics[i]], 2)
        Preference.objects.bulk_create(
            Preference(registration=registration, topic=t) for t in [topics[i], *others]
        )
        Assignment.objects.create(
            run=run, registration=registration, topic=topics[i], reason=AssignmentReason.ALLOCATION
        )
    history_load(seminar)


def _current_seminar(people: dict[str, User], today: dt.date) -> None:
    """A copy whose kick-off lies ahead: registration is open, three seats are taken."""
    shift = weeks_shift(today)
    kickoff = data.KICKOFF[0] + shift
    seminar = _seminar(CURRENT_SLUG, f"{term_of(kickoff)} (demo)", shift, people)
    now = timezone.now()
    seminar.registration_opens_at = now - dt.timedelta(days=1)
    seminar.save(update_fields=["registration_opens_at"])
    for i, (local, *_rest) in enumerate(data.STUDENTS[:3]):
        moment = now - dt.timedelta(hours=3 - i)
        Registration.objects.create(
            seminar=seminar,
            student=people[f"{local}@example.org"],
            status=RegistrationStatus.CONFIRMED,
            joined_at=moment,
            status_changed_at=moment,
            confirmed_at=moment,
        )
