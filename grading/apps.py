from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = _("Grades and exports")
    # Staff permissions (seminar.services.staff); the admin narrows "Grading" to the students
    # each person grades, and every write goes through grading.services.
    organizer_models = ["gradingscheme", "gradedstudent"]
    supervisor_view_models = ["gradingscheme", "gradedstudent"]

    def ready(self) -> None:
        # Fill the seminar app's page slots and listen to its events.
        from grading import panels, privacy, receivers  # noqa: F401
        from grading.cache import seminar_pages_connect

        seminar_pages_connect()  # what of this app the cached seminar page shows
