"""Every form of the site, fed with generated input: long strings, control characters, NUL bytes,
wrong types, missing fields, ids of other seminars and users, huge and negative numbers, any
script. No answer is a 500 (the test client raises the exception), and nothing is stored that
should not be: no NUL or other control character in a stored name or text, and nothing of a
seminar the request was not about changes.

`POSTS` lists every URL of the site that accepts a POST, who is meant to post it and its fields;
`GET_ONLY` the others. A new URL pattern fails `test_every_url_is_listed_as_post_or_get_only`
until it is added to one of them. Each example posts as a person drawn from every role (the
intended one most often), to the intended seminar or another one, and runs in a savepoint that
is rolled back afterwards, so examples do not see each other's writes.

Set FUZZ_RANDOM=1 to explore new examples instead of the fixed sequence.
"""

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.loader import CURRENT_SLUG, PUBLISHED_SLUG, demo_load
from grading.models import GradeSheetExport
from seminar.models import Meeting, Registration, Seminar, StaffRole, User
from seminar.tests.admin_pages import page_data
from seminar.tests.factories import RegistrationFactory, SeminarFactory, UserFactory
from seminar.tests.site_urls import site_patterns
from seminar.validators import unprintable
from setup.services import BASICS_FIELDS
from submissions.models import Deliverable, Extension, Submission, SubmissionFile, TeamInvitation
from submissions.tests.factories import pdf_bytes
from topics.models import AllocationRun, Assignment, SupplementaryMaterial, Topic
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

ALLOWED = {200, 302, 400, 403, 404, 409, 429}
EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ANONYMOUS, STUDENT, NEWCOMER, ORGANIZER, SUPERVISOR = (
    "anonymous",
    "student",
    "newcomer",
    "organizer",
    "supervisor",
)
ROLES = [ANONYMOUS, STUDENT, NEWCOMER, ORGANIZER, SUPERVISOR]
FILTERS = ["status", "q"]  # the organizer's list filters, sent along by each of its forms


@dataclass(frozen=True)
class Post:
    """A URL that accepts a POST: who is meant to post it, its fields, what its path holds."""

    name: str
    who: str
    fields: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()  # fields that carry ids
    path: dict[str, str] = field(default_factory=dict)  # URL argument -> "id" | "text" | choices
    files: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name, and the path's one fixed choice if it has one (a step of several)."""
        fixed = [
            kind for kind in self.path.values() if kind not in ("id", "text") and "|" not in kind
        ]
        return "/".join([self.name, *fixed])


def formset(prefix: str, fields: tuple[str, ...], rows: int = 2) -> tuple[str, ...]:
    """A formset's fields: its management form and `rows` forms."""
    management = (f"{prefix}-TOTAL_FORMS", f"{prefix}-INITIAL_FORMS")
    return management + tuple(f"{prefix}-{i}-{name}" for i in range(rows) for name in fields)


SETUP_BASICS = tuple(BASICS_FIELDS)
SETUP_SESSIONS = formset(
    "sessions", ("id", "date", "start_time", "room", "talk_slots", "slot_minutes", "DELETE")
)
SETUP_TOPICS = formset(
    "topics",
    ("id", "title", "year", "url", "supervisor", "mock_group", "session", "slot", "materials"),
)
SETUP_DELIVERABLES = tuple(
    f"{kind}-{name}"
    for kind in ("slide_draft", "reports", "project", "mock_presentation")
    for name in (
        "enabled",
        "due_rule",
        "due_days",
        "due_fixed_at",
        "count",
        "min_pages",
        "max_pages",
        "team_max",
        "spec_url",
    )
)
SETUP_WEIGHTS = tuple(
    f"grading-{name}"
    for name in ("weight_presentation", "weight_reports", "weight_participation", "bonus_steps")
)


POSTS = [
    # accounts
    Post(
        "signup",
        ANONYMOUS,
        (
            "full_name",
            "email",
            "matriculation_number",
            "degree_level",
            "programme",
            "password1",
            "password2",
        ),
    ),
    Post("login", ANONYMOUS, ("username", "password")),
    Post("logout", STUDENT),
    Post("language_set", ANONYMOUS, ("language", "next")),
    Post("language_set", STUDENT, ("language", "next")),
    Post("password_reset", ANONYMOUS, ("email",)),
    Post(
        "password_reset_confirm",
        ANONYMOUS,
        ("new_password1", "new_password2"),
        path={"uidb64": "text", "token": "text"},
    ),
    Post("password_change", STUDENT, ("old_password", "new_password1", "new_password2")),
    # seminar
    Post("seminar:register", NEWCOMER),
    Post("seminar:withdraw", STUDENT),
    Post("seminar:offer_accept", STUDENT),
    Post("seminar:offer_decline", STUDENT),
    Post("seminar:capacity_set", ORGANIZER, ("capacity", *FILTERS)),
    Post(
        "seminar:registration_toggle",
        ORGANIZER,
        tuple(FILTERS),
        path={"action": "open|close"},
    ),
    Post("seminar:carry_forward", ORGANIZER, ("term", "title", "dates", "shift_weeks")),
    Post("seminar:my_data", STUDENT, ("password",)),
    Post("seminar:my_data_download", STUDENT),
    Post(
        "seminar:participant_action",
        ORGANIZER,
        ("position", *FILTERS),
        path={"pk": "id", "action": "remove|promote|move"},
    ),
    # topics
    Post("topics:preferences", STUDENT, ("topics",), ids=("topics",)),
    Post("topics:late_choice", STUDENT, ("topic",), ids=("topic",)),
    Post("topics:preferences_open", ORGANIZER),
    Post("topics:allocation", ORGANIZER, ("seed",)),
    Post("topics:allocation_run", ORGANIZER, ("seed",), path={"run_id": "id"}),
    Post("topics:allocation_publish", ORGANIZER, path={"run_id": "id"}),
    Post("topics:assignment_change", ORGANIZER, ("topic",), ids=("topic",), path={"pk": "id"}),
    Post("topics:late_choice_hours", ORGANIZER, ("late_choice_hours",)),
    Post("topics:topic_list_import", ORGANIZER, ("confirm", "content"), files=("file",)),
    # submissions
    Post(
        "submissions:hand_in",
        STUDENT,
        ("number", "topic", "title", "repository_url"),
        ids=("topic",),
        path={"kind": "slide_draft|reports|project|mock_presentation"},
        files=("file",),
    ),
    Post("submissions:team_invite", STUDENT, ("email",)),
    Post(
        "submissions:team_invitation",
        STUDENT,
        path={"pk": "id", "action": "accept|decline|withdraw"},
    ),
    Post("submissions:team_leave", STUDENT),
    Post("submissions:calendar_reset", STUDENT),
    Post(
        "submissions:extension_add",
        ORGANIZER,
        ("registration", "deliverable", "whole_team", "day", "time", "reason"),
        ids=("registration", "deliverable"),
    ),
    Post("submissions:extension_revoke", ORGANIZER, path={"pk": "id"}),
    Post("submissions:uploads_purge", ORGANIZER, ("confirm",)),
    # grading
    Post("grading:release", ORGANIZER),
    Post("grading:sheet_pdf", ORGANIZER),
    # setup
    Post("setup:new", ORGANIZER, SETUP_BASICS),
    Post("setup:open", ORGANIZER, ("opens_at",)),
    Post("setup:staff_remove", ORGANIZER, path={"pk": "id"}),
    Post("setup:step", ORGANIZER, SETUP_BASICS, path={"step": "basics"}),
    Post(
        "setup:step",
        ORGANIZER,
        (
            "kickoff_date",
            "kickoff_time",
            "kickoff_room",
            "preference_deadline",
            "registration_closes_at",
            "capacity",
            *SETUP_SESSIONS,
        ),
        ids=SETUP_SESSIONS[2::7],
        path={"step": "dates"},
    ),
    Post(
        "setup:step",
        ORGANIZER,
        ("email", "full_name", "kind", "initials"),
        path={"step": "staff"},
    ),
    Post(
        "setup:step",
        ORGANIZER,
        ("add_material", "material-title", "material-url", "material-marker", *SETUP_TOPICS),
        ids=tuple(
            name
            for name in SETUP_TOPICS
            if name.endswith(("-id", "-supervisor", "-session", "-materials"))
        ),
        path={"step": "topics"},
    ),
    Post(
        "setup:step",
        ORGANIZER,
        (*SETUP_DELIVERABLES, *SETUP_WEIGHTS),
        path={"step": "rules"},
    ),
]

# Every other pattern answers GET (or HEAD) only.
GET_ONLY = {
    "healthz",
    "favicon.ico",
    "password_change_done",
    "password_reset_done",
    "password_reset_complete",
    "seminar:list",
    "seminar:mine",
    "seminar:detail",
    "seminar:dashboard",
    "seminar:organize",
    "seminar:participants_csv",
    "submissions:submission",
    "submissions:download",
    "submissions:calendar_feed",
    "submissions:matrix",
    "topics:topic_list_csv",
    "setup:overview",
    "grading:grades",
    "grading:sheet_csv",
    "grading:export",
    "grading:export_file",
}

# --- strategies -----------------------------------------------------------------------------

CONTROL = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\x7f"
NASTY_WORDS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "-1",
    "0",
    "-9223372036854775809",
    "9223372036854775808",
    "9" * 5000,  # above Python's 4300-digit limit for int()
    "1e400",
    "NaN",
    "inf",
    "3.5",
    "１２３４５６",  # full-width digits
    "٣٤٥٦٧",  # Arabic-Indic digits
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202eevil",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "x" * 70_000,
    "2024-02-30",
    "25:61",
    "user@example.org",
    "ALEX.KRAMER@example.org",
    "on",
    "true",
]
text = st.one_of(
    st.sampled_from(NASTY_WORDS),
    st.text(max_size=40),
    st.text(alphabet=CONTROL + "ab", max_size=12),
    st.integers().map(str),
    st.tuples(st.text(max_size=8), st.sampled_from(CONTROL)).map("".join),
)


def path_text() -> st.SearchStrategy[str]:
    """Anything a path segment can carry (no "/"), URL-quoted as a browser would send it."""
    words = st.sampled_from(["x", "0", "-1", "%00"])
    return st.one_of(words, st.text(min_size=1, max_size=20)).map(
        lambda value: quote(value, safe="") or "x"
    )


def value_of(ids: list[int], *, is_id: bool) -> st.SearchStrategy:
    single = st.one_of(st.sampled_from(ids).map(str), text) if is_id else text
    # Missing, one value, or several values for the same name.
    return st.one_of(st.none(), single, st.lists(single, min_size=2, max_size=4))


# --- the world ------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User | None]
    current: Seminar
    published: Seminar
    other: Seminar
    ids: list[int]  # ids of everything, this seminar's and every other's


@pytest.fixture
def world() -> World:
    demo_load(today=timezone.localdate())
    current = Seminar.objects.get(slug=CURRENT_SLUG)
    published = Seminar.objects.get(slug=PUBLISHED_SLUG)
    # Nobody of the demo holds a role in it, and nobody may register before it opens.
    other = SeminarFactory(registration_opens_at=timezone.now() + dt.timedelta(days=30))
    for _ in range(2):
        RegistrationFactory(seminar=other)
        TopicFactory(seminar=other)
    ids = set()
    for model in (
        Registration,
        Topic,
        AllocationRun,
        Assignment,
        Deliverable,
        Extension,
        Submission,
        SubmissionFile,
        TeamInvitation,
        GradeSheetExport,
        User,
        StaffRole,
        Meeting,
        SupplementaryMaterial,
    ):
        ids |= set(model.objects.values_list("pk", flat=True))
    users = {
        ANONYMOUS: None,
        STUDENT: User.objects.get(email="alex.kramer@example.org"),
        NEWCOMER: UserFactory(),
        ORGANIZER: User.objects.get(email="helena.brandt@example.org"),
        SUPERVISOR: User.objects.get(email="greta.gruber@example.org"),
    }
    return World(users, current, published, other, sorted(ids) + [0, 2**31, 2**63, 2**70])


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- invariants -----------------------------------------------------------------------------

_SEMINAR_PATHS = [
    "seminar",
    "registration__seminar",
    "run__seminar",
    "deliverable__seminar",
    "team__seminar",
    "submission__deliverable__seminar",
    "student_grade__registration__seminar",
]
APPS = ["seminar", "topics", "submissions", "grading", "reminders"]


def _seminar_path(model) -> str | None:
    names = {f.name for f in model._meta.get_fields()}
    for path in _SEMINAR_PATHS:
        if path.split("__")[0] in names:
            try:
                model.objects.filter(**{path: None}).query  # noqa: B018 (the lookup exists)
            except Exception:  # noqa: BLE001 (a path through a field of another name)
                continue
            return path
    return None


def _concrete_models():
    return [
        m
        for app in APPS
        for m in apps.get_app_config(app).get_models()
        if not m._meta.proxy and not m._meta.abstract
    ]


def seminar_state(seminar: Seminar) -> list:
    """Every row that belongs to the seminar, as values."""
    rows = [list(Seminar.objects.filter(pk=seminar.pk).values())]
    for model in _concrete_models():
        path = _seminar_path(model)
        if model is Seminar or path is None:
            continue
        rows.append(sorted(model.objects.filter(**{path: seminar}).values_list(), key=repr))
    return rows


_TEXT_FIELDS = None


def _text_fields() -> list[tuple[type[models.Model], str]]:
    global _TEXT_FIELDS
    if _TEXT_FIELDS is None:
        _TEXT_FIELDS = [
            (m, f.name)
            for m in _concrete_models() + [apps.get_model("mail", "OutgoingEmail")]
            for f in m._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
    return _TEXT_FIELDS


# Fields that hold one line of text a person typed, which pages, e-mail headers and CSV cells
# show: no control characters (line breaks included) and no direction overrides.
ONE_LINE = {
    ("seminar", "user"): ("full_name", "email", "programme", "matriculation_number"),
    ("seminar", "seminar"): (
        "title",
        "tag",
        "term",
        "language",
        "eligibility",
        "contact_name",
        "contact_email",
        "exam_registration_note",
    ),
    ("seminar", "staffrole"): ("listed_as", "initials"),
    ("seminar", "meeting"): ("room",),
    ("seminar", "presentationcriterion"): ("text",),
    ("topics", "topic"): ("title", "url"),
    ("topics", "supplementarymaterial"): ("title", "url", "marker"),
    ("submissions", "deliverable"): ("spec_url",),
    ("submissions", "submission"): ("title", "repository_url"),
    ("submissions", "submissionfile"): ("original_name",),
}


def stored_nul() -> list[str]:
    """Text fields with a NUL byte. PostgreSQL cannot store one (the request would fail), so
    this looks on SQLite only, which can."""
    if connection.vendor != "sqlite":
        return []
    found = []
    by_model: dict = {}
    for model, name in _text_fields():
        by_model.setdefault(model, []).append(name)
    for model, names in by_model.items():
        for row in model.objects.values_list(*names):
            found += [f"{model._meta.label}: {v!r}" for v in row if "\x00" in (v or "")]
    return found


def control_in_names() -> list[str]:
    found = []
    for (app, model), names in ONE_LINE.items():
        for row in apps.get_model(app, model).objects.values_list(*names):
            found += [value for value in row if unprintable(value or "")]
    return found


def run_rolled_back(example: Callable[[], None]) -> None:
    """Run one example in a savepoint that is rolled back afterwards, with an empty cache."""
    cache.clear()
    try:
        with transaction.atomic():
            example()
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    pass


# --- the fuzzing ----------------------------------------------------------------------------


def _path_arguments(post: Post, world: World) -> st.SearchStrategy[dict]:
    arguments = {}
    for name, kind in post.path.items():
        if kind == "id":
            arguments[name] = st.sampled_from(world.ids)
        elif kind == "text":
            arguments[name] = path_text()
        else:
            arguments[name] = st.one_of(st.sampled_from(kind.split("|")), path_text())
    if "slug" in _route_of(post.name):
        slugs = [world.current.slug, world.published.slug, world.other.slug, "no-such-seminar"]
        arguments["slug"] = st.sampled_from(slugs)
    return st.fixed_dictionaries(arguments)


def read_to_the_end(response) -> None:
    """Read a streamed answer (the data export) to its end, as a browser does: the test client
    then closes its file (closing it directly would also close the database connection)."""
    if response.streaming:
        b"".join(response.streaming_content)


def _start(response) -> bytes:
    return b"(streamed)" if response.streaming else response.content[:300]


def _route_of(name: str) -> str:
    return next(route for route, n in site_patterns().items() if n == name)


def _data(post: Post, world: World) -> st.SearchStrategy[dict]:
    values = {name: value_of(world.ids, is_id=name in post.ids) for name in post.fields}
    files = {
        name: st.one_of(
            st.none(),
            st.tuples(
                st.one_of(st.sampled_from(["draft.pdf", "a\x00.pdf", "../../etc/passwd"]), text),
                st.one_of(st.binary(max_size=200), st.just(pdf_bytes(1))),
            ),
        )
        for name in post.files
    }
    return st.fixed_dictionaries(values | files)


def _form_data(drawn: dict) -> dict:
    data = {}
    for name, value in drawn.items():
        if value is None:
            continue
        if isinstance(value, tuple):
            data[name] = SimpleUploadedFile(value[0] or "x", value[1])
        else:
            data[name] = value
    return data


@pytest.mark.parametrize("post", POSTS, ids=[p.label for p in POSTS])
def test_form_survives_any_input(post: Post, world: World):
    outside = world.other
    before_outside = seminar_state(outside)
    who = st.one_of(st.just(post.who), st.sampled_from(ROLES))

    @FUZZ
    @given(who=who, arguments=_path_arguments(post, world), drawn=_data(post, world))
    def example(who: str, arguments: dict, drawn: dict) -> None:
        def check() -> None:
            target = arguments.get("slug")
            published_before = seminar_state(world.published)
            response = client_of(world.users[who]).post(
                reverse(post.name, kwargs=arguments), _form_data(drawn)
            )
            read_to_the_end(response)
            assert response.status_code in ALLOWED, (response.status_code, _start(response))
            assert stored_nul() == []
            assert control_in_names() == []
            # Nothing changes in a seminar the request was not about; the demo's organizer and
            # people hold no role in `outside`, so even a request about it changes nothing.
            assert seminar_state(outside) == before_outside
            if target != world.published.slug:
                assert seminar_state(world.published) == published_before

        run_rolled_back(check)

    example()


def test_every_url_is_listed_as_post_or_get_only():
    posted = {post.name for post in POSTS}
    names = set(site_patterns().values())
    assert sorted(names - posted - GET_ONLY) == []  # a new URL: add it to POSTS or GET_ONLY
    assert sorted((posted | GET_ONLY) - names) == []  # a URL that is gone
    assert posted & GET_ONLY == set()


@pytest.mark.parametrize("post", POSTS, ids=[p.label for p in POSTS])
def test_form_survives_each_nasty_word_in_every_field(post: Post, world: World):
    """Each of the words above in every field at once (and three times in a field of ids),
    posted by the person the form is for: the rare words, systematically."""
    arguments = {
        name: world.ids[0] if kind == "id" else kind.split("|")[0] if kind != "text" else "x"
        for name, kind in post.path.items()
    }
    if "slug" in _route_of(post.name):
        arguments["slug"] = world.current.slug
    url = reverse(post.name, kwargs=arguments)
    before_outside = seminar_state(world.other)
    found = {}
    for word in NASTY_WORDS:

        def check(word=word) -> None:
            data = {name: [word] * 3 if name in post.ids else word for name in post.fields}
            data |= {name: SimpleUploadedFile(word or "x", b"%PDF-1.4") for name in post.files}
            response = client_of(world.users[post.who]).post(url, data)
            read_to_the_end(response)
            found[repr(word[:20])] = response.status_code in ALLOWED
            assert stored_nul() == []
            assert control_in_names() == []
            assert seminar_state(world.other) == before_outside

        run_rolled_back(check)
    assert found == dict.fromkeys(found, True)


VALID_SIGNUP = {
    "full_name": "Kim Example",
    "email": "kim@example.org",
    "matriculation_number": "7654321",
    "degree_level": "master",
    "programme": "Computer Science",
    "password1": "a long pass phrase 42",
    "password2": "a long pass phrase 42",
}


@pytest.mark.parametrize("name", ["full_name", "email", "programme", "matriculation_number"])
@pytest.mark.parametrize("word", ["a\x00b", "Kim\x1b[31m", "Kim\x07", "Kim\nExample", "Kim\u202e"])
def test_signup_refuses_control_characters(name: str, word: str, db):
    response = Client().post(reverse("signup"), VALID_SIGNUP | {name: word})
    assert (response.status_code, User.objects.filter(email="kim@example.org").count()) == (200, 0)


def test_signup_with_valid_data_creates_the_account(db):
    response = Client().post(reverse("signup"), VALID_SIGNUP)
    assert (response.status_code, User.objects.filter(email="kim@example.org").count()) == (302, 1)


# --- the organizer's admin forms ------------------------------------------------------------

ADMIN_FORMS = {
    "seminar change": lambda w: reverse("admin:seminar_seminar_change", args=[w.current.pk]),
    "seminar add": lambda w: reverse("admin:seminar_seminar_add"),
    "topic change": lambda w: reverse(
        "admin:topics_topic_change", args=[w.current.topics.order_by("pk").first().pk]
    ),
    "topic add": lambda w: reverse("admin:topics_topic_add"),
}


@pytest.mark.parametrize("form", ADMIN_FORMS)
def test_admin_form_of_organizers_survives_any_input(form: str, world: World):
    """The admin's page as shown, with some of its fields (ids of other seminars and people
    among the values) replaced by generated input, sent by the seminar's organizer."""
    url = ADMIN_FORMS[form](world)
    organizer = client_of(world.users[ORGANIZER])
    shown = organizer.get(url)
    assert shown.status_code == 200
    data = page_data(shown)
    main = [bound.html_name for bound in shown.context["adminform"].form]
    before_outside = seminar_state(world.other)
    values = st.one_of(text, st.sampled_from(world.ids).map(str))

    @FUZZ
    @given(changes=st.dictionaries(st.sampled_from(main), values, min_size=1, max_size=4))
    def example(changes: dict) -> None:
        def check() -> None:
            response = client_of(world.users[ORGANIZER]).post(url, data | changes)
            assert response.status_code in ALLOWED, (response.status_code, changes)
            assert stored_nul() == []
            assert control_in_names() == []
            assert seminar_state(world.other) == before_outside

        run_rolled_back(check)

    example()
