"""Dates organizers save are checked for a sane range; pages never fail on an older bad one."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from seminar.enums import StaffKind
from seminar.models import Meeting, Seminar
from seminar.models.seminar import validate_sane_date
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.tests.admin_pages import page_data
from seminar.tests.factories import (
    MeetingFactory,
    RegistrationFactory,
    SeminarFactory,
    StaffUserFactory,
)
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (dt.date(1999, 12, 31), False),
        (dt.date(2000, 1, 1), True),
        (dt.date(2100, 12, 31), True),
        (dt.date(2101, 1, 1), False),
        (dt.date(9999, 12, 31), False),
    ],
)
def test_sane_date_range(day, valid):
    try:
        validate_sane_date(day)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted is valid


def test_organizer_cannot_save_a_session_in_year_9999(client):
    staff_groups_ensure()
    seminar = SeminarFactory()
    session = MeetingFactory(seminar=seminar)
    organizer = StaffUserFactory()
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
    client.force_login(organizer)
    url = reverse("admin:seminar_seminar_change", args=[seminar.pk])
    data = page_data(client.get(url))
    response = client.post(
        url,
        data | {"meetings-0-date": "9999-12-31", "registration_opens_at_0": "9999-01-01"},
    )
    assert response.status_code == 200
    meetings = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Meeting
    )
    assert meetings.errors == [
        {
            "date": [
                "Enter a date between the years 2000 and 2100; 9999 looks like a typing mistake."
            ]
        }
    ]
    assert response.context["adminform"].form.errors == {
        "registration_opens_at": [
            "Enter a date between the years 2000 and 2100; 9999 looks like a typing mistake."
        ]
    }
    session.refresh_from_db()
    assert session.date != dt.date(9999, 12, 31)


@pytest.mark.parametrize("day", [dt.date(9999, 12, 31), dt.date(1, 1, 1)])
def test_pages_show_a_date_saved_before_it_was_checked(client, day):
    seminar = SeminarFactory()
    session = MeetingFactory(seminar=seminar)
    TopicFactory(seminar=seminar, session=session, slot=6)
    student = RegistrationFactory(seminar=seminar).student
    # As saved before validation existed: straight to the database.
    Meeting.objects.filter(pk=session.pk).update(date=day)
    Seminar.objects.filter(pk=seminar.pk).update(exam_registration_date=day)
    pages = [
        seminar.get_absolute_url(),
        reverse("seminar:list"),
        reverse("seminar:dashboard", args=[seminar.slug]),
    ]
    statuses = [client.get(pages[0]).status_code, client.get(pages[1]).status_code]
    client.force_login(student)
    statuses += [client.get(page).status_code for page in pages]
    assert statuses == [200, 200, 200, 200, 200]
