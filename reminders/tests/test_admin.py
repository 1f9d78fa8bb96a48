"""The organizer's reminders in the admin: the rules of their own seminars (changed, switched
off, deleted only while they sent nothing, every change logged), what went to whom, and a
preview of every reminder for a chosen student. Others see none of it."""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from mail.enums import EmailStatus
from reminders.enums import ReminderKind
from reminders.models import ReminderRule
from reminders.tests.factories import (
    PREFERENCES_DUE,
    START,
    at,
    moment_of,
    preferences_world,
    reminder_emails,
    rule_of,
    scan,
)
from seminar.enums import StaffKind
from seminar.models import ActivityEntry
from seminar.services.staff import staff_groups_ensure, staff_role_add
from seminar.tests.admin_pages import page_data
from seminar.tests.factories import RegistrationFactory, StaffUserFactory
from seminar.tests.queries import queries_of

pytestmark = pytest.mark.django_db

RULES = reverse("admin:reminders_reminderrule_changelist")
SENT = reverse("admin:reminders_sentreminder_changelist")
PREVIEW = reverse("admin:reminders_reminderrule_preview")


@pytest.fixture
def world():
    """A seminar whose 48-hour preference reminder went out, its organizer and supervisor,
    and another seminar with its own organizer."""
    staff_groups_ensure()
    seminar, people = preferences_world()
    other, _ = preferences_world()
    scan(PREFERENCES_DUE - dt.timedelta(hours=40))  # one reminder in each seminar
    staff = {"organizer": StaffUserFactory(), "supervisor": StaffUserFactory()}
    staff["other"] = StaffUserFactory()
    staff_role_add(seminar=seminar, user=staff["organizer"], kind=StaffKind.ORGANIZER)
    staff_role_add(seminar=seminar, user=staff["supervisor"], kind=StaffKind.SUPERVISOR)
    staff_role_add(seminar=other, user=staff["other"], kind=StaffKind.ORGANIZER)
    return seminar, other, people, staff


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def test_organizer_sees_and_changes_only_their_seminars_rules(client, world):
    seminar, other, _, staff = world
    client.force_login(staff["organizer"])
    response = client.get(RULES)
    assert {rule.seminar_id for rule in listed(response)} == {seminar.pk}
    assert len(listed(response)) == 10
    foreign = rule_of(other, ReminderKind.OFFER, hours=12)
    change = reverse("admin:reminders_reminderrule_change", args=[foreign.pk])
    assert client.get(change).status_code == 302  # "does not exist", as for a missing one
    client.force_login(staff["supervisor"])
    assert client.get(RULES).status_code == 403


def test_organizer_changes_a_rule_through_the_service_and_it_is_logged(client, world):
    seminar, _, _, staff = world
    rule = rule_of(seminar, ReminderKind.OFFER, hours=12)
    client.force_login(staff["organizer"])
    change = reverse("admin:reminders_reminderrule_change", args=[rule.pk])
    data = page_data(client.get(change)) | {"hours_before": "6"}
    assert client.post(change, data).status_code == 302
    rule.refresh_from_db()
    assert (rule.kind, rule.hours_before, rule.when) == (ReminderKind.OFFER, 6, "6 hours before")
    entry = ActivityEntry.objects.get(action="reminder_rule.changed")
    assert (entry.actor, entry.seminar, entry.old, entry.new) == (
        staff["organizer"],
        seminar,
        {"hours_before": 12},
        {"hours_before": 6},
    )


def test_a_rule_needs_hours_or_a_time_not_both(client, world):
    seminar, _, _, staff = world
    rule = rule_of(seminar, ReminderKind.OFFER, hours=12)
    client.force_login(staff["organizer"])
    change = reverse("admin:reminders_reminderrule_change", args=[rule.pk])
    data = page_data(client.get(change)) | {"hours_before": "6", "day_at": "08:00"}
    response = client.post(change, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Give either the hours before the deadline or a time on the deadline's day (not both)."
    ]
    assert ReminderRule.objects.get(pk=rule.pk).hours_before == 12


def test_organizer_adds_a_rule_for_their_own_seminar_only(client, world):
    seminar, other, _, staff = world
    client.force_login(staff["organizer"])
    add = reverse("admin:reminders_reminderrule_add")
    form = client.get(add).context["adminform"].form
    assert list(form.fields["seminar"].queryset) == [seminar]
    data = {"seminar": other.pk, "kind": "reports", "hours_before": "72", "enabled": "on"}
    assert client.post(add, data).status_code == 200  # another seminar: a form error
    data["seminar"] = seminar.pk
    assert client.post(add, data).status_code == 302
    assert rule_of(seminar, "reports", hours=72).enabled is True
    assert ActivityEntry.objects.filter(action="reminder_rule.created").count() == 1


def test_organizer_switches_a_rule_off_and_it_sends_nothing_more(client, world):
    seminar, _, people, staff = world
    morning = rule_of(seminar, ReminderKind.PREFERENCES, day_at=dt.time(8, 0))
    client.force_login(staff["organizer"])
    response = client.post(
        RULES,
        {"action": "switch_off", admin.helpers.ACTION_CHECKBOX_NAME: [morning.pk]},
    )
    assert response.status_code == 302
    assert ReminderRule.objects.get(pk=morning.pk).enabled is False
    entry = ActivityEntry.objects.get(action="reminder_rule.changed")
    assert (entry.actor, entry.old, entry.new) == (
        staff["organizer"],
        {"enabled": True},
        {"enabled": False},
    )
    scan(moment_of(morning, PREFERENCES_DUE))
    assert reminder_emails().filter(seminar=seminar).count() == 1  # the 48-hour one only


def test_a_rule_that_sent_reminders_is_not_deleted_one_that_sent_none_is(client, world):
    seminar, _, _, staff = world
    sent = rule_of(seminar, ReminderKind.PREFERENCES, hours=48)
    unused = rule_of(seminar, ReminderKind.OFFER, hours=12)
    client.force_login(staff["organizer"])
    delete = reverse("admin:reminders_reminderrule_delete", args=[sent.pk])
    response = client.post(delete, {"post": "yes"}, follow=True)
    assert ReminderRule.objects.filter(pk=sent.pk).exists()
    assert [str(m) for m in response.context["messages"]] == [
        f"The rule “{sent}” has queued 1 reminder; it cannot be deleted. Switch it off instead."
    ]
    delete = reverse("admin:reminders_reminderrule_delete", args=[unused.pk])
    client.post(delete, {"post": "yes"})
    assert not ReminderRule.objects.filter(pk=unused.pk).exists()
    assert ActivityEntry.objects.filter(action="reminder_rule.deleted").count() == 1


def test_sent_reminders_show_what_went_to_whom_in_the_organizers_seminars_only(client, world):
    seminar, _, people, staff = world
    client.force_login(staff["organizer"])
    response = client.get(SENT)
    [email] = listed(response)
    assert (email.to, email.seminar, email.status) == (
        people["missing"].student.email,
        seminar,
        EmailStatus.QUEUED,
    )
    content = response.content.decode()
    assert "Topic preferences" in content
    assert client.get(SENT, {"reminder": "offer"}).context["cl"].result_count == 0
    assert client.get(SENT, {"reminder": "preferences"}).context["cl"].result_count == 1
    change = reverse("admin:reminders_sentreminder_change", args=[email.pk])
    assert client.get(change).status_code == 200
    client.force_login(staff["other"])
    assert client.get(change).status_code == 302  # not theirs
    client.force_login(staff["supervisor"])
    assert client.get(SENT).status_code == 403


def preview_statuses(response) -> dict[str, str]:
    return {str(row.rule): row.status for row, _ in response.context["rows"]}


def test_preview_shows_every_rule_for_the_chosen_student_with_its_text(client, world):
    seminar, _, people, staff = world
    student = people["missing"]
    with at(PREFERENCES_DUE - dt.timedelta(hours=30)):
        client.force_login(staff["organizer"])
        response = client.get(PREVIEW, {"seminar": seminar.pk, "registration": student.pk})
    assert response.status_code == 200
    statuses = preview_statuses(response)
    assert statuses["Topic preferences: 2 days before"] == (
        "In the outbox: queued (queued Thu 13 Feb 2031, 07:59)."
    )
    assert statuses["Topic preferences: on the day at 08:00"] == (
        "Goes out on Fri 14 Feb 2031, 08:00."
    )
    assert statuses["Waiting-list offer: 12 hours before"] == (
        "Not sent to this student: holds no offer of a seat."
    )
    assert statuses["Slide draft: 3 days before"] == (
        "Not sent to this student: no deadline yet (it counts from a talk not scheduled yet)."
    )
    assert len(statuses) == 10
    content = response.content.decode()
    assert f"[{seminar.tag}] Reminder: send your topic preferences by 14 February, 23:59" in (
        content
    )
    assert f"Dear {student.student.full_name}," in content


def test_preview_says_why_nothing_goes_to_a_student_who_sent_preferences(client, world):
    seminar, _, people, staff = world
    rule_of(seminar, ReminderKind.PREFERENCES, day_at=dt.time(8, 0)).delete()
    with at(START + dt.timedelta(days=1)):
        client.force_login(staff["organizer"])
        response = client.get(PREVIEW, {"seminar": seminar.pk, "registration": people["sent"].pk})
    assert preview_statuses(response)["Topic preferences: 2 days before"] == (
        "Not sent to this student: has sent preferences."
    )


def test_preview_of_another_organizers_seminar_or_student_is_not_found(client, world):
    seminar, other, people, staff = world
    client.force_login(staff["other"])
    assert client.get(PREVIEW, {"seminar": seminar.pk}).status_code == 404
    outsider = {"seminar": other.pk, "registration": people["missing"].pk}
    assert client.get(PREVIEW, outsider).status_code == 404
    client.force_login(staff["supervisor"])
    assert client.get(PREVIEW).status_code == 404


def test_rules_page_links_to_the_preview_and_the_sent_reminders(client, world):
    _, _, _, staff = world
    client.force_login(staff["organizer"])
    content = client.get(RULES).content.decode()
    assert f'href="{PREVIEW}"' in content and f'href="{SENT}"' in content


# --- Queries do not grow with the number of students ----------------------------------------


def test_reminder_pages_make_the_same_number_of_queries_for_2_and_30_students(client):
    staff_groups_ensure()
    counts = []
    for size in (2, 30):
        seminar, people = preferences_world()
        RegistrationFactory.create_batch(size, seminar=seminar)
        scan(PREFERENCES_DUE - dt.timedelta(hours=40), seminar=seminar)
        organizer = StaffUserFactory()
        staff_role_add(seminar=seminar, user=organizer, kind=StaffKind.ORGANIZER)
        client.force_login(organizer)
        preview = f"{PREVIEW}?seminar={seminar.pk}&registration={people['missing'].pk}"
        counts.append([queries_of(client, url) for url in (RULES, SENT, preview)])
    assert counts[0] == counts[1]


def test_organizer_switches_a_rule_on_again_in_the_list(client, world):
    seminar, _, _, staff = world
    rule = rule_of(seminar, ReminderKind.OFFER, hours=12)
    ReminderRule.objects.filter(pk=rule.pk).update(enabled=False)
    client.force_login(staff["organizer"])
    formset = client.get(RULES).context["cl"].formset
    data = {
        "form-TOTAL_FORMS": str(formset.total_form_count()),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
        "_save": "Save",
    }
    for index, form in enumerate(formset.forms):
        data[f"form-{index}-id"] = str(form.instance.pk)
        if form.instance.enabled or form.instance.pk == rule.pk:
            data[f"form-{index}-enabled"] = "on"
    assert client.post(RULES, data).status_code == 302
    assert ReminderRule.objects.get(pk=rule.pk).enabled is True
    entry = ActivityEntry.objects.get(action="reminder_rule.changed")
    assert (entry.actor, entry.old, entry.new) == (
        staff["organizer"],
        {"enabled": False},
        {"enabled": True},
    )


def test_preview_shows_a_students_name_as_text_never_as_markup(client, world):
    seminar, _, people, staff = world
    student = people["missing"].student
    student.full_name = "<b>Bold</b> Student"
    student.save()
    client.force_login(staff["organizer"])
    response = client.get(PREVIEW, {"seminar": seminar.pk, "registration": people["missing"].pk})
    content = response.content.decode()
    assert "Dear &lt;b&gt;Bold&lt;/b&gt; Student," in content
    assert "<b>Bold</b>" not in content


def test_rules_are_listed_in_the_order_students_meet_their_deadlines(client, world):
    seminar, _, _, staff = world
    client.force_login(staff["organizer"])
    response = client.get(RULES, {"seminar__id__exact": seminar.pk})
    assert [str(rule) for rule in listed(response)] == [
        "Topic preferences: 2 days before",
        "Topic preferences: on the day at 08:00",
        "Slide draft: 3 days before",
        "Mock presentation: 2 days before",
        "Reports: 7 days before",
        "Reports: 1 day before",
        "Practical project: 7 days before",
        "Practical project: 1 day before",
        "Late joiner's topic choice: 12 hours before",
        "Waiting-list offer: 12 hours before",
    ]
