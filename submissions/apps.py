from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Submissions and deadlines")
    # Staff permissions (seminar.services.staff); the admin narrows each list to the person's
    # seminars and, for supervisors, to the students of their topics.
    organizer_models = [
        "deliverable",
        "submission",
        "submissionfile",
        "extension",
        "team",
        "supervisedstudent",
        "fileretention",
    ]
    supervisor_view_models = [
        "deliverable",
        "submission",
        "submissionfile",
        "supervisedstudent",
        "fileretention",
    ]

    def ready(self) -> None:
        # Fill the seminar app's page slots and listen to its events.
        from submissions import panels, privacy, receivers  # noqa: F401
        from submissions.cache import seminar_pages_connect

        seminar_pages_connect()  # what of this app the cached seminar page shows
