from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "topics"
    verbose_name = _("Topics, preferences and allocation")
    organizer_models = [
        "topic",
        "supplementarymaterial",
        "preference",
        "allocationrun",
        "assignment",
        "topicsettings",
    ]
    supervisor_view_models = ["topic", "supplementarymaterial", "assignment"]

    def ready(self) -> None:
        # Fill the seminar app's page slots and listen to its events.
        from topics import exports, panels, privacy, receivers  # noqa: F401
        from topics.cache import seminar_pages_connect

        seminar_pages_connect()  # what of this app the cached seminar page shows
