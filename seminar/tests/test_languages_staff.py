"""Staff pages in German: an organizer or supervisor whose account language is German sees the
organizer pages (registration, allocation, hand-ins, grades, next run) and the admin (model
names, columns, actions, messages) in German, and no English left on them."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from grading.tests.factories import grading_world
from seminar.enums import StaffKind
from seminar.tests.factories import RegistrationFactory, SeminarFactory, StaffRoleFactory
from topics.models import AllocationRun

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """A request activates its language for the thread: later tests must not run in German."""
    yield
    translation.deactivate()


@pytest.fixture
def world():
    world = grading_world(2)
    for user in (world.organizer, world.supervisor):
        user.language = "de"
        user.save(update_fields=["language"])
    return world


@pytest.fixture
def organizer(client, world) -> Client:
    client.force_login(world.organizer)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def run_of(seminar) -> AllocationRun:
    return AllocationRun.objects.get(seminar=seminar, published_at__isnull=False)


# --- Organizer pages -------------------------------------------------------------------------

ORGANIZER_PAGES = [
    # (URL name, whether it takes the published run, German that must be there, English not)
    ("seminar:organize", False, '<h1 class="mb-0">Organisieren</h1>', "Participants"),
    ("seminar:organize", False, "Anmeldung jetzt", "registration now"),
    ("seminar:carry_forward", False, "Nächsten Durchgang anlegen", "Create the next run"),
    ("topics:allocation", False, '<h1 class="mb-3">Themenvergabe</h1>', "Topic allocation"),
    ("topics:allocation", False, "Nachzügler/innen", "Late joiners"),
    (
        "topics:allocation_publish",
        True,
        "Diese Vergabe ist bereits veröffentlicht.",
        "published already",
    ),
    ("topics:topic_list_import", False, "Themen aus einer Tabelle importieren", "Import topics"),
    ("submissions:matrix", False, '<h1 class="mb-3">Abgaben</h1>', "Submissions"),
    ("submissions:matrix", False, "Verlängerung gewähren", "Grant an extension"),
    ("grading:grades", False, '<h1 class="mb-3">Noten</h1>', "Release grades"),
    ("grading:grades", False, "CSV für das Prüfungsamt", "exam office"),
    ("grading:release", False, "Die Noten veröffentlichen?", "Release the grades?"),
    ("setup:overview", False, "Einrichten", "Set up"),
]


@pytest.mark.parametrize(("name", "with_run", "german", "english"), ORGANIZER_PAGES)
def test_organizer_page_is_german_for_a_german_organizer(
    organizer, world, name, with_run, german, english
):
    args = [world.seminar.slug, run_of(world.seminar).pk] if with_run else [world.seminar.slug]
    text = page(organizer, reverse(name, args=args))
    assert '<html lang="de">' in text
    assert german in text
    assert english not in text


def test_organizer_panels_are_german(organizer, world):
    text = page(organizer, reverse("seminar:organize", args=[world.seminar.slug]))
    assert '<h2 id="alloc-heading" class="h5">Themen</h2>' in text
    assert '<h2 id="submissions-panel-heading" class="h5">Abgaben</h2>' in text
    assert '<h2 id="grades-panel-heading" class="h5">Noten</h2>' in text
    assert "Alle Teilnehmenden und Abgaben; Verlängerungen" in text
    assert "Every participant and deliverable" not in text


def test_remove_confirmation_is_german(organizer, world):
    registration = world.students[0]
    url = reverse(
        "seminar:participant_action", args=[world.seminar.slug, registration.pk, "remove"]
    )
    text = page(organizer, url)
    assert f"{registration.student.full_name} entfernen?" in text
    assert "Ja, entfernen und E-Mail senden" in text
    assert "1 Person erhält eine E-Mail:" in text
    assert "will be e-mailed" not in text


def test_organizer_message_and_service_refusal_are_german(organizer, world):
    slug = world.seminar.slug
    response = organizer.post(
        reverse("seminar:capacity_set", args=[slug]), {"capacity": "-3"}, follow=True
    )
    assert "Geben Sie die Kapazität als ganze Zahl ab 0 ein." in response.content.decode()
    confirmed = world.students[0]
    response = organizer.post(
        reverse("seminar:participant_action", args=[slug, confirmed.pk, "promote"]), follow=True
    )
    text = response.content.decode()
    assert f"{confirmed.student.full_name} ist bereits bestätigt." in text
    assert "already confirmed" not in text


def test_allocation_refusal_from_the_service_is_german(organizer, world):
    response = organizer.post(
        reverse("topics:allocation", args=[world.seminar.slug]), {"seed": "7"}, follow=True
    )
    text = response.content.decode()
    assert "Die Themen sind veröffentlicht; ändern Sie stattdessen einzelne Zuweisungen." in text


def test_extension_form_is_german(organizer, world):
    text = page(organizer, reverse("submissions:matrix", args=[world.seminar.slug]))
    assert "Neue Frist" in text and "um (Berliner Zeit)" in text
    assert "New deadline" not in text


def test_organizer_pages_stay_english_for_an_english_organizer(client):
    seminar = SeminarFactory()
    client.force_login(StaffRoleFactory(seminar=seminar, kind=StaffKind.ORGANIZER).user)
    RegistrationFactory(seminar=seminar)
    text = page(client, reverse("seminar:organize", args=[seminar.slug]))
    assert '<h1 class="mb-0">Organize</h1>' in text
    assert "Organisieren" not in text


# --- The admin -------------------------------------------------------------------------------

ADMIN_PAGES = [
    # (URL name, German that must be there, English not)
    ("admin:index", "Seminare und Anmeldung", "Seminars and registration"),
    ("admin:index", "Themen, Wünsche und Vergabe", "Topics, preferences and allocation"),
    ("admin:index", ">Seminarverwaltung</a>", "Seminar administration"),
    ("admin:seminar_seminar_changelist", "Anmeldung jetzt öffnen", "Open registration now"),
    ("admin:seminar_seminar_changelist", "Noten veröffentlichen (E-Mail an", "Release grades"),
    ("admin:seminar_registration_changelist", "Wartelistenplatz", "waiting position"),
    (
        "admin:seminar_registration_changelist",
        "Ausgewählte bestätigen (an der Warteliste vorbei)",
        "Confirm selected",
    ),
    ("admin:topics_topic_changelist", "Themen", "Select topic to change"),
    ("admin:grading_gradedstudent_changelist", "Matrikelnr.", "matr. no."),
    ("admin:grading_gradedstudent_changelist", "Endnote", "final grade"),
    ("admin:submissions_supervisedstudent_changelist", "Meine Studierenden", "My students"),
    ("admin:reminders_reminderrule_changelist", "Erinnerungsregeln", "Reminder rules"),
    (
        "admin:reminders_reminderrule_changelist",
        "Ausgewählte Regeln ausschalten",
        "Switch selected rules off",
    ),
    ("admin:reminders_reminderrule_preview", "Vorschau der Erinnerungen", "Preview reminders"),
]


@pytest.mark.parametrize(("name", "german", "english"), ADMIN_PAGES)
def test_admin_page_is_german_for_a_german_organizer(organizer, name, german, english):
    text = page(organizer, reverse(name))
    assert german in text
    assert english not in text


def test_seminar_change_form_in_the_admin_is_german(organizer, world):
    url = reverse("admin:seminar_seminar_change", args=[world.seminar.pk])
    text = page(organizer, url)
    assert 'class="fieldset-heading">Anmeldung und Warteliste</h2>' in text
    assert "Lehrende per E-Mail-Adresse hinzufügen" in text
    assert "Vortragskriterien" in text and "Benotungsschema" in text
    assert "Registration and waiting list" not in text


def test_grading_page_in_the_admin_is_german(organizer, world):
    registration = world.students[0]
    url = reverse("admin:grading_gradedstudent_change", args=[registration.pk])
    text = page(organizer, url)
    assert 'value="Noten speichern"' in text
    assert "Note der Ausarbeitung 1" in text and "Anwesenheit in Sitzung 1 (" in text
    assert "report 1 grade" not in text.lower()
    assert "<h2>Anwesenheit und Probepräsentation</h2>" in text
    assert "Save grades" not in text


def test_admin_action_message_is_german(organizer, world):
    response = organizer.post(
        reverse("admin:seminar_seminar_changelist"),
        {"action": "close_registration", "_selected_action": [world.seminar.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Die Anmeldung ist geschlossen." in text or "Anmeldung ist geschlossen" in text
    assert "Registration is closed." not in text


def test_what_is_still_to_do_is_german_on_the_grades_page_and_in_the_admin(organizer, world):
    grades = page(organizer, reverse("grading:grades", args=[world.seminar.slug]))
    listing = page(organizer, reverse("admin:grading_gradedstudent_changelist"))
    for text in (grades, listing):
        assert "Vortrag nicht bewertet" in text
        assert "presentation not graded" not in text


def test_exam_office_grade_sheet_stays_english_for_a_german_organizer(organizer, world):
    response = organizer.get(reverse("grading:sheet_csv", args=[world.seminar.slug]))
    sheet = b"".join(response.streaming_content) if response.streaming else response.content
    text = sheet.decode("utf-8-sig")
    assert response.status_code == 200
    assert "incomplete" in text
    assert "nicht" not in text and "Vortrag" not in text
