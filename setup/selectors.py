"""What the setup pages read: the steps, and the checklist of what is missing before
registration can open."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from grading.models import GradingScheme
from seminar.enums import MeetingKind, StaffKind
from seminar.models import ActivityEntry, Seminar

RULES_REVIEWED = "setup.rules"

STEPS = [
    ("basics", _("Basics")),
    ("dates", _("Dates")),
    ("staff", _("Staff")),
    ("topics", _("Topics")),
    ("rules", _("Rules")),
]


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: Promise
    done: bool
    step: str  # where to fix it


def setup_checklist(seminar: Seminar) -> list[ChecklistItem]:
    """Everything registration needs, in the order of the steps; each says where to fix it.
    A seminar not saved yet (the admin's add form asks) has none of its rows."""
    saved = seminar.pk is not None
    meetings = list(seminar.meetings.all()) if saved else []
    sessions = [m for m in meetings if m.kind == MeetingKind.SESSION]
    supervisors = seminar.staff.filter(kind=StaffKind.SUPERVISOR).count() if saved else 0
    topics = list(seminar.topics.all()) if saved else []
    scheme = GradingScheme.objects.filter(seminar=seminar).first() if saved else None
    weights_ok = scheme is not None and (
        scheme.weight_presentation + scheme.weight_reports + scheme.weight_participation == 100
    )
    reviewed = (
        saved and ActivityEntry.objects.filter(seminar=seminar, action=RULES_REVIEWED).exists()
    )
    return [
        ChecklistItem(
            "contact",
            _("a contact person and address"),
            bool(seminar.contact_name and seminar.contact_email),
            "basics",
        ),
        ChecklistItem("session", _("at least one session"), bool(sessions), "dates"),
        ChecklistItem(
            "preference_deadline",
            _("the preference deadline"),
            seminar.preference_deadline is not None,
            "dates",
        ),
        ChecklistItem(
            "registration_closes",
            _("the end of the registration window"),
            seminar.registration_closes_at is not None,
            "dates",
        ),
        ChecklistItem("supervisor", _("at least one supervisor"), supervisors > 0, "staff"),
        ChecklistItem("topic", _("at least one topic"), bool(topics), "topics"),
        ChecklistItem(
            "topic_supervisors",
            _("a supervisor for every topic"),
            bool(topics) and all(t.supervisor_id for t in topics),
            "topics",
        ),
        ChecklistItem("weights", _("grade weights that add up to 100 %"), weights_ok, "rules"),
        ChecklistItem(
            "rules_reviewed", _("deliverables and grading reviewed and saved"), reviewed, "rules"
        ),
    ]


def setup_gaps(seminar: Seminar) -> list[str]:
    """What registration still waits for, in words (empty: it may open)."""
    return [str(item.label) for item in setup_checklist(seminar) if not item.done]


def setup_is_complete(seminar: Seminar) -> bool:
    return all(item.done for item in setup_checklist(seminar))
