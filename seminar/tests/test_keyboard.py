"""Every form of the site works by keyboard alone, with a visible focus: Tab and Shift+Tab move
through it, Space ticks and presses, Enter sends, and whatever has the focus shows it (its
outline or box-shadow differs from the same element without the focus). No mouse: nothing here
clicks."""

import pytest

from demo.loader import CURRENT_SLUG
from seminar.enums import RegistrationStatus
from seminar.models import Registration, Seminar, User
from seminar.tests.keyboard import PARTICIPANT, PROFESSOR, Keyboard, demo, log_in  # noqa: F401
from seminar.tests.test_accessibility import browser  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signup_login_and_register_by_keyboard(live_server, demo, browser):  # noqa: F811
    keys = Keyboard(browser.new_page(), live_server.url)
    keys.goto("/accounts/signup/")
    keys.type("#id_full_name", "Kim Keyboard")
    keys.type("#id_email", "kim@example.org")
    keys.type("#id_matriculation_number", "1234567")
    keys.tab_to("#id_degree_level")
    keys.press("ArrowDown")  # a select is chosen by its arrows
    keys.type("#id_programme", "Computer Science")
    keys.type("#id_password1", "a long pass phrase 42")
    keys.type("#id_password2", "a long pass phrase 42")
    keys.tab_to("button[type=submit]:not(.nav-link)")
    keys.submit()
    user = User.objects.get(email="kim@example.org")

    keys.goto(f"/{CURRENT_SLUG}/")
    keys.tab_to(f"form[action='/{CURRENT_SLUG}/register/'] button")
    keys.submit("Space")
    registration = Registration.objects.get(seminar=demo, student=user)

    keys.goto(f"/{CURRENT_SLUG}/withdraw/")
    keys.tab_to("main button.btn-danger")
    keys.submit()
    registration.refresh_from_db()
    assert (registration.status, keys.invisible) == (RegistrationStatus.WITHDRAWN, [])


def test_preferences_by_keyboard(live_server, demo, browser):  # noqa: F811
    topics = list(demo.topics.order_by("pk")[:3])
    keys = Keyboard(browser.new_page(), live_server.url)
    log_in(keys, PARTICIPANT)
    keys.goto(f"/{CURRENT_SLUG}/preferences/")
    for topic in topics:
        keys.tab_to(f"input[value='{topic.pk}']")
        keys.press("Space")
    keys.tab_to("form button[type=submit]:not(.nav-link)")
    keys.submit()
    chosen = set(
        Registration.objects.get(seminar=demo, student__email=PARTICIPANT).preferences.values_list(
            "topic_id", flat=True
        )
    )
    assert (chosen, keys.invisible) == ({t.pk for t in topics}, [])


def test_organizer_capacity_by_keyboard(live_server, demo, browser):  # noqa: F811
    keys = Keyboard(browser.new_page(), live_server.url)
    log_in(keys, PROFESSOR)
    keys.goto(f"/{CURRENT_SLUG}/organize/")
    keys.type("#id_capacity", "31")
    keys.submit()
    demo.refresh_from_db()
    keys.goto(f"/{CURRENT_SLUG}/organize/")
    keys.type("input[name=q]", "kramer")
    keys.submit()
    assert (demo.capacity, "q=kramer" in keys.page.url, keys.invisible) == (31, True, [])


def test_password_reset_by_keyboard(live_server, demo, browser):  # noqa: F811
    keys = Keyboard(browser.new_page(), live_server.url)
    keys.goto("/accounts/password_reset/")
    keys.type("#id_email", PARTICIPANT)
    keys.submit()
    assert (keys.page.url, keys.invisible) == (
        f"{live_server.url}/accounts/password_reset/done/",
        [],
    )


def test_allocation_run_and_late_choice_hours_by_keyboard(live_server, demo, browser):  # noqa: F811
    keys = Keyboard(browser.new_page(), live_server.url)
    log_in(keys, PROFESSOR)
    keys.goto(f"/{CURRENT_SLUG}/organize/allocation/")
    keys.type("#id_seed", "7")
    keys.submit()
    keys.type("#id_late_choice_hours", "12")
    keys.submit()
    run = demo.allocation_runs.get()
    hours = Seminar.objects.get(pk=demo.pk).topic_settings.late_choice_hours
    assert (run.seed, hours, keys.invisible) == (7, 12, [])
