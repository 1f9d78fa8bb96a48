"""The organizer grants and revokes extensions by keyboard alone, with a visible focus at every
step: lists chosen by typing, the date typed into its fields, the team box ticked with Space.
Nothing clicks (see seminar/tests/keyboard.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from demo.loader import CURRENT_SLUG
from seminar.deadlines import end_of_day
from seminar.models import Registration
from seminar.tests.keyboard import PROFESSOR, Keyboard, demo, log_in  # noqa: F401
from seminar.tests.test_accessibility import browser  # noqa: F401 (the fixture)
from submissions.models import Extension
from submissions.services.teams import team_invitation_accept, team_invite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MATRIX = f"/{CURRENT_SLUG}/organize/submissions/"


def _grant(keys: Keyboard, student: str, deliverable: str, day: dt.date, reason: str) -> None:
    keys.tab_to("#id_registration")
    keys.page.keyboard.type(student)  # a list picks the option its typed name starts with
    keys.tab_to("#id_deliverable")
    keys.page.keyboard.type(deliverable)
    keys.type("#id_day", day.strftime("%m%d%Y"))  # Chromium's date fields, in English order
    keys.type("#id_reason", reason)
    keys.tab_to("form[action$='/extensions/'] button[type=submit]")
    keys.submit()


def _extensions() -> list[tuple]:
    return list(
        Extension.objects.order_by("pk").values_list(
            "registration__student__email",
            "team_id",
            "deliverable__kind",
            "due_at",
            "reason",
            "granted_by__email",
        )
    )


def test_grant_and_revoke_an_extension_by_keyboard(live_server, demo, browser):  # noqa: F811
    day = timezone.localdate() + dt.timedelta(days=200)
    keys = Keyboard(browser.new_page(), live_server.url)
    log_in(keys, PROFESSOR)
    keys.goto(MATRIX)
    _grant(keys, "Bea", "Reports", day, "Ill for two weeks.")
    granted = _extensions()
    keys.tab_to("form[action*='/extensions/'][action$='/revoke/'] button")
    keys.submit("Space")
    assert granted == [
        (
            "bea.lindholm@example.org",
            None,
            "reports",
            end_of_day(day),
            "Ill for two weeks.",
            PROFESSOR,
        )
    ]
    assert (_extensions(), keys.invisible) == ([], [])


def test_grant_a_team_extension_by_keyboard(live_server, demo, browser):  # noqa: F811
    alex, bea = Registration.objects.filter(seminar=demo).order_by("student__full_name")[:2]
    invitation = team_invite(registration=alex, email=bea.student.email)
    team = team_invitation_accept(invitation_id=invitation.pk, registration=bea)
    day = timezone.localdate() + dt.timedelta(days=200)
    keys = Keyboard(browser.new_page(), live_server.url)
    log_in(keys, PROFESSOR)
    keys.goto(MATRIX)
    keys.tab_to("#id_registration")
    keys.page.keyboard.type("Bea")
    keys.tab_to("#id_deliverable")
    keys.page.keyboard.type("Practical")
    keys.tab_to("#id_whole_team")
    keys.press("Space")
    keys.type("#id_day", day.strftime("%m%d%Y"))
    keys.type("#id_reason", "The server they build on was down.")
    keys.tab_to("form[action$='/extensions/'] button[type=submit]")
    keys.submit()
    assert _extensions() == [
        (None, team.pk, "project", end_of_day(day), "The server they build on was down.", PROFESSOR)
    ]
    assert keys.invisible == []
