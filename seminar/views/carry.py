"""Start the next run of a seminar (organizers of that seminar only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from seminar.errors import DomainError
from seminar.forms import CarryForwardForm
from seminar.views.organizer import organized_seminar
from seminar.views.refusals import status_of


@login_required
@require_http_methods(["GET", "POST"])
def carry_forward(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = organized_seminar(request, slug)
    form = CarryForwardForm(request.POST if request.method == "POST" else None)
    status, error = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                target = form.carry_forward(source=seminar, actor=request.user)
            except DomainError as refused:
                status, error = status_of(refused), refused.message
            else:
                messages.success(
                    request,
                    _("The next run is ready at /%(slug)s/. Nobody is registered yet.")
                    % {"slug": target.slug},
                )
                return redirect("seminar:organize", slug=target.slug)
        else:
            status = 400
    context = {"seminar": seminar, "form": form, "error": error}
    return render(request, "seminar/carry_forward.html", context, status=status)
