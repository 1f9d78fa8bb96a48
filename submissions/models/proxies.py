from seminar.models import Registration


class SupervisedStudent(Registration):
    """The admin's "my students": a supervisor's students with every deliverable's state."""

    class Meta:
        proxy = True
        verbose_name = "my student"
        verbose_name_plural = "my students"
