from django.apps import AppConfig


class SetupConfig(AppConfig):
    """The organizer's setup pages: a new seminar in a few steps, outside the admin.

    The top floor beside reminders: it reads and writes through the apps below it (seminar,
    topics, submissions, grading); nothing imports it.
    """

    name = "setup"
    verbose_name = "Seminar setup"

    def ready(self) -> None:
        from setup import panels  # noqa: F401  (the organizer page's setup panel)
