from django.utils.translation import gettext_lazy as _

from seminar.models import Registration


class SupervisedStudent(Registration):
    """The admin's "my students": a supervisor's students with every deliverable's state."""

    class Meta:
        proxy = True
        verbose_name = _("my student")
        verbose_name_plural = _("my students")
