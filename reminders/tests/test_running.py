"""Running the scan: beat's database schedule (an interval, editable in the admin), the worker
settings that redo a killed worker's tasks, `manage.py send_reminders`, and the in-process scan
on page reads for a laptop without a broker."""

import datetime as dt
import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app as celery_app
from reminders.tests.factories import PREFERENCES_DUE, at, preferences_world, reminded
from seminar.tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_the_scan_is_in_the_beat_schedule_every_five_minutes_as_an_interval():
    task = PeriodicTask.objects.get(name="reminders-scan")
    assert (task.task, task.enabled, task.crontab, task.interval.every, task.interval.period) == (
        "reminders.tasks.reminders_scan_task",
        True,
        None,
        5,
        "minutes",
    )
    celery_app.loader.import_default_modules()
    assert task.task in celery_app.tasks


def test_beat_reads_its_schedule_from_the_database(settings):
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    PeriodicTask.objects.filter(name="reminders-scan").update(enabled=True)
    scheduler = DatabaseScheduler(app=celery_app, lazy=True)
    entry = scheduler.all_as_schedule()["reminders-scan"]
    assert entry.schedule.run_every == dt.timedelta(minutes=5)
    PeriodicTask.objects.filter(name="reminders-scan").update(enabled=False)
    assert "reminders-scan" not in scheduler.all_as_schedule()  # switched off in the admin


def test_workers_acknowledge_late_and_give_back_the_tasks_of_a_lost_process():
    conf = celery_app.conf
    assert (
        conf.task_acks_late,
        conf.task_reject_on_worker_lost,
        conf.worker_prefetch_multiplier,
        conf.broker_transport_options["visibility_timeout"],
    ) == (True, True, 1, 3600)


def test_send_reminders_queues_what_is_due_once(capsys):
    seminar, people = preferences_world()
    out = StringIO()
    with at(PREFERENCES_DUE - dt.timedelta(hours=30)):
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", "--seminar", seminar.slug, stdout=out)
    assert out.getvalue() == "1 reminder queued.\n0 reminders queued.\n"
    assert reminded() == [people["missing"].student.email]


def test_send_reminders_names_an_unknown_seminar():
    with pytest.raises(CommandError, match="No seminar has the slug 'nope'."):
        call_command("send_reminders", "--seminar", "nope")


@pytest.fixture
def on_read(settings):
    settings.REMINDERS_SCAN_ON_READ = True
    settings.REMINDERS_SCAN_ON_READ_SECONDS = 300


def test_without_a_broker_a_page_read_scans_its_seminar_at_most_every_interval(client, on_read):
    seminar, people = preferences_world()
    moment = PREFERENCES_DUE - dt.timedelta(hours=30)
    with at(moment):
        assert client.get(seminar.get_absolute_url()).status_code == 200
    assert reminded() == [people["missing"].student.email]
    late = RegistrationFactory(seminar=seminar)
    dashboard = reverse("seminar:dashboard", args=[seminar.slug])
    with at(moment + dt.timedelta(seconds=299)):
        client.force_login(late.student)
        assert client.get(dashboard).status_code == 200
    assert reminded() == [people["missing"].student.email]  # scanned a moment ago
    with at(moment + dt.timedelta(seconds=300)):
        client.get(dashboard)
    assert reminded() == sorted([people["missing"].student.email, late.student.email])


def test_page_read_scan_is_off_unless_asked_for(client, settings):
    assert settings.REMINDERS_SCAN_ON_READ is False  # tests run without debug mode
    seminar, _ = preferences_world()
    with at(PREFERENCES_DUE - dt.timedelta(hours=30)):
        client.get(seminar.get_absolute_url())
    assert reminded() == []


def test_a_failing_scan_never_fails_the_page(client, on_read, monkeypatch, caplog):
    seminar, _ = preferences_world()

    def broken(**kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr("reminders.clock.reminders_scan", broken)
    with caplog.at_level(logging.ERROR, logger="reminders.clock"):
        assert client.get(seminar.get_absolute_url()).status_code == 200
    assert [r.getMessage() for r in caplog.records] == [
        f"Reminder scan of seminar {seminar.pk} failed"
    ]
