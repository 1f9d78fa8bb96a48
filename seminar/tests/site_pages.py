"""Every page of the site, as each kind of person reaches it, with the status it answers.

The accessibility test (every page through axe-core) and the Redis-down test (every page serves
without Redis) walk the same list. `test_site_pages.py` fails when a URL pattern, or an admin
list an organizer can open, is not in it.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from demo.loader import ADMIN_EMAIL, CURRENT_SLUG, PUBLISHED_SLUG, demo_load
from grading.enums import ExportStatus
from grading.models import GradeSheetExport
from seminar.enums import RegistrationStatus
from seminar.models import Registration, Seminar, User
from seminar.tests.factories import UserFactory
from submissions.models import Submission
from topics.models import AllocationRun, Topic

PROFESSOR = "helena.brandt@example.org"
SUPERVISOR = "greta.gruber@example.org"
PARTICIPANT = "alex.kramer@example.org"  # confirmed in both demo seminars, a topic in 2023

# URL patterns that are no page: files, feeds, redirects, and the POST-only actions (their
# answers are redirects to pages listed here, or the refusal page, which is listed).
NOT_PAGES = {
    "healthz",
    "favicon.ico",
    "logout",
    "language_set",  # the language switcher: a POST back to where it was
    "seminar:participants_csv",
    "submissions:calendar_feed",
    "submissions:download",
    "grading:sheet_csv",
    "grading:export_file",
    "seminar:register",
    "seminar:offer_accept",
    "seminar:offer_decline",
    "seminar:capacity_set",
    "seminar:registration_toggle",
    "topics:preferences_open",
    "topics:assignment_change",
    "topics:late_choice_hours",
    "submissions:team_invite",
    "submissions:team_invitation",
    "submissions:team_leave",
    "submissions:calendar_reset",
    "submissions:extension_add",
    "submissions:extension_revoke",
    "grading:sheet_pdf",
    "seminar:my_data_download",
    "setup:open",
    "setup:staff_remove",
    "submissions:uploads_purge",
    "topics:topic_list_csv",
}


@dataclass(frozen=True)
class Visit:
    """What one person sees: (path, expected status) pairs, as `viewer` (None: a visitor)."""

    label: str
    viewer: User | None
    pages: list[tuple[str, int]]


def _states(seminar: Seminar) -> dict[str, User]:
    """Students in every state of the seminar (its capacity lowered to the seats taken)."""
    seminar.capacity = 4
    seminar.preferences_opened_at = timezone.now()
    seminar.save()
    now = timezone.now()
    users = {}
    for status, extra in (
        (RegistrationStatus.CONFIRMED, {}),
        (RegistrationStatus.OFFERED, {"offer_expires_at": now + dt.timedelta(days=1)}),
        (RegistrationStatus.WAITING, {"queue_number": 1}),
        (RegistrationStatus.WITHDRAWN, {}),
    ):
        user = UserFactory()
        Registration.objects.create(
            seminar=seminar,
            student=user,
            status=status,
            joined_at=now,
            status_changed_at=now,
            **extra,
        )
        users[str(status)] = user
    users["none"] = UserFactory()
    return users


def admin_pages(published: Seminar) -> list[tuple[str, int]]:
    """The admin pages an organizer works with: every list they may open, the change pages of
    their seminar, its topics, students and work, and the add pages they may use."""
    topic = Topic.objects.filter(seminar=published).first()
    registration = Registration.objects.filter(
        seminar=published, status=RegistrationStatus.CONFIRMED, assignments__isnull=False
    ).first()
    submission = Submission.objects.filter(deliverable__seminar=published).first()
    lists = [
        "mail_outgoingemail",
        "seminar_activityentry",
        "seminar_user",
        "seminar_registration",
        "seminar_seminar",
        "topics_topic",
        "topics_supplementarymaterial",
        "topics_preference",
        "topics_allocationrun",
        "submissions_supervisedstudent",
        "submissions_submission",
        "submissions_extension",
        "submissions_team",
        "grading_gradedstudent",
        "reminders_reminderrule",
        "reminders_sentreminder",
    ]
    changes = [
        ("seminar_seminar", published.pk),
        ("topics_topic", topic.pk),
        ("seminar_registration", registration.pk),
        ("grading_gradedstudent", registration.pk),
        ("submissions_submission", submission.pk),
    ]
    adds = ["seminar_seminar", "topics_topic", "topics_supplementarymaterial"]
    return (
        [("/admin/", 200)]
        + [(reverse(f"admin:{name}_changelist"), 200) for name in lists]
        + [(reverse(f"admin:{name}_change", args=[pk]), 200) for name, pk in changes]
        + [(reverse(f"admin:{name}_add"), 200) for name in adds]
    )


def site_visits() -> list[Visit]:
    """Loads the demo (both seminars) and returns every page as each person sees it."""
    demo_load(today=timezone.localdate())
    current = Seminar.objects.get(slug=CURRENT_SLUG)
    published = Seminar.objects.get(slug=PUBLISHED_SLUG)
    users = _states(current)
    participant = User.objects.get(email=PARTICIPANT)
    professor = User.objects.get(email=PROFESSOR)
    cur, pub = f"/{current.slug}/", f"/{published.slug}/"
    confirmed = Registration.objects.get(
        seminar=current, student=users[RegistrationStatus.CONFIRMED]
    )
    run = AllocationRun.objects.filter(seminar=published).first()
    submission = Submission.objects.filter(
        deliverable__seminar=published, registration__student=participant
    ).first()
    export_running = GradeSheetExport.objects.create(
        seminar=published, students=3, status=ExportStatus.RUNNING, progress=40
    )
    export_failed = GradeSheetExport.objects.create(
        seminar=published, students=3, status=ExportStatus.FAILED, error="out of fonts"
    )
    reset_user = UserFactory()
    uid = urlsafe_base64_encode(force_bytes(reset_user.pk))
    token = default_token_generator.make_token(reset_user)

    visits = [
        Visit(
            "visitor",
            None,
            [
                ("/", 200),
                (cur, 200),
                (pub, 200),
                ("/accounts/login/", 200),
                ("/accounts/signup/", 200),
                ("/accounts/password_reset/", 200),
                ("/accounts/password_reset/done/", 200),
                (f"/accounts/reset/{uid}/{token}/", 200),  # redirected to the form
                ("/accounts/reset/done/", 200),
                ("/no-such-seminar/", 404),
            ],
        ),
        Visit(
            "participant",
            participant,
            [
                (pub, 200),
                (f"{pub}me/", 200),
                (cur, 200),
                (f"{cur}me/", 200),
                ("/me/", 200),
                (f"{cur}withdraw/", 200),
                (f"{pub}preferences/", 200),  # read-only after the deadline
                (f"{pub}hand-in/slide_draft/", 200),
                (f"{pub}hand-in/reports/", 200),
                (f"{pub}hand-in/project/", 200),
                (f"{pub}submissions/{submission.pk}/", 200),
                (f"{pub}topic/choose/", 302),  # not a late joiner: back to the dashboard
                ("/me/data/", 200),
                ("/organize/new/", 403),  # no permission to set up seminars
                (f"{cur}setup/", 404),  # not an organizer: as if there were no such seminar
                (f"{cur}setup/basics/", 404),
                (f"{cur}organize/next-run/", 404),
                (f"{cur}organize/topics/import/", 404),
                ("/accounts/password_change/", 200),
                ("/accounts/password_change/done/", 200),
            ],
        ),
        Visit(
            "organizer",
            professor,
            [
                (cur, 200),
                (f"{cur}organize/", 200),
                (f"{cur}organize/?status=waiting&q=x", 200),
                (f"{cur}organize/participants/{confirmed.pk}/remove/", 200),
                (f"{cur}organize/allocation/", 200),
                (f"{cur}organize/submissions/", 200),
                (f"{cur}organize/next-run/", 200),
                (f"{cur}organize/topics/import/", 200),
                ("/organize/new/", 200),
                (f"{cur}setup/", 200),
                (f"{cur}setup/basics/", 200),
                (f"{cur}setup/dates/", 200),
                (f"{cur}setup/staff/", 200),
                (f"{cur}setup/topics/", 200),
                (f"{cur}setup/rules/", 200),
                (f"{cur}setup/no-such-step/", 404),
                (f"{pub}organize/", 200),
                (f"{pub}organize/allocation/", 200),
                (f"{pub}organize/allocation/{run.pk}/", 200),
                (f"{pub}organize/allocation/{run.pk}/publish/", 200),
                (f"{pub}organize/submissions/", 200),
                (f"{pub}organize/grades/", 200),
                (f"{pub}organize/grades/release/", 200),
                (f"{pub}organize/grades/exports/{export_running.pk}/", 200),
                (f"{pub}organize/grades/exports/{export_failed.pk}/", 200),
                (f"{pub}organize/next-run/", 200),
                (f"{pub}organize/topics/import/", 200),
                (f"{pub}setup/", 200),
                (f"{pub}submissions/{submission.pk}/", 200),
                ("/me/", 200),
                ("/me/data/", 200),
                *admin_pages(published),
            ],
        ),
        Visit(
            "supervisor",
            User.objects.get(email=SUPERVISOR),
            [
                ("/admin/", 200),
                (reverse("admin:submissions_supervisedstudent_changelist"), 200),
                (reverse("admin:grading_gradedstudent_changelist"), 200),
                (f"{pub}submissions/{submission.pk}/", 200),
            ],
        ),
        Visit("site admin", User.objects.get(email=ADMIN_EMAIL), [("/admin/", 200)]),
    ]
    for state, user in users.items():
        pages = [(cur, 200), (f"{cur}me/", 200)]
        if state == RegistrationStatus.CONFIRMED:
            pages.append((f"{cur}preferences/", 200))
        if state == "none":
            pages.append(("/me/data/", 200))
        if state in ("none", RegistrationStatus.WITHDRAWN):
            pages.append((f"{cur}withdraw/", 409))  # the refusal page
            pages.append((f"{cur}topic/choose/", 409))
            pages.append((f"{cur}hand-in/reports/", 403))
        visits.append(Visit(f"student {state}", user, pages))
    return visits


def covered_names(visits: list[Visit]) -> set[str]:
    """The URL pattern names that the visits reach (the admin's as "admin:…")."""
    names = set()
    for visit in visits:
        for path, _status in visit.pages:
            try:
                match = resolve(path.split("?")[0].split("#")[0])
            except Exception:  # noqa: BLE001 (a path of no pattern: the 404 page)
                continue
            names.add(match.view_name)
    return names
