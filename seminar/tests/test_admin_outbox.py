"""The outbox in the admin: superusers see every e-mail, organizers their seminars' e-mails,
nobody else any; it is read-only except for sending failed e-mails again."""

import pytest
from django.urls import reverse

from mail.enums import EmailStatus
from mail.models import OutgoingEmail
from mail.tests.factories import OutgoingEmailFactory
from seminar.admin import OutgoingEmailAdmin
from seminar.enums import StaffKind
from seminar.models import ActivityEntry
from seminar.services.staff import staff_role_add
from seminar.tests.factories import SeminarFactory, StaffUserFactory, UserFactory
from seminar.tests.queries import queries_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:mail_outgoingemail_changelist")


@pytest.fixture
def outbox():
    ours, theirs = SeminarFactory(title="Ours"), SeminarFactory(title="Theirs")
    return {
        "ours": ours,
        "mine": OutgoingEmailFactory(seminar=ours, status=EmailStatus.FAILED, attempts=6),
        "theirs": OutgoingEmailFactory(seminar=theirs, status=EmailStatus.FAILED, attempts=6),
        "site": OutgoingEmailFactory(seminar=None),
    }


def person(role: str, seminar):
    if role == "superuser":
        return StaffUserFactory(is_superuser=True)
    if role == "student":
        return UserFactory()
    user = StaffUserFactory()
    kind = StaffKind.ORGANIZER if role == "organizer" else StaffKind.SUPERVISOR
    staff_role_add(seminar=seminar, user=user, kind=kind)
    return user


@pytest.mark.parametrize(
    ("role", "status", "visible"),
    [
        ("superuser", 200, ["mine", "theirs", "site"]),
        ("organizer", 200, ["mine"]),
        ("supervisor", 403, None),
        ("student", 302, None),  # to the admin's login
    ],
)
def test_outbox_list_by_role(client, outbox, role, status, visible):
    client.force_login(person(role, outbox["ours"]))
    response = client.get(CHANGELIST)
    assert response.status_code == status
    if visible is not None:
        shown = {e.pk for e in response.context["cl"].result_list}
        assert shown == {outbox[name].pk for name in visible}


def test_organizer_cannot_open_another_seminars_email(client, outbox):
    client.force_login(person("organizer", outbox["ours"]))
    mine = reverse("admin:mail_outgoingemail_change", args=[outbox["mine"].pk])
    theirs = reverse("admin:mail_outgoingemail_change", args=[outbox["theirs"].pk])
    assert client.get(mine).status_code == 200
    assert client.get(theirs).status_code == 302  # "does not exist", like any other row


@pytest.mark.parametrize("role", ["superuser", "organizer"])
def test_outbox_is_read_only_for_everyone(client, outbox, role):
    client.force_login(person(role, outbox["ours"]))
    email = outbox["mine"]
    change = reverse("admin:mail_outgoingemail_change", args=[email.pk])
    assert client.post(change, {"to": "someone@example.org"}).status_code == 403
    assert client.get(reverse("admin:mail_outgoingemail_add")).status_code == 403
    delete = reverse("admin:mail_outgoingemail_delete", args=[email.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert OutgoingEmail.objects.get(pk=email.pk).to == email.to
    choices = client.get(CHANGELIST).context["action_form"].fields["action"].choices
    assert [name for name, _ in choices if name] == ["resend"]  # no "delete selected"


def test_resend_action_declares_its_permission():
    assert OutgoingEmailAdmin.resend.allowed_permissions == ["resend"]


def test_organizer_resends_a_failed_email_of_their_seminar_only(
    client, outbox, django_capture_on_commit_callbacks
):
    client.force_login(person("organizer", outbox["ours"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "resend", "_selected_action": [outbox["mine"].pk, outbox["theirs"].pk]},
        )
    assert response.status_code == 302
    mine, theirs = (OutgoingEmail.objects.get(pk=outbox[n].pk) for n in ("mine", "theirs"))
    assert (mine.status, mine.attempts) == (EmailStatus.SENT, 1)
    assert (theirs.status, theirs.attempts) == (EmailStatus.FAILED, 6)
    entry = ActivityEntry.objects.get(action="email.resent")
    assert (entry.object_id, entry.seminar, entry.old["status"], entry.new["status"]) == (
        str(mine.pk),
        outbox["ours"],
        "failed",
        "queued",
    )


def test_resend_skips_emails_that_did_not_fail(client, outbox, django_capture_on_commit_callbacks):
    client.force_login(person("superuser", outbox["ours"]))
    queued = outbox["site"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            CHANGELIST, {"action": "resend", "_selected_action": [queued.pk]}, follow=True
        )
    assert [str(m) for m in response.context["messages"]] == [
        "0 queued again.",
        "1 skipped: only failed e-mails are sent again.",
    ]
    assert (OutgoingEmail.objects.get(pk=queued.pk).status, callbacks) == (
        EmailStatus.QUEUED,
        [],
    )


def test_supervisor_group_cannot_resend():
    supervisor = person("supervisor", SeminarFactory())
    assert supervisor.has_perm("mail.resend_outgoingemail") is False
    organizer = person("organizer", SeminarFactory())
    assert organizer.has_perm("mail.resend_outgoingemail") is True


@pytest.mark.parametrize("role", ["superuser", "organizer"])
def test_outbox_list_queries_do_not_grow_with_emails(client, role):
    counts = []
    for size in (2, 30):
        seminar = SeminarFactory()
        OutgoingEmailFactory.create_batch(size, seminar=seminar)
        client.force_login(person(role, seminar))
        counts.append(queries_of(client, CHANGELIST))
    assert counts[0] == counts[1]
