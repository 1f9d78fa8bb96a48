"""The setup pages' writes. Each step is saved on its own, through the lower apps' services
where they have one, and every step writes one activity-log entry with what it changed."""

import datetime as dt

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from grading.models import GradingScheme
from grading.services import grading_scheme_ensure
from seminar.enums import MeetingKind, StaffKind
from seminar.errors import Conflict, Invalid
from seminar.models import Meeting, Seminar, StaffRole, User
from seminar.services import registration as registration_services
from seminar.services.activity import activity_log
from seminar.services.email import seminar_email_queue
from seminar.services.locking import seminar_locked
from seminar.services.setup import seminar_setup, seminar_slug_make
from seminar.services.staff import staff_member_add
from seminar.validators import unprintable
from setup import selectors
from submissions.services.deliverables import deliverables_ensure
from topics.models import SupplementaryMaterial, Topic
from topics.services.deletes import session_delete_refusal, topic_delete, topic_delete_refusal

BASICS_FIELDS = [
    "title",
    "term",
    "tag",
    "language",
    "ects",
    "mode",
    "eligibility",
    "admits_bachelor",
    "admits_master",
    "admits_graduate",
    "contact_name",
    "contact_email",
    "overview",
    "requirements",
]
DATES_FIELDS = ["preference_deadline", "registration_closes_at", "capacity"]
MEETING_FIELDS = ["date", "start_time", "room", "talk_slots", "slot_minutes"]
TOPIC_FIELDS = ["title", "year", "url", "supervisor", "mock_group", "session", "slot"]
DELIVERABLE_FIELDS = [
    "enabled",
    "due_rule",
    "due_days",
    "due_fixed_at",
    "count",
    "min_pages",
    "max_pages",
    "team_max",
    "spec_url",
]
WEIGHT_FIELDS = ["weight_presentation", "weight_reports", "weight_participation", "bonus_steps"]


@transaction.atomic
def setup_seminar_create(*, creator: User, values: dict) -> Seminar:
    """A new seminar from the basics step: its slug from title and term, the creator organizes
    it, and every app adds its settings (shown on the rules step, to be reviewed)."""
    seminar = Seminar(
        **{name: values[name] for name in BASICS_FIELDS if name in values},
        slug=seminar_slug_make(title=values["title"], term=values.get("term", "")),
        # Registration stays shut until the checklist is complete and the organizer opens it.
        registration_opens_at=None,
    )
    seminar.full_clean()
    seminar.save()
    return seminar_setup(seminar=seminar, creator=creator)


def setup_basics_save(*, seminar: Seminar, values: dict) -> Seminar:
    with seminar_locked(seminar.pk) as seminar:
        old, new = _assign(seminar, values, BASICS_FIELDS)
        if new:
            seminar.full_clean()
            seminar.save(update_fields=list(new))
            activity_log(action="setup.basics", seminar=seminar, obj=seminar, old=old, new=new)
        return seminar


def setup_dates_save(
    *, seminar: Seminar, values: dict, kickoff: dict | None, sessions: list[dict]
) -> Seminar:
    """Save the dates step: the seminar's deadlines and capacity, the kick-off (None: none) and
    the sessions (each a dict of MEETING_FIELDS, with `meeting` for an existing one and
    `delete` to drop it). A refusal changes nothing."""
    with seminar_locked(seminar.pk) as seminar:
        return _dates_save(seminar, values, kickoff, sessions)


def _dates_save(seminar: Seminar, values: dict, kickoff: dict | None, sessions: list[dict]):
    values = dict(values)
    capacity = values.pop("capacity", seminar.capacity)
    window_before = {
        "old_opens": seminar.registration_opens_at,
        "old_closes": seminar.registration_closes_at,
    }
    old, new = _assign(seminar, values, DATES_FIELDS)
    opens, closes = seminar.registration_opens_at, seminar.registration_closes_at
    if opens and closes and closes <= opens:
        raise Invalid(_("Registration must close after it opens."))
    if new:
        seminar.full_clean()
        seminar.save(update_fields=list(new))
    changes = {"seminar": new} if new else {}

    existing = seminar.meetings.filter(kind=MeetingKind.KICKOFF).first()
    if kickoff is None and existing is not None:
        existing.delete()
        changes["kickoff"] = None
    elif kickoff is not None:
        meeting = existing or Meeting(seminar=seminar, kind=MeetingKind.KICKOFF)
        if _meeting_set(meeting, kickoff):
            changes["kickoff"] = str(meeting)

    for row in sessions:
        meeting = row.get("meeting")
        if row.get("delete"):
            if meeting is not None:
                refusal = session_delete_refusal(meeting)
                if refusal:
                    raise Conflict(refusal)
                changes.setdefault("sessions_removed", []).append(str(meeting))
                meeting.delete()
            continue
        meeting = meeting or Meeting(seminar=seminar, kind=MeetingKind.SESSION)
        if _meeting_set(meeting, row):
            changes.setdefault("sessions", []).append(str(meeting))
    # A later end can open registration again (or keep it open longer): with the sessions as
    # saved above, the checklist must be complete for that; the refusal undoes the whole step.
    registration_services.registration_window_check(seminar, **window_before)
    if capacity != seminar.capacity:
        # The seats' own service: never below the seats taken, and freed seats are offered.
        registration_services.seminar_capacity_set(seminar=seminar, capacity=capacity)
        seminar.refresh_from_db()
    if changes:
        activity_log(action="setup.dates", seminar=seminar, obj=seminar, old=old, new=changes)
    return seminar


@transaction.atomic
def setup_staff_invite(
    *, seminar: Seminar, email: str, kind: str, full_name: str = "", initials: str = ""
) -> StaffRole:
    """Give the person with this address a role (an unknown address gets an account) and
    e-mail them: who has no password yet gets a link to set one, everyone the way in."""
    if unprintable(full_name) or unprintable(initials):
        raise Invalid(_("Use one line of ordinary text, without control characters."))
    role = staff_member_add(
        seminar=seminar, email=email, kind=kind, full_name=full_name, initials=initials
    )
    user = role.user
    context = {"role": role, "person": user, "kind": role.get_kind_display()}
    if not user.has_usable_password():
        context["set_password_path"] = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    seminar_email_queue(
        seminar=seminar,
        key=f"staff-invitation-{role.pk}",
        to=user.email,
        template="staff_invitation",
        context=context,
    )
    return role


@transaction.atomic
def setup_material_add(*, seminar: Seminar, title: str, url: str = "", marker: str = ""):
    """Add an entry to the end of the seminar's numbered supplementary list."""
    if unprintable(title) or unprintable(url) or unprintable(marker):
        raise Invalid(_("Use one line of ordinary text, without control characters."))
    last = seminar.materials.order_by("-number").values_list("number", flat=True).first() or 0
    material = SupplementaryMaterial.objects.create(
        seminar=seminar, number=last + 1, title=title, url=url, marker=marker
    )
    activity_log(action="setup.material_added", seminar=seminar, obj=material, new={"title": title})
    return material


@transaction.atomic
def setup_topics_save(*, seminar: Seminar, rows: list[dict]) -> list[Topic]:
    """Save the topics step: each row a dict of TOPIC_FIELDS and `materials`, with `topic` for
    an existing one and `delete` to drop it (refused for a topic someone chose or holds)."""
    saved = []
    for row in rows:
        topic = row.get("topic")
        if row.get("delete"):
            if topic is not None:
                refusal = topic_delete_refusal(topic)
                if refusal:
                    raise Conflict(refusal)
                topic_delete(topic=topic)
            continue
        topic = topic or Topic(seminar=seminar)
        _check_own(seminar, row)
        created = topic.pk is None
        old, new = _assign(topic, row, TOPIC_FIELDS)
        if new or created:
            topic.full_clean(validate_unique=False)
            topic.save()
        materials = row.get("materials")
        if materials is not None and set(topic.materials.all()) != set(materials):
            topic.materials.set(materials)
            new["materials"] = [str(m.label) for m in materials]
        if new or created:
            activity_log(
                action="setup.topic_added" if created else "setup.topic_changed",
                seminar=seminar,
                obj=topic,
                old={} if created else old,
                new=new,
            )
        saved.append(topic)
    return saved


@transaction.atomic
def setup_rules_save(*, seminar: Seminar, deliverables: dict[str, dict], scheme: dict) -> None:
    """Save the rules step: each deliverable switched on or off with its numbers, and the grade
    weights (0 switches a component off; together 100) with the project bonus."""
    deliverables_ensure(seminar=seminar)
    grading = GradingScheme.objects.select_for_update().get(
        pk=grading_scheme_ensure(seminar=seminar).pk
    )
    changes = {}
    for deliverable in seminar.deliverables.all():
        values = deliverables.get(deliverable.kind)
        if values is None:
            continue
        old, new = _assign(deliverable, values, DELIVERABLE_FIELDS)
        if new:
            deliverable.full_clean()
            deliverable.save()
            changes[deliverable.kind] = new
    if grading.is_released:
        if any(getattr(grading, f) != scheme.get(f, getattr(grading, f)) for f in WEIGHT_FIELDS):
            raise Conflict(_("The grades are released; weights and bonus no longer change."))
    else:
        old, new = _assign(grading, scheme, WEIGHT_FIELDS)
        if new:
            grading.full_clean()
            grading.save()
            changes["grading"] = new
    # Logged even without a change: the checklist counts the rules as reviewed from then on.
    activity_log(action=selectors.RULES_REVIEWED, seminar=seminar, obj=seminar, new=changes)


def setup_registration_open(*, seminar: Seminar, opens_at: dt.datetime | None = None) -> Seminar:
    """Open registration now (or at `opens_at`), refused while the checklist has gaps."""
    if opens_at is None or opens_at <= timezone.now():
        return registration_services.registration_open_now(seminar=seminar)
    with seminar_locked(seminar.pk) as seminar:
        registration_services.registration_opening_check(seminar)
        closes = seminar.registration_closes_at
        if closes is not None and closes <= opens_at:
            raise Invalid(_("Registration must open before it closes (see the Dates step)."))
        old = {"opens_at": seminar.registration_opens_at}
        seminar.registration_opens_at = opens_at
        seminar.full_clean()
        seminar.save(update_fields=["registration_opens_at"])
        activity_log(
            action="registration.scheduled",
            seminar=seminar,
            obj=seminar,
            old=old,
            new={"opens_at": opens_at},
        )
    return seminar


def _check_own(seminar: Seminar, row: dict) -> None:
    """Only this seminar's supervisors, sessions and materials (a forged form is refused)."""
    supervisor, session = row.get("supervisor"), row.get("session")
    if supervisor is not None and (
        supervisor.seminar_id != seminar.pk or supervisor.kind != StaffKind.SUPERVISOR
    ):
        raise Invalid(_("Choose one of this seminar's supervisors."))
    if session is not None and (
        session.seminar_id != seminar.pk or session.kind != MeetingKind.SESSION
    ):
        raise Invalid(_("Choose one of this seminar's sessions."))
    if any(m.seminar_id != seminar.pk for m in row.get("materials") or []):
        raise Invalid(_("Choose entries of this seminar's supplementary list."))


def _meeting_set(meeting: Meeting, values: dict) -> bool:
    created = meeting.pk is None
    _, new = _assign(meeting, values, MEETING_FIELDS)
    if new or created:
        meeting.full_clean(validate_unique=False)
        meeting.save()
    return bool(new) or created


def _assign(obj, values: dict, fields: list[str]) -> tuple[dict, dict]:
    """Set the given fields on obj; return the old and new values of those that changed."""
    old, new = {}, {}
    for name in fields:
        if name not in values:
            continue
        value, current = values[name], getattr(obj, name)
        if value != current:
            old[name], new[name] = _loggable(current), _loggable(value)
            setattr(obj, name, value)
    return old, new


def _loggable(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value
