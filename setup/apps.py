from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SetupConfig(AppConfig):
    """The organizer's setup pages: a new seminar in a few steps, outside the admin.

    The top floor beside reminders: it reads and writes through the apps below it (seminar,
    topics, submissions, grading); nothing imports it.
    """

    name = "setup"
    verbose_name = _("Seminar setup")

    def ready(self) -> None:
        from seminar.slots import register_opening_check
        from setup import panels  # noqa: F401  (the organizer page's setup panel)
        from setup.selectors import setup_gaps

        register_opening_check(setup_gaps)
