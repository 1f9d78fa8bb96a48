"""English as the site wrote it before it had languages: British date and number formats."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
