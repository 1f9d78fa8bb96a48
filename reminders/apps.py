from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")
    # Staff permissions (seminar.services.staff): organizers keep their seminars' rules and see
    # what went out; the admin narrows both to the seminars they organize.
    organizer_models = ["reminderrule", "sentreminder"]

    def ready(self) -> None:
        from reminders import clock, receivers  # noqa: F401  (the read hook, the seminar events)

        # This app's permissions exist only after its own migrate: give them to the groups then.
        post_migrate.connect(_staff_groups_ensure, sender=self, dispatch_uid="reminders-staff")


def _staff_groups_ensure(sender, **kwargs) -> None:
    from seminar.services.staff import staff_groups_ensure

    staff_groups_ensure()
