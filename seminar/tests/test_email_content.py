"""What the registration e-mails say, rendered by the real services with the data they pass:
no template lacks a variable, every e-mail answers to the seminar's contact, links use SITE_URL,
the confirmation gives the kick-off and the preference deadline, the waiting-list e-mail how
long an offer is held. Password-reset e-mails use the site's own template set."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mail.models import OutgoingEmail
from mail.tests.templates import missing_variables, strict_templates, template_sets
from seminar.deadlines import at_local
from seminar.enums import MeetingKind
from seminar.models import Registration
from seminar.services import registration as services
from seminar.tests.factories import MeetingFactory, SeminarFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails go out after real commits

SITE_URL = "https://seminar.example.org"
# Far enough ahead that nothing has started, whenever the tests run.
KICKOFF_DAY = dt.date(2031, 1, 6)  # a Monday
PREFERENCES_DUE = at_local(dt.date(2031, 1, 10), dt.time(23, 59, 59, 999999))


@pytest.fixture(autouse=True)
def _strict_templates_and_site_url(settings):
    strict_templates(settings)
    settings.SITE_URL = SITE_URL


def seminar_with_dates(**fields):
    seminar = SeminarFactory(
        contact_name="Helena Brandt",
        contact_email="helena.brandt@example.org",
        preference_deadline=PREFERENCES_DUE,
        **fields,
    )
    MeetingFactory(
        seminar=seminar,
        kind=MeetingKind.KICKOFF,
        date=KICKOFF_DAY,
        start_time=dt.time(14, 15),
        room="328 (E 1.3)",
    )
    MeetingFactory(seminar=seminar, date=KICKOFF_DAY + dt.timedelta(days=56))
    return seminar


def text_to(user) -> str:
    [message] = [m for m in mail.outbox if m.to == [user.email]][-1:]
    return message.body


def test_every_registration_email_renders_with_all_its_data():
    seminar = seminar_with_dates(capacity=1, offer_hours=48)
    ada, bob, cem, dan = UserFactory.create_batch(4)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.registration_create(seminar=seminar, student=ada)  # confirmed
        for student in (bob, cem, dan):
            services.registration_create(seminar=seminar, student=student)  # waiting
        services.registration_withdraw(seminar=seminar, student=ada)  # withdrawn; bob offered
        services.offer_decline(seminar=seminar, student=bob)  # declined; cem offered
    with time_machine.travel(start + dt.timedelta(hours=49), tick=False):
        services.offers_expire(seminar=seminar)  # cem's offer expired; dan offered
        services.offer_accept(seminar=seminar, student=dan)  # promoted
        services.registration_remove(registration=Registration.objects.get(student=dan))

    emails = list(OutgoingEmail.objects.order_by("pk"))
    assert {e.kind for e in emails} == template_sets("registration_")
    for email in emails:
        assert missing_variables(email.subject, email.body_text, email.body_html) == [], email.kind
    assert {m.reply_to[0] for m in mail.outbox} == {"Helena Brandt <helena.brandt@example.org>"}
    assert {e.seminar_id for e in emails} == {seminar.pk}
    dashboard = f"{SITE_URL}/{seminar.slug}/me/"
    assert all(dashboard in e.body_text and f'href="{dashboard}"' in e.body_html for e in emails)


@pytest.mark.parametrize("how", ["registered", "moved up"])
def test_confirmation_gives_kickoff_and_preference_deadline(how):
    seminar = seminar_with_dates(capacity=1, offer_hours=0)
    first, second = UserFactory.create_batch(2)
    services.registration_create(seminar=seminar, student=first)
    if how == "moved up":
        services.registration_create(seminar=seminar, student=second)
        services.registration_withdraw(seminar=seminar, student=first)
    student = first if how == "registered" else second
    body = text_to(student)
    assert (
        "What comes next:\n"
        "- Kick-off meeting: Monday, 6 January 2031 at 14:15, room 328 (E 1.3)\n"
        "- Topic preferences due: Friday, 10 January 2031, 23:59 (Europe/Berlin); "
        "you send them on your page\n\n"
        f"Your page for {seminar.title}: {SITE_URL}/{seminar.slug}/me/\n\n"
        "Questions? Reply to this e-mail; it reaches Helena Brandt <helena.brandt@example.org>."
    ) in body
    html = [m for m in mail.outbox if m.to == [student.email]][-1].alternatives[0][0]
    assert "<li>Kick-off meeting: Monday, 6 January 2031 at 14:15, room 328 (E 1.3)</li>" in html


def test_confirmation_without_kickoff_or_deadline_says_nothing_of_them():
    seminar = SeminarFactory()
    student = UserFactory()
    services.registration_create(seminar=seminar, student=student)
    body = text_to(student)
    assert body.startswith(
        f"Dear {student.full_name},\n\nyou are registered for {seminar.title}. "
        "Your seat is confirmed.\n\nYour page for"
    )
    assert missing_variables(body) == []


@pytest.mark.parametrize(
    ("offer_hours", "says"),
    [
        (48, "is offered it by e-mail and has 48 hours to accept it; after that it goes to "),
        (1, "is offered it by e-mail and has 1 hour to accept it; after that it goes to "),
        (0, "gets it at once and is told by e-mail."),
    ],
)
def test_waiting_list_email_says_how_long_an_offer_is_held(offer_hours, says):
    seminar = SeminarFactory(capacity=1, offer_hours=offer_hours)
    services.registration_create(seminar=seminar, student=UserFactory())
    waiting = UserFactory()
    services.registration_create(seminar=seminar, student=waiting)
    assert f"When a seat frees, the first person in line {says}" in text_to(waiting)


def test_password_reset_uses_the_sites_template_set_and_site_url(client):
    user = UserFactory(email="ada@example.org", full_name="Ada Example")
    client.post(reverse("password_reset"), {"email": "ada@example.org"})
    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert message.subject == "Choose a new password"
    assert message.body.startswith(
        "Dear Ada Example,\n\nsomeone, hopefully you, asked to reset the password of the "
        "account ada@example.org. Choose a new password here:\n\n"
        f"{SITE_URL}/accounts/reset/"
    )
    assert re.search(rf'href="{re.escape(SITE_URL)}/accounts/reset/[^"]+/"', html)
    assert missing_variables(message.subject, message.body, html) == []
    assert user.email == message.to[0]
