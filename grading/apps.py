from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = "Grades and exports"
    organizer_models = ["gradingscheme"]
    supervisor_view_models = ["gradingscheme"]

    def ready(self) -> None:
        # Fill the seminar app's page slots and listen to its events.
        from grading import panels, receivers  # noqa: F401
        from grading.cache import seminar_pages_connect

        seminar_pages_connect()  # what of this app the cached seminar page shows
