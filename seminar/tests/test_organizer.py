"""The organizer's page: only the seminar's organizers reach it; everyone else gets a 404."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import Registration
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffRoleFactory,
    UserFactory,
)
from topics.models import AllocationRun, Assignment

pytestmark = pytest.mark.django_db

Status = RegistrationStatus


@pytest.fixture
def seminar():
    return SeminarFactory(capacity=2)


@pytest.fixture
def organizer(seminar):
    return StaffRoleFactory(seminar=seminar, kind=StaffKind.ORGANIZER).user


def organize_url(seminar, suffix: str = "") -> str:
    return reverse("seminar:organize", kwargs={"slug": seminar.slug}) + suffix


@pytest.mark.parametrize("who", ["student", "other_student", "other_supervisor", "own_supervisor"])
def test_organizer_page_is_404_for_everyone_else(client, seminar, who):
    participant = RegistrationFactory(seminar=seminar)
    users = {
        "student": participant.student,
        "other_student": UserFactory(),
        "other_supervisor": StaffRoleFactory().user,  # supervises another seminar
        "own_supervisor": StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR).user,
    }
    client.force_login(users[who])
    assert client.get(organize_url(seminar)).status_code == 404
    assert client.get(organize_url(seminar, "participants.csv")).status_code == 404
    action = reverse("seminar:participant_action", args=[seminar.slug, participant.pk, "remove"])
    assert client.post(action).status_code == 404
    participant.refresh_from_db()
    assert participant.status == Status.CONFIRMED


def test_organizer_page_lists_states_with_positions(client, seminar, organizer):
    confirmed = [RegistrationFactory(seminar=seminar) for _ in range(2)]
    waiting = [
        RegistrationFactory(seminar=seminar, status=Status.WAITING, queue_number=n) for n in (5, 9)
    ]
    client.force_login(organizer)
    response = client.get(organize_url(seminar))
    rows = [(r.student.full_name, r.status, r.position) for r in response.context["registrations"]]
    assert rows == [
        (confirmed[0].student.full_name, Status.CONFIRMED, None),
        (confirmed[1].student.full_name, Status.CONFIRMED, None),
        (waiting[0].student.full_name, Status.WAITING, 1),
        (waiting[1].student.full_name, Status.WAITING, 2),
    ]


def test_organizer_filters_and_searches(client, seminar, organizer):
    RegistrationFactory(seminar=seminar, student=UserFactory(full_name="Ada Lovelace"))
    RegistrationFactory(
        seminar=seminar, status=Status.WAITING, student=UserFactory(full_name="Alan Turing")
    )
    client.force_login(organizer)
    waiting = client.get(organize_url(seminar), {"status": "waiting"}).context["registrations"]
    assert [r.student.full_name for r in waiting] == ["Alan Turing"]
    found = client.get(organize_url(seminar), {"q": "lovel"}).context["registrations"]
    assert [r.student.full_name for r in found] == ["Ada Lovelace"]


def test_organizer_exports_participants_csv(client, seminar, organizer):
    RegistrationFactory(
        seminar=seminar,
        student=UserFactory(
            full_name="Ada Lovelace", email="ada@example.org", matriculation_number="2600001"
        ),
    )
    RegistrationFactory(
        seminar=seminar,
        status=Status.WAITING,
        queue_number=3,
        student=UserFactory(full_name="Alan Turing"),
    )
    client.force_login(organizer)
    response = client.get(organize_url(seminar, "participants.csv"))
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "name",
        "email",
        "matriculation_number",
        "degree_level",
        "programme",
        "status",
        "waiting_position",
    ]
    assert rows[1][:7] == [
        "Ada Lovelace",
        "ada@example.org",
        "2600001",
        "master",
        "Computer Science",
        "confirmed",
        "",
    ]
    assert rows[2][0] == "Alan Turing"
    assert rows[2][5:7] == ["waiting", "1"]
    assert len(rows) == 3
    assert rows[0][10:] == ["topic", "supervisor", "talk_at", "talk_room"]
    assert rows[1][10:] == ["", "", "", ""]  # nothing published yet


def test_organizer_csv_neutralises_formulas_and_keeps_names(client, seminar, organizer):
    for name in ['=HYPERLINK("http://evil.example","x")', "+1", "-1", "@SUM(A1)", "\tTab", "Zoë"]:
        RegistrationFactory(seminar=seminar, student=UserFactory(full_name=name))
    client.force_login(organizer)
    response = client.get(organize_url(seminar, "participants.csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    names = [row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))]
    assert names[1:] == [
        '\'=HYPERLINK("http://evil.example","x")',
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tTab",
        "Zoë",
    ]


def test_organizer_csv_has_published_topic_supervisor_and_talk(client, seminar, organizer):
    from topics.tests.factories import TopicFactory

    session = MeetingFactory(seminar=seminar, date=dt.date(2099, 3, 6), start_time=dt.time(9, 30))
    supervisor = StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR, listed_as="Dr. Mo")
    topic = TopicFactory(
        seminar=seminar, title="Score models", session=session, slot=1, supervisor=supervisor
    )
    registration = RegistrationFactory(seminar=seminar, student=UserFactory(full_name="Ada"))
    run = AllocationRun.objects.create(
        seminar=seminar, number=1, seed=1, published_at=timezone.now()
    )
    Assignment.objects.create(run=run, registration=registration, topic=topic, reason="allocation")
    client.force_login(organizer)
    response = client.get(organize_url(seminar, "participants.csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "Ada"
    assert rows[1][10:] == ["Score models", "Dr. Mo", "2099-03-06T09:30+01:00", "1.06 (E1.1)"]


def test_organizer_removes_and_seat_goes_to_waiting(client, seminar, organizer):
    confirmed = RegistrationFactory(seminar=seminar)
    RegistrationFactory(seminar=seminar)
    waiting = RegistrationFactory(seminar=seminar, status=Status.WAITING)
    client.force_login(organizer)
    client.post(reverse("seminar:participant_action", args=[seminar.slug, confirmed.pk, "remove"]))
    assert Registration.objects.get(pk=confirmed.pk).status == Status.REMOVED
    assert Registration.objects.get(pk=waiting.pk).status == Status.OFFERED


def test_organizer_moves_in_waiting_list(client, seminar, organizer):
    RegistrationFactory.create_batch(2, seminar=seminar)
    first, second = (
        RegistrationFactory(seminar=seminar, status=Status.WAITING, queue_number=n) for n in (1, 2)
    )
    client.force_login(organizer)
    client.post(
        reverse("seminar:participant_action", args=[seminar.slug, second.pk, "move"]),
        {"position": "1"},
    )
    order = Registration.objects.filter(status=Status.WAITING).order_by("queue_number")
    assert [r.pk for r in order] == [second.pk, first.pk]


def test_organizer_move_with_bad_position_changes_nothing(client, seminar, organizer):
    RegistrationFactory.create_batch(2, seminar=seminar)
    waiting = RegistrationFactory(seminar=seminar, status=Status.WAITING, queue_number=1)
    client.force_login(organizer)
    response = client.post(
        reverse("seminar:participant_action", args=[seminar.slug, waiting.pk, "move"]),
        {"position": "first"},
        follow=True,
    )
    assert "Enter the new position as a whole number from 1." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.queue_number == 1


def test_organizer_action_on_registration_of_other_seminar_is_404(client, seminar, organizer):
    foreign = RegistrationFactory()
    client.force_login(organizer)
    url = reverse("seminar:participant_action", args=[seminar.slug, foreign.pk, "remove"])
    assert client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Status.CONFIRMED


def test_organizer_sets_capacity_and_refusal_keeps_it(client, seminar, organizer):
    RegistrationFactory.create_batch(2, seminar=seminar)
    client.force_login(organizer)
    url = reverse("seminar:capacity_set", args=[seminar.slug])
    response = client.post(url, {"capacity": "1"}, follow=True)
    assert "2 seats are taken; the capacity cannot be lower than that." in response.content.decode()
    seminar.refresh_from_db()
    assert seminar.capacity == 2
    client.post(url, {"capacity": "5"})
    seminar.refresh_from_db()
    assert seminar.capacity == 5


def test_organizer_closes_and_opens_registration(client, seminar, organizer, monkeypatch):
    # The seminar app alone: no higher app's checklist stands in the way (setup tests that).
    monkeypatch.setattr("seminar.slots._opening_checks", [])
    client.force_login(organizer)
    client.post(reverse("seminar:registration_toggle", args=[seminar.slug, "close"]))
    seminar.refresh_from_db()
    assert seminar.registration_is_open(seminar.registration_closes_at) is False
    client.post(reverse("seminar:registration_toggle", args=[seminar.slug, "open"]))
    seminar.refresh_from_db()
    assert seminar.registration_closes_at is None


def test_seminar_page_links_organizer_page_for_organizers_only(client, seminar, organizer):
    client.force_login(organizer)
    assert "Organize this seminar" in client.get(seminar.get_absolute_url()).content.decode()
    client.force_login(RegistrationFactory(seminar=seminar).student)
    assert "Organize this seminar" not in client.get(seminar.get_absolute_url()).content.decode()


def test_organizer_remove_asks_first_and_says_who_is_emailed(client, seminar, organizer):
    leaving = RegistrationFactory(seminar=seminar, student=UserFactory(full_name="Ada Lovelace"))
    RegistrationFactory(seminar=seminar)
    RegistrationFactory(seminar=seminar, status=Status.WAITING)
    client.force_login(organizer)
    url = reverse("seminar:participant_action", args=[seminar.slug, leaving.pk, "remove"])
    page = client.get(url + "?status=confirmed&q=ada").content.decode()
    assert (
        '<p data-testid="emailed">2 students will be e-mailed:\n  Ada Lovelace, that they were '
        "removed, and 1 student from the waiting list, offered the freed seat.</p>"
    ) in page
    assert Registration.objects.get(pk=leaving.pk).status == Status.CONFIRMED
    response = client.post(url, {"status": "confirmed", "q": "ada"})
    assert response.url == organize_url(seminar, "?status=confirmed&q=ada")
    assert Registration.objects.get(pk=leaving.pk).status == Status.REMOVED


def test_organizer_remove_of_someone_waiting_emails_only_them(client, seminar, organizer):
    RegistrationFactory.create_batch(2, seminar=seminar)
    waiting = RegistrationFactory(seminar=seminar, status=Status.WAITING)
    client.force_login(organizer)
    url = reverse("seminar:participant_action", args=[seminar.slug, waiting.pk, "remove"])
    assert "1 student will be e-mailed:" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("capacity", {"capacity": "5"}),
        ("close", {}),
        ("move", {"position": "1"}),
        ("promote", {}),
    ],
)
def test_organizer_action_keeps_the_filters(client, seminar, organizer, action, data):
    waiting = RegistrationFactory(seminar=seminar, status=Status.WAITING)
    urls = {
        "capacity": reverse("seminar:capacity_set", args=[seminar.slug]),
        "close": reverse("seminar:registration_toggle", args=[seminar.slug, "close"]),
        "move": reverse("seminar:participant_action", args=[seminar.slug, waiting.pk, "move"]),
        "promote": reverse(
            "seminar:participant_action", args=[seminar.slug, waiting.pk, "promote"]
        ),
    }
    client.force_login(organizer)
    response = client.post(urls[action], {**data, "status": "waiting", "q": "Lové x"})
    assert response.url == organize_url(seminar, "?status=waiting&q=Lov%C3%A9+x")


def test_organizer_page_shows_only_the_registration_button_that_applies(client, seminar, organizer):
    client.force_login(organizer)
    page = client.get(organize_url(seminar)).content.decode()
    assert "Close registration now" in page
    assert "Open registration now" not in page
    client.post(reverse("seminar:registration_toggle", args=[seminar.slug, "close"]))
    page = client.get(organize_url(seminar)).content.decode()
    assert "Open registration now" in page
    assert "Close registration now" not in page


def test_organizer_page_offers_no_registration_button_once_started(client, seminar, organizer):
    MeetingFactory(seminar=seminar, date=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(organizer)
    page = client.get(organize_url(seminar)).content.decode()
    assert 'data-testid="registration-toggle"' not in page


@pytest.mark.parametrize("path", ["", "participants.csv"])
def test_organizer_search_with_nul_byte_finds_nobody(client, seminar, organizer, path):
    RegistrationFactory(seminar=seminar)
    client.force_login(organizer)
    response = client.get(organize_url(seminar, path), {"q": "a\x00b", "status": "\x00"})
    assert response.status_code == 200
    if path:
        assert response.content.decode("utf-8-sig").count("\n") == 1  # the header only
    else:
        assert list(response.context["registrations"]) == []
        assert "Nobody matches." in response.content.decode()


@pytest.mark.postgres
@pytest.mark.parametrize("path", ["", "participants.csv"])
def test_organizer_search_with_nul_byte_on_postgresql(client, seminar, organizer, path):
    test_organizer_search_with_nul_byte_finds_nobody(client, seminar, organizer, path)
