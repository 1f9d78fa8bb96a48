"""The journey: one seminar from its setup to the final grade, in headless Chromium, against
PostgreSQL, with a real Celery worker behind Redis sending every e-mail.

Every step is done the way its person does it (the organizer and the supervisor in the admin
and on the organizer pages, the students on the site), asserts what that person sees, and
leaves a screenshot in `var/screenshots/journey/NN-step.png`.

The clock. The live server runs in a thread of this process, but the Celery worker is another
process: `time_machine` would move one clock and not the other, and the site has no clock
override. So the clock is never moved; instead, once the slide drafts are in, the organizer
moves the seminar's two sessions into the past in the admin (as one would correct a date), so
that the talks are over, the report deadline (14 days after the last session) lies 5 days
ahead and the reports reminder ("7 days before") is due for the worker's scan.
"""

import datetime as dt
import email
import re
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from email import policy
from io import BytesIO
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connections
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from config.celery import app as celery_app
from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from reminders.enums import ReminderKind
from reminders.models import ReminderRule
from reminders.tasks import reminders_scan_task
from seminar.enums import Group as GroupName
from seminar.models import Registration, Seminar
from seminar.services.staff import staff_groups_ensure
from seminar.tests import workers
from seminar.tests.factories import StaffUserFactory
from submissions.tests.factories import pdf_bytes, zip_bytes
from topics.models import Assignment

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "journey"
PASSWORD = "secret-password-1"  # the factories' (organizer, supervisor)
STUDENT_PASSWORD = "plum-orchard-47"
WAIT = 60  # seconds for the worker to deliver; the test waits for outcomes, not durations

SLUG = "deep-generative-diffusion-models"  # made from the title by the admin
TAG = "DeepDiffusion"
TITLE = "Deep Generative Diffusion Models"
ORGANIZER = ("Helena Brandt", "helena.brandt@example.org")
SUPERVISOR = ("Greta Gruber", "greta.gruber@example.org")
STUDENTS = [
    ("Anna Becker", "anna.becker@example.org"),
    ("Ben Okafor", "ben.okafor@example.org"),
    ("Clara Schmidt", "clara.schmidt@example.org"),
    ("David Novak", "david.novak@example.org"),
    ("Eva Lindqvist", "eva.lindqvist@example.org"),
    ("Farid Haddad", "farid.haddad@example.org"),
]
TOPICS = [  # title, year, session (1 or 2), slot, mock group
    ("Denoising Diffusion Probabilistic Models", 2020, 1, 1, 1),
    ("Score-Based Generative Modeling through SDEs", 2021, 1, 2, 1),
    ("High-Resolution Image Synthesis with Latent Diffusion", 2022, 2, 1, 2),
    ("Classifier-Free Diffusion Guidance", 2022, 2, 2, 2),
]
EXPLANATION = "0.50 × 1.3 + 0.35 × 2.0 + 0.15 × 1.7 = 1.605 → 1.7; project bonus → 1.3"


class Camera:
    """Numbered full-page screenshots: var/screenshots/journey/NN-step.png."""

    def __init__(self):
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
        SCREENSHOTS.mkdir(parents=True)
        self.count = 0

    def __call__(self, page, step: str) -> None:
        self.count += 1
        page.screenshot(path=SCREENSHOTS / f"{self.count:02d}-{step}.png", full_page=True)


def log_in(page, base: str, address: str, password: str = STUDENT_PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(address)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("current-user").count() == 1, page.url


def day(value: dt.date) -> str:
    return value.isoformat()


# --- the real worker ------------------------------------------------------------------------


def wait_for(condition, what: str) -> None:
    workers.wait_for(condition, what, seconds=WAIT, step=0.1)


def db(query):
    """Run an ORM query in a thread of its own. In this thread Playwright's event loop runs, and
    a connection opened here would belong to the loop's context and never be closed."""

    def run():
        try:
            return query()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def all_sent() -> bool:
    return db(lambda: not OutgoingEmail.objects.exclude(status=EmailStatus.SENT).exists())


def delivered(outbox_dir: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every e-mail the worker's file backend wrote."""
    found = []
    for path in sorted(outbox_dir.glob("*.log")):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                message = email.message_from_bytes(raw, policy=policy.default)
                found.append((str(message["To"]), str(message["Subject"])))
    return found


def to(outbox_dir: Path, address: str) -> list[str]:
    return [subject for recipient, subject in delivered(outbox_dir) if recipient == address]


# --- the steps ------------------------------------------------------------------------------


def organizer_sets_up_seminar(page, base: str, shot, *, today: dt.date) -> None:
    """The organizer creates the seminar in the admin: facts, capacity 4, the end of the
    registration window, the supervisor, two sessions, then the four topics; reviews the rules
    on the setup page and opens registration there, the checklist being complete."""
    log_in(page, base, ORGANIZER[1], PASSWORD)
    page.goto(f"{base}/admin/seminar/seminar/add/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_tag").fill(TAG)
    page.locator("#id_contact_name").fill(ORGANIZER[0])
    page.locator("#id_contact_email").fill(ORGANIZER[1])
    page.locator("#id_capacity").fill("4")
    # Not the opening: the admin refuses one while the checklist has gaps (no topics yet).
    page.locator("#id_registration_closes_at_0").fill(day(today + dt.timedelta(days=14)))
    page.locator("#id_registration_closes_at_1").fill("12:00:00")
    page.locator("#id_preference_deadline_0").fill(day(today + dt.timedelta(days=7)))
    page.locator("#id_preference_deadline_1").fill("23:59:59")
    # The supervisor, by e-mail address (their account exists: they log in later).
    page.locator("#id_staff-2-0-email").fill(SUPERVISOR[1])
    page.locator("#id_staff-2-0-kind").select_option("supervisor")
    page.locator("#id_staff-2-0-initials").fill("GG")
    # Two sessions, a month ahead, on consecutive days.
    meetings = page.locator("#meetings-group")
    for number in range(2):
        meetings.locator(".add-row a").click()
        page.locator(f"#id_meetings-{number}-kind").select_option("session")
        page.locator(f"#id_meetings-{number}-date").fill(day(today + dt.timedelta(30 + number)))
        page.locator(f"#id_meetings-{number}-start_time").fill("09:30:00")
        page.locator(f"#id_meetings-{number}-room").fill("1.06 (E1.1)")
    shot(page, "admin-add-seminar")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    messages = page.locator(".messagelist").text_content()
    assert f"Added {SUPERVISOR[1]} as a supervisor of this seminar." in messages, messages

    sessions = db(lambda: list(Seminar.objects.get(slug=SLUG).meetings.order_by("date")))
    topics = page.locator("#topics-group")
    for number, (title, year, session, slot, group) in enumerate(TOPICS):
        topics.locator(".add-row a").click()
        page.locator(f"#id_topics-{number}-title").fill(title)
        page.locator(f"#id_topics-{number}-year").fill(str(year))
        page.locator(f"#id_topics-{number}-supervisor").select_option(label=f"{SUPERVISOR[0]} (GG)")
        page.locator(f"#id_topics-{number}-mock_group").fill(str(group))
        page.locator(f"#id_topics-{number}-session").select_option(str(sessions[session - 1].pk))
        page.locator(f"#id_topics-{number}-slot").fill(str(slot))
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert "was changed successfully" in page.locator(".messagelist").text_content()
    shot(page, "admin-seminar-with-topics")

    page.goto(f"{base}/{SLUG}/setup/rules/")
    page.get_by_role("button", name="Save the rules").click()
    page.wait_for_url(f"{base}/{SLUG}/setup/")
    assert page.get_by_test_id("checklist").locator("li.missing").count() == 0
    page.get_by_test_id("open-registration").click()
    page.get_by_text("Registration is open.").wait_for()


def talk_of(title: str, today: dt.date) -> str:
    """What the dashboard says of the talk on this topic: the sessions start at 09:30, talks
    follow every 45 minutes in slot order (every topic is taken)."""
    session, slot = next((t[2], t[3]) for t in TOPICS if t[0] == title)
    starts = dt.datetime.combine(today + dt.timedelta(29 + session), dt.time(9, 30))
    starts += dt.timedelta(minutes=45 * (slot - 1))
    return f"{date_format(starts, 'l, j F Y, H:i')} (talk {slot}), room 1.06 (E1.1)"


def student_signs_up_and_registers(page, base: str, name: str, address: str, n: int) -> str:
    page.context.clear_cookies()
    page.goto(f"{base}/{SLUG}/")
    page.get_by_role("main").get_by_role("link", name="sign up", exact=True).click()
    page.get_by_label("Full name").fill(name)
    page.get_by_label("E-mail address").fill(address)
    page.get_by_label("Matriculation number").fill(f"{2579900 + n}")
    page.get_by_label("Degree level").select_option(label="Master")
    page.get_by_label("Study programme").fill("Computer Science")
    page.locator("#id_password1").fill(STUDENT_PASSWORD)
    page.locator("#id_password2").fill(STUDENT_PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(f"{base}/{SLUG}/")
    assert page.get_by_test_id("current-user").inner_text() == name
    page.get_by_role("main").get_by_role("button").click()  # "Register" or the waiting list
    page.wait_for_url(f"{base}/{SLUG}/me/")
    return page.get_by_test_id("my-status").inner_text()


def upload(page, dashboard: str, field: str, path: Path) -> None:
    page.locator(f"#id_{field}_file").set_input_files(path)
    page.locator(f"form:has(#id_{field}_file) button[type=submit]").click()
    page.wait_for_url(f"{dashboard}#submissions")


def test_journey_from_setup_to_final_grade(live_server, monkeypatch, settings, tmp_path):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread
    from playwright.sync_api import expect, sync_playwright

    settings.REMINDERS_SCAN_ON_READ = False  # the worker scans, as beat would make it
    staff_groups_ensure()
    organizer = StaffUserFactory(full_name=ORGANIZER[0], email=ORGANIZER[1])
    organizer.groups.add(Group.objects.get(name=GroupName.ORGANIZER))  # organized before
    StaffUserFactory(full_name=SUPERVISOR[0], email=SUPERVISOR[1], is_staff=False)
    base = live_server.url
    today = timezone.localdate()
    dashboard = f"{base}/{SLUG}/me/"
    files = tmp_path / "files"
    files.mkdir()
    slides, report, project = files / "slides.pdf", files / "report.pdf", files / "project.zip"
    slides.write_bytes(pdf_bytes(12))
    report.write_bytes(pdf_bytes(3))
    project.write_bytes(zip_bytes())
    outbox_dir = tmp_path / "outbox"
    outbox_dir.mkdir()

    queue = f"test-journey-{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    eager, default_queue = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False  # every task through Redis to the worker
    celery_app.conf.task_default_queue = queue
    shot = Camera()
    # Every e-mail the worker sends becomes a file the test reads.
    worker = workers.worker_start(
        queue, log, EMAIL_URL=f"filemail:///{outbox_dir}", REMINDERS_SCAN_ON_READ="false"
    )
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                journey(
                    page, base, dashboard, shot, expect, today, slides, report, project, outbox_dir
                )
            finally:
                browser.close()
    finally:
        celery_app.conf.task_always_eager = eager
        celery_app.conf.task_default_queue = default_queue
        workers.worker_stop(worker, wait=WAIT)
        worker_log = log.read_text()
        print(worker_log)  # shown by pytest only if the test failed
        with redis.Redis.from_url(settings.CELERY_BROKER_URL) as client:
            client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    assert worker.returncode == 0  # a warm shutdown, not a crash
    assert " raised unexpected" not in worker_log  # no task failed
    assert re.search(r"reminders_scan_task\[[0-9a-f-]+\] succeeded", worker_log)


def journey(page, base, dashboard, shot, expect, today, slides, report, project, outbox_dir):
    anna, ben, clara, david, eva, farid = (address for _, address in STUDENTS)

    # 1. The organizer sets the seminar up in the admin.
    organizer_sets_up_seminar(page, base, shot, today=today)
    page.goto(f"{base}/{SLUG}/")
    expect(page.get_by_test_id("registration-state")).to_have_text(
        "Registration is open: 4 seats are free."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    shot(page, "seminar-page")

    # 2. Six students sign up: four get a seat, two wait.
    statuses = []
    for n, (name, address) in enumerate(STUDENTS):
        statuses.append(student_signs_up_and_registers(page, base, name, address, n))
        if n in (0, 4):
            shot(page, f"student-{'registered' if n == 0 else 'waiting'}")
    seated = db(lambda: list(Registration.objects.filter(seminar__slug=SLUG).order_by("pk")))
    for status, registration in zip(statuses[:4], seated[:4], strict=True):
        since = date_format(timezone.localtime(registration.confirmed_at), "j F Y, H:i")
        assert status == f"You have a seat in this seminar (since {since})."
    waiting = "You are on the waiting list at position {}. You move up as others leave; when a "
    waiting += "seat frees, the first in line gets an offer by e-mail."
    assert statuses[4:] == [waiting.format(1), waiting.format(2)]

    # 3. David withdraws; Eva, first in line, accepts the offer.
    log_in(page, base, david)
    page.goto(dashboard)
    page.get_by_role("link", name="Withdraw…").click()
    page.get_by_role("button", name="Yes, withdraw").click()
    page.wait_for_url(dashboard)
    expect(page.get_by_role("status").first).to_have_text(
        "You have withdrawn. You can register again at any time before the seminar starts."
    )
    expect(page.get_by_test_id("my-status")).to_contain_text("Your registration ended: withdrawn")
    # Eva holds the freed seat as an offer: nobody can jump the line.
    expect(page.get_by_test_id("registration-state")).to_have_text(
        "The seminar is full (you can still apply for the waiting list)."
    )
    shot(page, "withdrawn")
    log_in(page, base, eva)
    page.goto(dashboard)
    expect(page.get_by_test_id("my-status")).to_contain_text("A seat is offered to you until")
    shot(page, "offer")
    page.get_by_role("button", name="Accept the seat").click()
    page.wait_for_load_state()
    page.goto(dashboard)
    expect(page.get_by_test_id("my-status")).to_contain_text("You have a seat in this seminar")
    log_in(page, base, farid)
    page.goto(dashboard)
    expect(page.get_by_test_id("my-status")).to_contain_text("waiting list at position 1.")

    # 4. Preferences: the organizer opens the form, the four participants send theirs.
    log_in(page, base, ORGANIZER[1], PASSWORD)
    page.goto(f"{base}/{SLUG}/organize/")
    page.get_by_role("button", name="Open the preference form and e-mail the participants").click()
    page.wait_for_load_state()
    participants = [anna, ben, clara, eva]
    for number, address in enumerate(participants):
        log_in(page, base, address)
        page.goto(f"{base}/{SLUG}/preferences/")
        for index, (title, *_) in enumerate(TOPICS):
            if index != number:  # each leaves out one topic: everyone can get a preference
                page.get_by_label(title).check()
        page.get_by_role("button", name="Save my preferences").click()
        expect(page.get_by_role("status").first).to_have_text(
            "Your three preferences are saved. You can change them until the deadline."
        )
        if number == 0:
            shot(page, "preferences-sent")

    # The organizer runs the allocation and publishes it.
    log_in(page, base, ORGANIZER[1], PASSWORD)
    page.goto(f"{base}/{SLUG}/organize/allocation/")
    expect(page.get_by_role("main").locator("p").nth(1)).to_have_text(
        "4 participants sent preferences."
    )
    page.get_by_label("Seed").fill("2023")
    page.get_by_role("button", name="Run the allocation").click()
    expect(page.get_by_test_id("summary")).to_contain_text(
        "4 of 4 students hold one of their preferences."
    )
    shot(page, "allocation-run")
    page.get_by_role("link", name="Publish this allocation…").click()
    expect(page.get_by_test_id("recipients")).to_contain_text("e-mails 4 students")
    page.get_by_role("button", name="Publish and e-mail 4 students").click()
    expect(page.get_by_role("status").first).to_have_text(
        "Published: every student has an e-mail with their topic."
    )
    shot(page, "allocation-published")
    published = Assignment.objects.filter(run__published_at__isnull=False)
    topic_of = db(
        lambda: {
            a.registration.student.email: a.topic.title
            for a in published.select_related("registration__student", "topic")
        }
    )
    assert sorted(topic_of) == sorted(participants)

    # 5. The participants see their topic and upload their slide drafts.
    for address in participants:
        log_in(page, base, address)
        page.goto(dashboard)
        expect(page.get_by_test_id("my-topic")).to_contain_text(topic_of[address])
        expect(page.get_by_test_id("my-talk")).to_have_text(talk_of(topic_of[address], today))
        upload(page, dashboard, "slide_draft1", slides)
        expect(page.get_by_test_id("state-slide_draft")).to_have_text("submitted")
        if address == anna:
            shot(page, "slide-draft-uploaded")

    # 6. The talks are over: the organizer moves both sessions into the past (see the module's
    # docstring), so that reports and the project are due.
    log_in(page, base, ORGANIZER[1], PASSWORD)
    seminar = db(lambda: Seminar.objects.get(slug=SLUG))
    page.goto(f"{base}/admin/seminar/seminar/{seminar.pk}/change/")
    for number in range(2):
        page.locator(f"#id_meetings-{number}-date").fill(day(today - dt.timedelta(10 - number)))
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert "was changed successfully" in page.locator(".messagelist").text_content()
    shot(page, "sessions-moved-into-the-past")

    # 7. Reports: Anna and Ben hand in all three, Clara one, Eva none. Anna and Ben team up
    # and hand in their project.
    others = {address: [t for t, *_ in TOPICS if t != topic_of[address]] for address in topic_of}
    for address, count in ((anna, 3), (ben, 3), (clara, 1)):
        log_in(page, base, address)
        page.goto(dashboard)
        for number in range(1, count + 1):
            page.locator(f"#id_reports{number}_topic").select_option(
                label=others[address][number - 1]
            )
            upload(page, dashboard, f"reports{number}", report)
        state = "submitted" if count == 3 else f"missing ({count} of 3 in)"
        expect(page.get_by_test_id("state-reports")).to_have_text(state)
        if address == anna:
            shot(page, "reports-uploaded")
    log_in(page, base, anna)
    page.goto(dashboard)
    page.get_by_label("Your partner's e-mail address").fill(ben)
    page.get_by_role("button", name="Invite").click()
    page.wait_for_load_state()
    log_in(page, base, ben)
    page.goto(dashboard)
    page.locator("#team").get_by_role("button", name="Accept").click()
    page.wait_for_load_state()
    page.goto(dashboard)
    expect(page.get_by_test_id("team-mates")).to_have_text(
        f"You work with {STUDENTS[0][0]} ({anna})."
    )
    upload(page, dashboard, "project1", project)
    expect(page.get_by_test_id("state-project")).to_have_text("submitted")
    shot(page, "project-uploaded")

    # 8. Reminders. The organizer has the project reminder go out 21 days ahead instead of 7
    # (the project is due in 19 days). The worker scans (as beat makes it) and sends: Clara
    # and Eva, who have not handed in all their reports nor a project, are reminded of both;
    # Anna and Ben, who have handed in everything, of nothing.
    log_in(page, base, ORGANIZER[1], PASSWORD)
    rule = db(
        lambda: (
            ReminderRule.objects.get(
                seminar__slug=SLUG, kind=ReminderKind.PROJECT, hours_before=7 * 24
            ).pk
        )
    )
    page.goto(f"{base}/admin/reminders/reminderrule/{rule}/change/")
    page.locator("#id_hours_before").fill(str(21 * 24))
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert "was changed successfully" in page.locator(".messagelist").text_content()
    wait_for(all_sent, "every e-mail so far to be sent")
    reminders_scan_task.delay()
    reminders = OutgoingEmail.objects.filter(kind__startswith="reminder_")
    wait_for(lambda: db(reminders.count) == 4 and all_sent(), "four reminders to be sent")
    assert sorted(db(lambda: list(reminders.values_list("to", "kind", "status")))) == [
        (clara, "reminder_project", EmailStatus.SENT),
        (clara, "reminder_reports", EmailStatus.SENT),
        (eva, "reminder_project", EmailStatus.SENT),
        (eva, "reminder_reports", EmailStatus.SENT),
    ]
    reports_due = date_format(today + dt.timedelta(5), "j F")
    project_due = date_format(today + dt.timedelta(19), "j F")
    expected = [
        f"[{TAG}] Reminder: the practical project is due {project_due}, 23:59",
        f"[{TAG}] Reminder: your reports are due {reports_due}, 23:59",
    ]
    for address in participants:
        reminded = sorted(s for s in to(outbox_dir, address) if "Reminder" in s)
        assert reminded == (expected if address in (clara, eva) else []), address
    page.goto(f"{base}/admin/reminders/sentreminder/")
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    shot(page, "reminders-sent")

    # 9. The supervisor grades Anna in the admin.
    log_in(page, base, SUPERVISOR[1], PASSWORD)
    page.goto(f"{base}/admin/grading/gradedstudent/")
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    page.get_by_role("link", name=STUDENTS[0][0]).click()
    page.get_by_label("Presentation grade").select_option("1.3")
    page.get_by_label("Talk length (minutes)").fill("22")
    page.get_by_label("Presentation comment").fill("A clear story, well timed.")
    for number in range(1, 4):
        page.get_by_label(f"Report {number} grade").select_option("2.0")
    page.get_by_label("Participation grade").select_option("1.7")
    for number in range(1, 3):
        page.get_by_label(re.compile(f"^Attendance of session {number} ")).select_option("attended")
    page.get_by_label("Mock presentation given").check()
    page.get_by_label("Project result (team)").select_option("bonus")
    page.get_by_role("button", name="Save grades").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Saved for {STUDENTS[0][0]}")
    expect(page.get_by_test_id("explanation")).to_have_text(EXPLANATION)
    shot(page, "supervisor-grades")

    # 10. The organizer releases the grades and downloads the PDF grade sheet.
    log_in(page, base, ORGANIZER[1], PASSWORD)
    page.goto(f"{base}/{SLUG}/organize/grades/")
    # Only Anna is graded; the others' mock presentation is unmarked after its deadline.
    expect(page.get_by_test_id("grading-summary")).to_have_text(
        "4 participants: 1 passed, 3 failed, 0 incomplete."
    )
    shot(page, "grades-before-release")
    page.get_by_role("link", name="Release grades…").click()
    expect(page.get_by_test_id("recipients")).to_contain_text("e-mails 4 students")
    page.get_by_role("button", name="Release and e-mail 4 students").click()
    expect(page.get_by_role("status").first).to_have_text(
        "The grades are released; 4 students e-mailed."
    )
    shot(page, "grades-released")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="PDF grade sheet").click()
    pdf = Path(download_info.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    text = " ".join(text.split())
    for name, address in STUDENTS:
        assert (name in text) == (address in participants), name

    # 11. Anna sees her final grade and how it was computed.
    log_in(page, base, anna)
    page.goto(dashboard)
    expect(page.get_by_test_id("my-final-grade")).to_have_text("Final grade: 1.3 (passed)")
    expect(page.get_by_test_id("my-grade-explanation")).to_have_text(EXPLANATION)
    expect(page.get_by_test_id("my-grade-components")).to_contain_text("A clear story, well timed.")
    page.get_by_test_id("my-final-grade").scroll_into_view_if_needed()
    shot(page, "student-final-grade")

    # The e-mails, as the worker delivered them.
    wait_for(all_sent, "every e-mail to be sent")
    released = [s for s in to(outbox_dir, anna) if "Your grades are out" in s]
    assert released == [f"[{TAG}] Your grades are out: final grade 1.3"]
    # Every row of the outbox was sent, and each reached its recipient once, as written.
    rows = db(lambda: sorted(OutgoingEmail.objects.values_list("to", "subject")))
    assert sorted(delivered(outbox_dir)) == rows
    offers = [s for s in to(outbox_dir, eva) if s.startswith(f"[{TAG}] A seat is free for you")]
    assert len(offers) == 1
