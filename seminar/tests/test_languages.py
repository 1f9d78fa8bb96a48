"""Languages: English and German, chosen in the navigation and stored on the account; pages,
dates, grades and e-mails in the reader's language; the German catalogue complete and its
compiled .mo in step with the .po."""

import datetime as dt
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from grading.services import grades_release
from grading.tests.factories import grade_completely, grading_world
from mail.models import OutgoingEmail
from seminar.enums import RegistrationStatus
from seminar.models import User
from seminar.services import registration as services
from seminar.tests.factories import SeminarFactory, UserFactory

pytestmark = pytest.mark.django_db

PO = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PASSWORD = "a-long-secret-phrase"


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """A request activates its language for the thread (as Django does): later tests in this
    thread must not run in German."""
    yield
    translation.deactivate()


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def switch(client: Client, language: str, next_url: str = "/") -> None:
    response = client.post(reverse("language_set"), {"language": language, "next": next_url})
    assert (response.status_code, response["Location"]) == (302, next_url)


# --- Switching and storing ------------------------------------------------------------------


def test_language_switch_anonymous_sets_the_cookie_and_the_site_follows(client):
    assert '<h1 class="mb-4">Seminars</h1>' in text(client.get(reverse("seminar:list")))
    switch(client, "de")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    page = text(client.get(reverse("seminar:list")))
    assert ('<html lang="de">' in page, '<h1 class="mb-4">Seminare</h1>' in page) == (True, True)
    # The switcher offers the other language, in that language.
    assert 'value="en" lang="en"' in page and 'value="de" lang="de"' not in page
    assert 'class="btn btn-link nav-link">English</button>' in page  # its own name


def test_language_switch_signed_in_is_stored_on_the_account(client):
    user = UserFactory()
    client.force_login(user)
    switch(client, "de", next_url=reverse("seminar:mine"))
    user.refresh_from_db()
    assert user.language == "de"
    switch(client, "en")
    user.refresh_from_db()
    assert user.language == "en"


def test_language_switch_refuses_an_unknown_language_and_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("language_set"), {"language": "fr", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_language_switch_of_a_signed_in_person_needs_the_csrf_token():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("language_set"), {"language": "de", "next": "/"})
    user.refresh_from_db()
    assert (response.status_code, user.language) == (403, "en")


def test_next_login_is_german_in_a_fresh_browser():
    user = UserFactory(password=PASSWORD)
    first = Client()
    first.force_login(user)
    switch(first, "de")
    fresh = Client(HTTP_ACCEPT_LANGUAGE="en")  # another browser, which prefers English
    response = fresh.post(
        reverse("login"), {"username": user.email, "password": PASSWORD}, follow=True
    )
    page = text(response)
    assert ('<html lang="de">' in page, "Meine Seminare" in page) == (True, True)


def test_account_language_wins_over_the_cookie_and_the_browser(client):
    client.force_login(UserFactory(language="de"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(reverse("seminar:list"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Abmelden" in page and "Log out" not in page


def test_signup_stores_the_chosen_language(client):
    data = {
        "full_name": "Nora Beispiel",
        "email": "nora@example.org",
        "matriculation_number": "2612345",
        "degree_level": "master",
        "programme": "Informatik",
        "language": "de",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    client.post(reverse("signup"), data)
    assert User.objects.get().language == "de"


def test_signup_without_a_choice_takes_the_language_of_the_page(client):
    switch(client, "de")
    page = text(client.get(reverse("signup")))
    assert "Legen Sie Ihr Konto als Studierende/r an" in page
    data = {
        "full_name": "Nora Beispiel",
        "email": "nora@example.org",
        "matriculation_number": "2612345",
        "degree_level": "master",
        "programme": "Informatik",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    client.post(reverse("signup"), data)
    assert User.objects.get().language == "de"


# --- Pages, dates and grades ----------------------------------------------------------------


def test_seminar_page_in_german_shows_german_text_and_dates(client):
    seminar = SeminarFactory(
        registration_opens_at=timezone.make_aware(dt.datetime(2031, 1, 6, 9, 0)),
        registration_closes_at=None,
    )
    english = text(client.get(seminar.get_absolute_url()))
    assert "Registration opens on Monday, 6 January 2031, 09:00." in english
    switch(client, "de")
    german = text(client.get(seminar.get_absolute_url()))
    assert "Die Anmeldung öffnet am Montag, 6. Januar 2031, 09:00." in german
    assert "Registration opens" not in german


def test_seminar_page_cache_keeps_one_page_per_language(client):
    seminar = SeminarFactory()
    english = text(client.get(seminar.get_absolute_url()))  # cached for visitors
    german = text(Client().get(seminar.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de"))
    again = text(client.get(seminar.get_absolute_url()))
    assert ("Presentation" in english, "Vortrag" in german, again == english) == (True, True, True)


@pytest.fixture
def released():
    world = grading_world(1)
    [registration] = world.students
    grade_completely(registration, by=world.organizer)
    grades_release(seminar=world.seminar, by=world.organizer)
    return world, registration


def test_dashboard_in_german_shows_grades_with_a_decimal_comma(client, released):
    world, registration = released
    student = registration.student
    student.language = "de"
    student.save(update_fields=["language"])
    client.force_login(student)
    page = text(client.get(reverse("seminar:dashboard", args=[world.seminar.slug])))
    assert 'data-testid="my-final-grade">Endnote: <strong>1,7</strong> (bestanden)' in page
    assert "0,50 × 1,7 + 0,35 × 2,0 + 0,15 × 1,3 = 1,745 → 1,7" in page
    assert "Ihre Noten" in page


def test_dashboard_in_english_shows_grades_with_a_decimal_point(client, released):
    world, registration = released
    client.force_login(registration.student)
    page = text(client.get(reverse("seminar:dashboard", args=[world.seminar.slug])))
    assert 'data-testid="my-final-grade">Final grade: <strong>1.7</strong> (passed)' in page
    assert "0.50 × 1.7 + 0.35 × 2.0 + 0.15 × 1.3 = 1.745 → 1.7" in page


def test_grades_email_goes_out_in_each_students_language():
    world = grading_world(2)
    german, english = world.students
    german.student.language = "de"
    german.student.save(update_fields=["language"])
    for registration in world.students:
        grade_completely(registration, by=world.organizer)
    with translation.override("en"):  # the organizer who releases reads English
        grades_release(seminar=world.seminar, by=world.organizer)
    to_german = OutgoingEmail.objects.get(to=german.student.email, kind="grades_released")
    to_english = OutgoingEmail.objects.get(to=english.student.email, kind="grades_released")
    assert to_german.subject.endswith("Ihre Noten sind veröffentlicht: Endnote 1,7")
    assert "Endnote: 1,7 (bestanden)" in to_german.body_text
    assert to_english.subject.endswith("Your grades are out: final grade 1.7")
    assert "Final grade: 1.7 (passed)" in to_english.body_text


def test_dates_are_formatted_for_the_language():
    moment = timezone.make_aware(dt.datetime(2031, 3, 3, 14, 15))
    with translation.override("en"):
        english = date_format(moment, translation.gettext("l, j F Y, H:i"))
    with translation.override("de"):
        german = date_format(moment, translation.gettext("l, j F Y, H:i"))
    assert (english, german) == ("Monday, 3 March 2031, 14:15", "Montag, 3. März 2031, 14:15")


# --- E-mails --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_registration_email_is_german_to_a_german_student_and_english_to_an_english_one():
    seminar = SeminarFactory(capacity=2)
    german = UserFactory(language="de", full_name="Jana Muster")
    english = UserFactory(language="en", full_name="John Doe")
    with translation.override("en"):
        services.registration_create(seminar=seminar, student=german)
    with translation.override("de"):
        services.registration_create(seminar=seminar, student=english)
    to_german = OutgoingEmail.objects.get(to=german.email)
    to_english = OutgoingEmail.objects.get(to=english.email)
    tag = seminar.subject_prefix
    assert (to_german.subject, to_english.subject) == (
        f"{tag} Ihr Platz ist bestätigt",
        f"{tag} Your seat is confirmed",
    )
    assert to_german.body_text.startswith(
        f"Guten Tag Jana Muster,\n\nSie sind für {seminar.title} angemeldet. "
        "Ihr Platz ist bestätigt."
    )
    assert to_english.body_text.startswith(
        f"Dear John Doe,\n\nyou are registered for {seminar.title}. Your seat is confirmed."
    )
    assert '<html lang="de">' in to_german.body_html
    assert '<html lang="en">' in to_english.body_html


@pytest.mark.django_db(transaction=True)
def test_waiting_list_email_in_german_names_the_position_and_hours():
    seminar = SeminarFactory(capacity=1, offer_hours=48)
    services.registration_create(seminar=seminar, student=UserFactory())
    waiting = UserFactory(language="de")
    registration = services.registration_create(seminar=seminar, student=waiting)
    assert registration.status == RegistrationStatus.WAITING
    email = OutgoingEmail.objects.get(to=waiting.email)
    assert email.subject.endswith("Sie stehen auf der Warteliste (Position 1)")
    assert "sie hat 48 Stunden Zeit, ihn anzunehmen" in email.body_text


@pytest.mark.django_db(transaction=True)
def test_password_reset_email_is_in_the_accounts_language(client):
    user = UserFactory(language="de")
    client.post(reverse("password_reset"), {"email": user.email})
    [message] = mail.outbox
    assert (message.subject, message.body.splitlines()[0]) == (
        "Neues Passwort wählen",
        f"Guten Tag {user.full_name},",
    )


# --- The catalogue --------------------------------------------------------------------------


def po_entries(path: Path) -> list[dict]:
    """The .po's entries (header included): msgctxt, msgid, msgid_plural, msgstr(s), flags."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry = {"flags": "", "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
                continue
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
            if match:
                key, value = match.group(1), match.group(2)
            else:
                value = line
            part = _unquote(value)
            if key.startswith("msgstr"):
                index = int(key[7:-1]) if "[" in key else 0
                entry["msgstr"][index] = entry["msgstr"].get(index, "") + part
            else:
                entry[key] = (entry.get(key) or "") + part
        entries.append(entry)
    return entries


def _unquote(quoted: str) -> str:
    body = quoted.strip()[1:-1]
    return re.sub(
        r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body
    )


def test_german_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = po_entries(PO)[1:]  # the first is the header
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    plural_forms = {len(e["msgstr"]) for e in entries if e["msgid_plural"] is not None}
    assert (untranslated, fuzzy, plural_forms) == ([], [], {2})
    assert len(entries) > 400


def test_german_catalogue_keeps_every_placeholder():
    """Every %(name)s of the English is in the German (the singular of a plural may say "one"
    in words instead), and no other."""
    for entry in po_entries(PO)[1:]:
        wanted = set(re.findall(r"%\(\w+\)[sd]", entry["msgid_plural"] or entry["msgid"]))
        for index, text in entry["msgstr"].items():
            found = set(re.findall(r"%\(\w+\)[sd]", text))
            singular = entry["msgid_plural"] is not None and index == 0
            assert found <= wanted if singular else found == wanted, entry["msgid"]


def test_compiled_catalogue_matches_the_po():
    """The committed .mo says exactly what the .po says (run `make messages` after editing)."""
    with MO.open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    expected = {}
    for entry in po_entries(PO)[1:]:
        msgid = entry["msgid"]
        if entry["msgctxt"] is not None:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if entry["msgid_plural"] is None:
            expected[msgid] = entry["msgstr"][0]
        else:
            for index, text in entry["msgstr"].items():
                expected[(msgid, index)] = text
    found = {key: value for key, value in catalog.items() if key != ""}
    assert found == expected


def test_refusal_page_is_in_the_students_language(client):
    seminar = SeminarFactory(registration_opens_at=timezone.now() + dt.timedelta(days=3))
    client.force_login(UserFactory(language="de", degree_level="master"))
    response = client.post(reverse("seminar:register", args=[seminar.slug]))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Die Anmeldung ist noch nicht geöffnet. Sie öffnet am " in page
    assert "Nicht möglich" in page


@pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgmerge")),
    reason="needs gettext (xgettext, msgmerge) to collect the strings",
)
def test_catalogue_holds_every_string_marked_for_translation(tmp_path):
    """A string marked in code or a template but missing from the .po would be shown in
    English: collect them as `make messages` does, in a copy of the project, and find none
    without its German."""
    copy = tmp_path / "project"
    skip = shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "*.mo", "docs", "bench")
    shutil.copytree(settings.BASE_DIR, copy, ignore=skip)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "de",
            "--no-location",
            "--no-obsolete",
            "--ignore=*/tests/*",
        ],
        cwd=copy,
        env={**os.environ, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    collected = po_entries(copy / "locale" / "de" / "LC_MESSAGES" / "django.po")[1:]
    missing = [e["msgid"] for e in collected if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in collected if "fuzzy" in e["flags"]]
    assert (missing, fuzzy) == ([], [])


def test_grade_sheet_for_the_exam_office_stays_english_in_a_german_request():
    from grading.pdf import grade_sheet_html
    from grading.tests.test_pdf import make_sheet

    with translation.override("en"):
        english = grade_sheet_html(make_sheet(3))
    with translation.override("de"):
        german = grade_sheet_html(make_sheet(3))
    assert german == english
