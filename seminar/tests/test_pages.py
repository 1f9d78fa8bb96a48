"""The public pages, rendered from the demo seminar as the seed page describes it."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from demo import data
from demo.loader import PUBLISHED_SLUG, demo_load
from seminar.tests.factories import SeminarFactory, UserFactory

pytestmark = pytest.mark.django_db

SEMINAR_URL = f"/{PUBLISHED_SLUG}/"


@pytest.fixture
def demo():
    demo_load()


def text_of(response) -> str:
    """The page's visible text, tags stripped and whitespace collapsed."""
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_seminar_page_shows_all_twelve_papers(client, demo):
    page = text_of(client.get(SEMINAR_URL))
    for title, year, *_ in data.TOPICS:
        assert f"{title} ({year})" in page


def test_seminar_page_shows_both_session_dates_and_kickoff(client, demo):
    page = text_of(client.get(SEMINAR_URL))
    assert "Seminar session 1: Monday, 6 March 2023 in room 1.06 (E1.1) (we start at 09:30)" in page
    assert "Seminar session 2: Tuesday, 7 March 2023 in room 1.06 (E1.1)" in page
    assert (
        "The kick-off meeting takes place on Monday, 9 January 2023, 14:15 in room 328 (E 1.3)"
        in page
    )
    assert "by Friday, 13 January 2023, 23:59" in page


def test_seminar_page_shows_grading_breakdown(client, demo):
    page = text_of(client.get(SEMINAR_URL))
    assert (
        "The final grade consists of: your presentation (50%), reports (35%), and participation "
        "during the seminar discussions (15%)."
    ) in page
    assert (
        "The practical project can be failed or passed; an extraordinary submission earns a "
        "bonus of one grade step on your final grade." in page
    )


def test_seminar_page_shows_exam_registration_and_facts(client, demo):
    page = text_of(client.get(SEMINAR_URL))
    assert "(un)registration in HISPOS/LSF is due by 30 January 2023." in page
    assert "The seminar earns you 7 ECTS." in page
    assert "The seminar language is English." in page
    assert "The seminar will take place in-person." in page
    assert "bachelor/master/graduate students of computer science and related courses" in page


def test_seminar_page_shows_rules_and_deadlines(client, demo):
    response = client.get(SEMINAR_URL)
    page, html = text_of(response), response.content.decode()
    assert "about 20 minutes long (no longer than 25 minutes!)" in page
    assert "by 5 March 2023" in page
    assert "14 days after the last presentation (21 March 2023, 23:59)" in page
    assert "28 days after the last presentation (4 April 2023, 23:59)" in page
    assert "attend both sessions;" in page
    for criterion in data.CRITERIA:
        assert criterion.replace("'", "&#x27;") in html


def response_html(client) -> str:
    return client.get(SEMINAR_URL).content.decode()


def test_seminar_page_lists_all_thirty_supplementary_entries(client, demo):
    html = response_html(client)
    for number, (title, _, _) in enumerate(data.MATERIALS, start=1):
        assert f'id="material-{number}" value="{number}"' in html
        assert title.replace("&", "&amp;").replace("'", "&#x27;") in html
    assert html.count('<li id="material-') == 30


def test_reading_list_links_material_references(client, demo):
    html = response_html(client)
    # Topic 4 of the seed: [1,2,7,F], where F is the entry marked "F" (number 30).
    assert (
        '<a href="#material-30" title="Elucidating the Design Space of Diffusion-Based '
        'Generative Models">F</a>' in html
    )
    assert (
        '<a href="#material-7" title="A Gentle Introduction to Graph Neural Networks">7</a>' in html
    )


def test_contact_link_has_tag_in_subject(client, demo):
    html = response_html(client)
    assert 'href="mailto:greta.gruber@example.org?subject=%5BDeepDiffusion%5D%20"' in html


def test_registration_state_closed_with_waiting_list(client, demo):
    with time_machine.travel(dt.datetime(2023, 2, 1, 12, tzinfo=dt.UTC)):
        page = text_of(client.get(SEMINAR_URL))
    assert "Registration is closed (you can still apply for the waiting list)." in page


def test_registration_state_open_with_free_seats(client):
    seminar = SeminarFactory(capacity=5)
    page = text_of(client.get(seminar.get_absolute_url()))
    assert "Registration is open: 5 seats are free." in page
    assert "Log in or sign up to register." in page


def test_student_names_hidden_from_visitors(client, demo):
    page = text_of(client.get(SEMINAR_URL))
    assert "Alex Kramer" not in page
    assert "(1, GG) Generative Modeling by Estimating Gradients" in page


def test_student_names_shown_to_participants(client, demo):
    client.force_login(UserFactory._meta.model.objects.get(email="alex.kramer@example.org"))
    page = text_of(client.get(SEMINAR_URL))
    assert "Alex Kramer (1, GG) Generative Modeling by Estimating Gradients" in page
    assert "Lea Fischer (1, MB) Continuous diffusion for categorical data" in page


def test_student_names_shown_to_staff(client, demo):
    client.force_login(UserFactory._meta.model.objects.get(email="moritz.bauer@example.org"))
    page = text_of(client.get(SEMINAR_URL))
    assert "Bea Lindholm (2, MB) Permutation Invariant Graph Generation" in page


def test_student_names_hidden_from_students_of_other_seminars(client, demo):
    client.force_login(UserFactory())
    page = text_of(client.get(SEMINAR_URL))
    assert "Alex Kramer" not in page


def test_seminar_list_shows_current_first(client):
    past = SeminarFactory(title="Past seminar")
    past.meetings.create(kind="session", date=dt.date(2020, 3, 1), start_time=dt.time(9), room="1")
    current = SeminarFactory(title="Current seminar")
    current.meetings.create(
        kind="session", date=dt.date(2099, 3, 1), start_time=dt.time(9), room="1"
    )
    page = text_of(client.get(reverse("seminar:list")))
    assert page.index("Current seminar") < page.index("Past seminar")


def test_unknown_seminar_is_404(client):
    assert client.get("/no-such-seminar/").status_code == 404


def test_healthz_answers_ok(client):
    response = client.get("/healthz/")
    assert (response.status_code, response.content) == (200, b"ok")


def test_page_has_viewport_and_no_external_assets(client, demo):
    html = response_html(client)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert re.findall(r'(?:src|href)="(https?://[^"]+\.(?:css|js))"', html) == []
    assert '<html lang="en">' in html


def test_seminar_page_names_staff_with_roles_and_initials(client, demo):
    staff = re.search(
        r'<ul class="list-unstyled mb-0" aria-label="Staff" data-testid="staff">(.*?)</ul>',
        response_html(client),
        re.S,
    )
    items = [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", staff.group(1))]
    assert items == [
        "Prof. Dr. Helena Brandt (HB): organizer",
        "Greta Gruber, MSc (GG): supervisor",
        "Dr. Moritz Bauer (MB): supervisor",
    ]


def test_seminar_page_shows_the_registration_window(client):
    opens = dt.datetime(2099, 1, 9, 10, tzinfo=dt.UTC)
    seminar = SeminarFactory(
        registration_opens_at=opens, registration_closes_at=opens + dt.timedelta(days=14)
    )
    page = text_of(client.get(seminar.get_absolute_url()))
    assert (
        "Registration: from Friday, 9 January 2099, 11:00 to Friday, 23 January 2099, 11:00; "
        "when the seminar is full or registration has closed, you can join the waiting list "
        "until the first session."
    ) in page


def test_seminar_page_hides_sections_left_empty(client):
    seminar = SeminarFactory(overview="", background="", requirements="", discussions_text="")
    page = text_of(client.get(seminar.get_absolute_url()))
    assert "Topic overview" not in page
    assert "To pass the seminar" not in page
    assert "Discussions" not in page


@pytest.mark.parametrize(
    ("setup", "phase"),
    [
        ({"capacity": 2}, "Open"),
        ({"capacity": 0}, "Full, waiting list open"),
        ({"registration_closes_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)}, "Closed"),
        ({"registration_opens_at": dt.datetime(2099, 1, 1, tzinfo=dt.UTC)}, "Not open yet"),
        ({"session_days_ago": 0}, "Running"),
        ({"session_days_ago": 30}, "Ended"),
    ],
)
def test_seminar_list_shows_each_seminars_state(client, setup, phase):
    days_ago = setup.pop("session_days_ago", None)
    seminar = SeminarFactory(**setup)
    if days_ago is not None:
        seminar.meetings.create(
            kind="session",
            date=timezone.localdate() - dt.timedelta(days=days_ago),
            start_time=dt.time(0, 0),
            room="1",
        )
    html = client.get(reverse("seminar:list")).content.decode()
    found = re.search(r'data-testid="seminar-phase">([^<]*)<', html)
    assert found.group(1) == phase


def test_ended_seminar_says_so_on_its_page(client):
    seminar = SeminarFactory()
    seminar.meetings.create(
        kind="session", date=dt.date(2020, 3, 1), start_time=dt.time(9), room="1"
    )
    assert "The seminar has ended." in text_of(client.get(seminar.get_absolute_url()))


def test_favicon_is_linked_and_found(client):
    html = client.get(reverse("seminar:list")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert (response.status_code, response.url) == (302, "/static/favicon.ico")
