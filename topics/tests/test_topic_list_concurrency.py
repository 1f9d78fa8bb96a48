"""Two confirmations of one topic list at the same moment (PostgreSQL): the topics exist once.

Both requests are made to meet at the seminar's lock (see test_concurrency); the second one
checks the file again under the lock, finds every title taken and stores nothing."""

import base64

import pytest
from django.urls import reverse

from seminar.enums import StaffKind
from seminar.models import ActivityEntry
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.tests.factories import SeminarFactory, StaffUserFactory
from topics.models import Topic
from topics.tests.test_concurrency import (  # noqa: F401 (fixture)
    _celery_join_flag_kept,
    at_once,
    send,
    session_of,
)

pytestmark = pytest.mark.postgres


def test_the_same_topic_list_confirmed_twice_at_once_is_stored_once(live_server):
    staff_groups_ensure()
    seminar = SeminarFactory()
    organizer = StaffUserFactory()
    staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
    staff_role_add(
        seminar=seminar, user=StaffUserFactory(email="sup@example.org"), kind=StaffKind.SUPERVISOR
    )
    text = "title,supervisor_email\r\n" + "".join(
        f"Paper {n},sup@example.org\r\n" for n in range(1, 13)
    )
    content = base64.b64encode(text.encode()).decode()
    session = session_of(organizer)
    path = reverse("topics:topic_list_import", args=[seminar.slug])

    answers = at_once(
        seminar,
        [
            lambda: send(
                live_server.url, "POST", path, session, {"confirm": "yes", "content": content}
            )
        ]
        * 2,
    )

    assert sorted(a.status for a in answers) == [302, 400]
    assert Topic.objects.filter(seminar=seminar).count() == 12
    assert ActivityEntry.objects.filter(action="topics.imported").count() == 1
