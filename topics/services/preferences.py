"""Opening the preference form, and students' preferences."""

from django.utils import timezone
from django.utils.translation import gettext as _

from seminar.dashboard_cache import dashboards_changed
from seminar.enums import RegistrationStatus
from seminar.errors import Conflict, Invalid
from seminar.models import Registration, Seminar
from seminar.services.activity import activity_log
from seminar.services.locking import seminar_locked
from topics.models import Preference, Topic
from topics.rules import preference_refusal
from topics.services.mails import preferences_open_mail

PREFERENCES_REQUIRED = 3


def preferences_open(*, seminar: Seminar) -> Seminar:
    """Open the preference form now and e-mail everyone taking part or in line, once."""
    with seminar_locked(seminar.pk) as seminar:
        now = timezone.now()
        old = seminar.preferences_opened_at
        if old is not None and old <= now:
            raise Conflict(_("The preference form is open already."))
        seminar.preferences_opened_at = now
        seminar.save(update_fields=["preferences_opened_at"])
        activity_log(
            action="preferences.opened",
            seminar=seminar,
            obj=seminar,
            old={"opened_at": old},
            new={"opened_at": now},
        )
        for registration in Registration.objects.filter(
            seminar=seminar, status__in=RegistrationStatus.active()
        ).select_related("student", "seminar"):
            preferences_open_mail(registration)
        return seminar


def preferences_set(*, registration: Registration, topic_ids: list[int]) -> list[Preference]:
    """Replace a student's preferences with exactly three distinct topics of their seminar.

    Under the seminar's lock: two submissions at the same moment leave the later one's three.
    """
    with seminar_locked(registration.seminar_id) as seminar:
        registration = Registration.objects.select_related("student").get(pk=registration.pk)
        refusal = preference_refusal(seminar, registration)
        if refusal is not None:
            raise refusal
        if len(set(topic_ids)) != len(topic_ids):
            raise Invalid(_("Choose three different topics; a topic was chosen twice."))
        if len(topic_ids) != PREFERENCES_REQUIRED:
            raise Invalid(
                _("Choose exactly three topics; you chose %(count)d.") % {"count": len(topic_ids)}
            )
        topics = list(Topic.objects.filter(seminar=seminar, pk__in=topic_ids))
        if len(topics) != PREFERENCES_REQUIRED:
            raise Invalid(_("One of the chosen topics is not a topic of this seminar."))
        old = sorted(registration.preferences.values_list("topic_id", flat=True))
        new = sorted(t.pk for t in topics)
        if old == new:  # the same three again: nothing changes
            return list(registration.preferences.all())
        registration.preferences.all().delete()
        created = Preference.objects.bulk_create(
            [Preference(registration=registration, topic=topic) for topic in topics]
        )
        dashboards_changed(seminar)  # bulk_create sends no signal
        activity_log(
            action="preferences.set",
            seminar=seminar,
            obj=registration,
            old={"topics": old},
            new={"topics": new},
        )
        return created
