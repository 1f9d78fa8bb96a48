"""Who may do what in the admin: every registered model, every operation, every role.

The table below is the rule. The tests walk `admin.site._registry`, so a model or an action
that another app registers later fails here until it is added to the table.
"""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from grading.models import GradedStudent, GradingScheme
from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from reminders.models import ReminderRule, SentReminder
from seminar.admin_scoping import AdminGuardMixin, seminar_id_of, seminar_path_of
from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import ActivityEntry, Registration, Seminar, User
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffUserFactory,
    UserFactory,
)
from submissions.enums import DeliverableKind
from submissions.models import Deliverable, Extension, Submission, Team
from topics.models import AllocationRun, Assignment, Preference
from topics.tests.factories import MaterialFactory, TopicFactory

pytestmark = pytest.mark.django_db

SU, ORG, OTHER, SUP, STU = "superuser", "organizer", "other_organizer", "supervisor", "student"
ROLES = [SU, ORG, OTHER, SUP, STU]
STAFF_VIEW = {SU, ORG, SUP}
ORGANIZERS = {SU, ORG}
NOBODY: set[str] = set()

# model -> operation -> the roles that may do it to an object of "this" seminar.
# "list": sees it in the list; "view": opens its page; "change": may save its page;
# "add": opens the add page; "delete": deleting it works; actions: running it has its effect.
TABLE: dict[str, dict[str, set[str]]] = {
    "seminar.seminar": {
        "list": STAFF_VIEW,
        "view": STAFF_VIEW,
        "change": ORGANIZERS,
        "add": {SU, ORG, OTHER},
        "delete": NOBODY,  # students registered (see test_admin_deletes for an empty one)
        "open_registration": ORGANIZERS,
        "close_registration": ORGANIZERS,
        "carry_forward": ORGANIZERS,  # shows the form for the next run
        "delete_selected": NOBODY,
        "grades_release": ORGANIZERS,
        "grades_csv": ORGANIZERS,
        "grades_pdf": ORGANIZERS,
        "uploads_purge_action": ORGANIZERS,
    },
    "seminar.registration": {
        "list": STAFF_VIEW,
        "view": STAFF_VIEW,
        "change": ORGANIZERS,  # every field is read-only: changes are the actions
        "add": NOBODY,
        "delete": NOBODY,
        "promote": ORGANIZERS,
        "remove": ORGANIZERS,
        "export_csv": ORGANIZERS,
        "delete_selected": NOBODY,
    },
    "seminar.user": {
        "list": {SU, ORG},
        "view": {SU, ORG},
        "change": {SU},
        "add": {SU},
        "delete": NOBODY,  # registered: closed by "Active", never deleted
        "delete_selected": NOBODY,
    },
    "mail.outgoingemail": {
        "list": ORGANIZERS,  # the seminar's own mail
        "view": ORGANIZERS,
        "change": NOBODY,
        "add": NOBODY,
        "delete": NOBODY,
        "resend": ORGANIZERS,
        "delete_selected": NOBODY,
    },
    "seminar.activityentry": {
        "list": ORGANIZERS,
        "view": ORGANIZERS,
        "change": NOBODY,
        "add": NOBODY,
        "delete": NOBODY,
        "delete_selected": NOBODY,
    },
    "topics.topic": {
        "list": STAFF_VIEW,
        "view": STAFF_VIEW,
        "change": ORGANIZERS,
        "add": {SU, ORG, OTHER},
        "delete": ORGANIZERS,
        "delete_selected": ORGANIZERS,
    },
    "topics.supplementarymaterial": {
        "list": STAFF_VIEW,
        "view": STAFF_VIEW,
        "change": ORGANIZERS,
        "add": {SU, ORG, OTHER},
        "delete": ORGANIZERS,
        "delete_selected": ORGANIZERS,
    },
    "topics.preference": {
        "list": ORGANIZERS,
        "view": ORGANIZERS,
        "change": NOBODY,
        "add": NOBODY,
        "delete": NOBODY,
        "delete_selected": NOBODY,
    },
    "topics.allocationrun": {
        "list": ORGANIZERS,
        "view": ORGANIZERS,
        "change": ORGANIZERS,  # read-only fields; publishing is on the allocation page
        "add": NOBODY,
        "delete": ORGANIZERS,  # a draft; a published run stays (test_admin_deletes)
        "delete_selected": ORGANIZERS,
    },
    "submissions.submission": {
        "list": STAFF_VIEW,  # the supervisor of the student's topic, and organizers
        "view": STAFF_VIEW,
        "change": NOBODY,  # a submission's history is never edited
        "add": NOBODY,
        "delete": NOBODY,
        "delete_selected": NOBODY,
    },
    "submissions.extension": {
        "list": ORGANIZERS,
        "view": ORGANIZERS,
        "change": NOBODY,  # granted and revoked on the organizer's page, with a reason
        "add": NOBODY,
        "delete": NOBODY,
        "delete_selected": NOBODY,
    },
    "submissions.team": {
        "list": ORGANIZERS,
        "view": ORGANIZERS,
        "change": NOBODY,  # students form their teams themselves
        "add": NOBODY,
        "delete": NOBODY,
        "delete_selected": NOBODY,
    },
    "reminders.reminderrule": {
        "list": ORGANIZERS,
        "view": ORGANIZERS,
        "change": ORGANIZERS,
        "add": {SU, ORG, OTHER},
        "delete": ORGANIZERS,  # one that sent nothing; one that sent stays (reminders tests)
        "switch_off": ORGANIZERS,
        "delete_selected": ORGANIZERS,
    },
    "reminders.sentreminder": {
        "list": ORGANIZERS,  # the seminar's own reminders, read-only
        "view": ORGANIZERS,
        "change": NOBODY,
        "add": NOBODY,
        "delete": NOBODY,
        "delete_selected": NOBODY,
    },
    "grading.gradedstudent": {
        "list": STAFF_VIEW,  # the supervisor of the student's published topic, and organizers
        "view": STAFF_VIEW,
        "change": STAFF_VIEW,  # grading: through grading_save, which checks the same rule
        "add": NOBODY,
        "delete": NOBODY,
        "delete_selected": NOBODY,
    },
    # The beat schedule is the site's, not a seminar's: superusers only.
    **{
        f"django_celery_beat.{name}": {
            "list": {SU},
            "view": {SU},
            "change": {SU},
            "add": {SU},
            "delete": {SU},
            "delete_selected": {SU},
        }
        for name in [
            "periodictask",
            "intervalschedule",
            "crontabschedule",
            "solarschedule",
            "clockedschedule",
        ]
    },
    "auth.group": {
        "list": {SU},
        "view": {SU},
        "change": {SU},
        "add": {SU},
        "delete": {SU},  # not the two staff groups (test_admin_deletes)
        "delete_selected": {SU},
    },
}


@dataclass
class World:
    seminar: Seminar
    other: Seminar
    users: dict[str, User]
    objects: dict[str, object]


def build_world() -> World:
    staff_groups_ensure()
    seminar = SeminarFactory(
        title="This", capacity=5, registration_opens_at=timezone.now() + dt.timedelta(days=10)
    )
    other = SeminarFactory(title="Other")
    users = {
        SU: UserFactory(is_staff=True, is_superuser=True),
        ORG: StaffUserFactory(),
        OTHER: StaffUserFactory(),
        SUP: StaffUserFactory(),
    }
    staff_role_add(seminar=seminar, user=users[ORG], kind=StaffKind.ORGANIZER)
    staff_role_add(seminar=other, user=users[OTHER], kind=StaffKind.ORGANIZER)
    supervisor_role = staff_role_add(seminar=seminar, user=users[SUP], kind=StaffKind.SUPERVISOR)
    waiting = RegistrationFactory(seminar=seminar, status=RegistrationStatus.WAITING)
    participant = RegistrationFactory(seminar=seminar)
    users[STU] = participant.student
    session = MeetingFactory(seminar=seminar)
    topic = TopicFactory(seminar=seminar, supervisor=supervisor_role, session=session, slot=1)
    chosen = TopicFactory(seminar=seminar)
    material = MaterialFactory(seminar=seminar)
    preference = Preference.objects.create(registration=participant, topic=chosen)
    run = AllocationRun.objects.create(seminar=seminar, number=1, seed=7)
    Assignment.objects.create(run=run, registration=participant, topic=chosen, reason="allocation")
    email = OutgoingEmail.objects.create(
        key="k",
        to="a@example.org",
        subject="S",
        body_text="B",
        seminar=seminar,
        status=EmailStatus.FAILED,
        last_error="550 unknown recipient",
    )
    topic_run = AllocationRun.objects.create(
        seminar=seminar, number=2, seed=8, published_at=timezone.now()
    )
    held = TopicFactory(seminar=seminar, supervisor=supervisor_role)  # the student's own talk
    Assignment.objects.create(
        run=topic_run, registration=participant, topic=held, reason="allocation"
    )
    slides = Deliverable.objects.get(seminar=seminar, kind=DeliverableKind.SLIDE_DRAFT)
    submission = Submission.objects.create(deliverable=slides, registration=participant)
    extension = Extension.objects.create(
        deliverable=slides,
        registration=participant,
        due_at=timezone.now() + dt.timedelta(days=30),
        reason="ill",
    )
    team = Team.objects.create(seminar=seminar)
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    objects = {
        "reminders.reminderrule": ReminderRule.objects.filter(seminar=seminar).first(),
        "reminders.sentreminder": SentReminder.objects.create(
            key="reminder:0:0:2031-01-01T00:00:00+00:00",
            kind="reminder_preferences",
            to="a@example.org",
            subject="S",
            body_text="B",
            seminar=seminar,
        ),
        "django_celery_beat.periodictask": PeriodicTask.objects.get_or_create(
            name="reminders-scan",
            defaults={"task": "reminders.tasks.reminders_scan_task", "interval": every},
        )[0],
        "django_celery_beat.intervalschedule": every,
        "django_celery_beat.crontabschedule": CrontabSchedule.objects.create(minute="0", hour="4"),
        "django_celery_beat.solarschedule": SolarSchedule.objects.create(
            event="sunrise", latitude=49.25, longitude=7.04
        ),
        "django_celery_beat.clockedschedule": ClockedSchedule.objects.create(
            clocked_time=timezone.now()
        ),
        "submissions.submission": submission,
        "submissions.extension": extension,
        "submissions.team": team,
        "seminar.seminar": seminar,
        "seminar.registration": waiting,
        "seminar.user": waiting.student,
        "mail.outgoingemail": email,
        "seminar.activityentry": ActivityEntry.objects.filter(seminar=seminar).first(),
        "topics.topic": topic,
        "topics.supplementarymaterial": material,
        "topics.preference": preference,
        "topics.allocationrun": run,
        "auth.group": Group.objects.create(name="Exam office"),
        "grading.gradedstudent": GradedStudent.objects.get(pk=participant.pk),
    }
    return World(seminar=seminar, other=other, users=users, objects=objects)


def _effect_of_action(name: str, obj, response) -> bool:
    fresh = type(obj).objects.filter(pk=obj.pk).first()
    if name == "delete_selected":
        return fresh is None
    if name == "open_registration":
        return fresh.registration_opens_at <= timezone.now()
    if name == "close_registration":
        return fresh.registration_closes_at is not None
    if name == "carry_forward":
        return response.status_code == 200 and b'name="term"' in response.content
    if name == "promote":
        return fresh.status == RegistrationStatus.CONFIRMED
    if name == "remove":
        return fresh.status == RegistrationStatus.REMOVED
    if name == "resend":
        return fresh.status == EmailStatus.QUEUED
    if name == "switch_off":
        return fresh.enabled is False
    if name == "grades_release":
        return GradingScheme.objects.get(seminar=obj).released_at is not None
    if name in ("grades_csv", "grades_pdf"):
        kind = "text/csv" if name == "grades_csv" else "application/pdf"
        return response.get("Content-Type", "").startswith(kind)
    if name == "uploads_purge_action":
        # The seminar has not finished, so the service refuses and says why: it was reached.
        said = [str(m) for m in get_messages(response.wsgi_request)]
        return any("has not finished yet" in message for message in said)
    if name == "export_csv":
        return response.get("Content-Type", "").startswith("text/csv") and (
            obj.student.email in response.content.decode()
        )
    raise AssertionError(f"add the effect of the admin action {name!r} to _effect_of_action")


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def label_of(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


REGISTERED = sorted(admin.site._registry, key=label_of)


def outcomes(client, model, obj) -> dict[str, bool]:
    model_admin = admin.site._registry[model]
    base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    changelist = reverse(f"{base}_changelist")
    change = reverse(f"{base}_change", args=[obj.pk])
    result = {}

    response = client.get(changelist)
    shown = response.context["cl"].result_list if response.status_code == 200 else []
    result["list"] = obj.pk in [row.pk for row in shown]
    result["view"] = client.get(change).status_code == 200
    with rolled_back():
        response = client.post(change, {})
        result["change"] = response.status_code == 200 or (
            response.status_code == 302 and response.url == changelist
        )
    result["add"] = client.get(reverse(f"{base}_add")).status_code == 200
    with rolled_back():
        client.post(reverse(f"{base}_delete", args=[obj.pk]), {"post": "yes"})
        result["delete"] = not model.objects.filter(pk=obj.pk).exists()
    for _func, action, _description in model_admin._get_base_actions():
        with rolled_back():
            response = client.post(
                changelist,
                {"action": action, admin.helpers.ACTION_CHECKBOX_NAME: [obj.pk], "post": "yes"},
            )
            result[action] = _effect_of_action(action, obj, response)
    return result


# Admin pages that are no model list, with the module that tests who may see them.
CUSTOM_PAGES = {"submissions.supervisedstudent": "submissions/tests/test_admin.py"}
REGISTERED = [m for m in REGISTERED if label_of(m) not in CUSTOM_PAGES]


def test_every_registered_model_is_in_the_table():
    assert sorted(label_of(m) for m in REGISTERED if label_of(m) not in TABLE) == []


@pytest.mark.parametrize("model", REGISTERED, ids=label_of)
@pytest.mark.parametrize("role", ROLES)
def test_admin_access_matrix(client, model, role):
    label = label_of(model)
    assert label in TABLE, f"add {label} to the access table of this module"
    world = build_world()
    client.force_login(world.users[role])
    expected = {operation: role in roles for operation, roles in TABLE[label].items()}
    assert outcomes(client, model, world.objects[label]) == expected


@pytest.mark.parametrize("model", REGISTERED, ids=label_of)
def test_every_admin_keeps_the_guard(model):
    assert isinstance(admin.site._registry[model], AdminGuardMixin)


@pytest.mark.parametrize("model", REGISTERED, ids=label_of)
def test_every_action_declares_its_permission(model):
    undeclared = [
        name
        for func, name, _ in admin.site._registry[model]._get_base_actions()
        if not getattr(func, "allowed_permissions", None)
    ]
    assert undeclared == []


# --- Choices: every relation offers only the person's own seminars -------------------------


def _forms_of(model_admin, request, obj):
    """The forms a person may submit on an admin page: the page's own and its inlines'."""
    if obj is None and model_admin.has_add_permission(request):
        yield model_admin.get_form(request, None)()
    if obj is not None and model_admin.has_change_permission(request, obj):
        yield model_admin.get_form(request, obj, change=True)(instance=obj)
    if obj is not None and not model_admin.has_change_permission(request, obj):
        return
    for formset, inline in model_admin.get_formsets_with_inlines(request, obj):
        if inline.has_add_permission(request, obj) or inline.has_change_permission(request, obj):
            yield formset(instance=obj if obj is not None else model_admin.model()).empty_form


@pytest.mark.parametrize("model", REGISTERED, ids=label_of)
@pytest.mark.parametrize("role", [ORG, OTHER])
def test_every_relation_offers_only_own_seminars(model, role):
    world = build_world()
    user = world.users[role]
    own = world.seminar.pk if role == ORG else world.other.pk
    request = RequestFactory().get("/admin/")
    request.user = user
    model_admin = admin.site._registry[model]
    obj = world.objects[label_of(model)] if role == ORG else None
    offered = {}
    for form in _forms_of(model_admin, request, obj):
        for name, field in form.fields.items():
            # The pk of an inline row is the formset's own hidden key, checked against the
            # parent's rows (test_admin_scoping: a forged id changes nothing).
            if name == form._meta.model._meta.pk.name:
                continue
            if not isinstance(field, forms.ModelChoiceField):
                continue
            path = seminar_path_of(field.queryset.model)
            for choice in field.queryset:
                seminar_id = seminar_id_of(choice, path) if path is not None else None
                if seminar_id != own:
                    offered.setdefault(f"{type(form).__name__}.{name}", []).append(str(choice))
    assert offered == {}


# --- NUL bytes and forged selections: 400, never a database error ---------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=label_of)
@pytest.mark.parametrize("role", [SU, ORG])
def test_nul_in_admin_search_and_filters_is_refused(client, model, role):
    world = build_world()
    client.force_login(world.users[role])
    base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    url = reverse(f"{base}_changelist")
    response = client.get(url)
    if response.status_code == 403:
        return  # this person has no list here at all
    parameters = ["q", "o", "p", "\x00"]
    for spec in response.context["cl"].filter_specs:
        parameters.extend(spec.expected_parameters())
    statuses = {name: client.get(url, {name: "a\x00b"}).status_code for name in parameters}
    assert statuses == dict.fromkeys(parameters, 400)
    forged = {
        selected: client.post(
            url,
            {"action": "delete_selected", admin.helpers.ACTION_CHECKBOX_NAME: [selected]},
        ).status_code
        for selected in ["\x00", "not-a-number"]
    }
    assert forged == {"\x00": 400, "not-a-number": 400}


@pytest.mark.parametrize("model", REGISTERED, ids=label_of)
def test_nul_in_search_finds_nothing(rf, model):
    user = UserFactory(is_staff=True, is_superuser=True)
    request = rf.get("/admin/")
    request.user = user
    model_admin = admin.site._registry[model]
    queryset, _ = model_admin.get_search_results(
        request, model_admin.get_queryset(request), "a\x00b"
    )
    assert list(queryset) == []


def test_registration_export_neutralises_formulas(client):
    world = build_world()
    registration = Registration.objects.get(pk=world.objects["seminar.registration"].pk)
    User.objects.filter(pk=registration.student_id).update(full_name="=HYPERLINK(1)")
    client.force_login(world.users[ORG])
    response = client.post(
        reverse("admin:seminar_registration_changelist"),
        {"action": "export_csv", admin.helpers.ACTION_CHECKBOX_NAME: [registration.pk]},
    )
    assert response.content.decode().splitlines()[1].split(",")[1] == "'=HYPERLINK(1)"
