from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

_APPS_WITH_STAFF_PERMISSIONS = {"mail", "seminar", "topics", "submissions", "grading"}


class SeminarConfig(AppConfig):
    name = "seminar"
    verbose_name = _("Seminars and registration")
    # Staff permissions this app grants (seminar.services.staff.staff_groups_ensure).
    organizer_models = [
        "seminar",
        "meeting",
        "presentationcriterion",
        "staffrole",
        "registration",
        "activityentry",
    ]
    supervisor_view_models = ["seminar", "registration"]

    def ready(self) -> None:
        # The staff groups need model permissions, which exist only after each app's migrate.
        post_migrate.connect(_staff_groups_ensure, dispatch_uid="seminar-staff-groups")
        from seminar import clock  # noqa: F401  (registers the offers' clock step)

        # Changes of this app's models that the cached seminar page shows.
        from seminar.cache import seminar_pages_connect
        from seminar.services import privacy  # noqa: F401  (its export part and checks)

        seminar_pages_connect()
        from seminar.dashboard_cache import people_connect

        people_connect()  # a kept dashboard is never served after its person's account changed


def _staff_groups_ensure(sender, **kwargs) -> None:
    if sender.label not in _APPS_WITH_STAFF_PERMISSIONS:
        return
    from seminar.services.staff import staff_groups_ensure

    staff_groups_ensure()
