"""Who may use the setup pages."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from seminar.models import Seminar

CREATE_PERMISSION = "seminar.create_seminar"


def may_create_seminars(user) -> bool:
    """Granted in the admin to a person or a group; superusers hold every permission."""
    return user.is_authenticated and user.has_perm(CREATE_PERMISSION)


def seminar_to_set_up(user, slug: str) -> Seminar:
    """The seminar, if the user organizes it; 404 otherwise, as if it did not exist."""
    seminar = get_object_or_404(Seminar, slug=slug)
    if not user.has_perm("seminar.organize_seminar", seminar):
        raise Http404("No such seminar.")
    return seminar
