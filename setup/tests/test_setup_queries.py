"""The setup pages that list things (staff, topics, sessions, the checklist) make the same
number of queries for a small and a large seminar."""

import datetime as dt

import pytest
from django.urls import reverse

from seminar.enums import StaffKind
from seminar.models import Seminar
from seminar.tests.factories import MeetingFactory, StaffRoleFactory
from seminar.tests.queries import queries_of
from setup.tests.test_setup_pages import BASICS, creator  # noqa: F401  (fixture)
from topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def _grow(seminar: Seminar, size: int, start: int) -> None:
    for i in range(start, start + size):
        role = StaffRoleFactory(seminar=seminar, kind=StaffKind.SUPERVISOR)
        session = MeetingFactory(seminar=seminar, date=dt.date(2027, 3, 1) + dt.timedelta(days=i))
        TopicFactory(seminar=seminar, supervisor=role, session=session, slot=1)


@pytest.mark.parametrize("page", ["overview", "dates", "staff", "topics"])
def test_setup_page_queries_do_not_grow_with_the_seminar(client, creator, page):  # noqa: F811
    client.force_login(creator)
    client.post(reverse("setup:new"), BASICS)
    seminar = Seminar.objects.get()
    url = (
        reverse("setup:overview", args=[seminar.slug])
        if page == "overview"
        else reverse("setup:step", args=[seminar.slug, page])
    )
    _grow(seminar, 2, 0)
    queries_of(client, url)  # warm-up: content types, the session
    small = queries_of(client, url)
    _grow(seminar, 28, 2)
    assert queries_of(client, url) == small
