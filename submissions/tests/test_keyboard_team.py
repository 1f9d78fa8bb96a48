"""The project team's forms by keyboard alone, with a visible focus at every step: invite a
partner, withdraw an invitation, decline and accept one, leave the team. Nothing clicks (see
seminar/tests/keyboard.py)."""

import pytest

from demo.loader import CURRENT_SLUG
from seminar.tests.keyboard import PARTICIPANT, Keyboard, demo, log_in  # noqa: F401
from seminar.tests.test_accessibility import browser  # noqa: F401 (the fixture)
from submissions.models import TeamInvitation, TeamMembership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARD = f"/{CURRENT_SLUG}/me/"
PARTNER = "bea.lindholm@example.org"
OTHER = "chidi.okafor@example.org"


def _student(browser, base_url: str, email: str) -> Keyboard:  # noqa: F811
    """A student of the demo seminar on their dashboard, in a browser session of their own."""
    keys = Keyboard(browser.new_context().new_page(), base_url)
    log_in(keys, email)
    keys.goto(DASHBOARD)
    return keys


def _invite(keys: Keyboard, email: str, key: str) -> None:
    keys.type("#id_team_email", email)
    keys.tab_to(f"form[action='/{CURRENT_SLUG}/team/invite/'] button")
    keys.submit(key)


def _answer(keys: Keyboard, action: str, key: str) -> None:
    keys.tab_to(f"form[action$='/{action}/'] button")
    keys.submit(key)


def _invitees() -> list[str]:
    return list(
        TeamInvitation.objects.order_by("pk").values_list("invitee__student__email", flat=True)
    )


def _teams() -> dict[str, int]:
    """Each member's team, by e-mail address."""
    memberships = TeamMembership.objects.filter(team__seminar__slug=CURRENT_SLUG)
    return dict(memberships.values_list("registration__student__email", "team_id"))


def test_invite_withdraw_and_decline_by_keyboard(live_server, demo, browser):  # noqa: F811
    alex = _student(browser, live_server.url, PARTICIPANT)
    _invite(alex, OTHER, "Enter")
    invited = _invitees()
    _answer(alex, "withdraw", "Enter")
    withdrawn = _invitees()
    _invite(alex, OTHER, "Space")
    chidi = _student(browser, live_server.url, OTHER)
    _answer(chidi, "decline", "Space")
    assert (invited, withdrawn, _invitees()) == ([OTHER], [], [])
    assert (alex.invisible, chidi.invisible) == ([], [])


def test_accept_and_leave_by_keyboard(live_server, demo, browser):  # noqa: F811
    alex = _student(browser, live_server.url, PARTICIPANT)
    _invite(alex, PARTNER, "Enter")
    bea = _student(browser, live_server.url, PARTNER)
    _answer(bea, "accept", "Space")
    joined = _teams()
    _answer(bea, "leave", "Enter")
    left = _teams()
    assert (set(joined), joined[PARTICIPANT] == joined[PARTNER]) == ({PARTICIPANT, PARTNER}, True)
    assert (PARTNER in left, bea.page.url) == (False, f"{live_server.url}{DASHBOARD}#team")
    assert (alex.invisible, bea.invisible) == ([], [])
