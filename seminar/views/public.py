"""Pages anyone can see: the seminar list, a seminar's page, sign-up and the health check."""

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from seminar import selectors, slots
from seminar.forms import SignupForm
from seminar.models import Seminar
from seminar.services.registration import offers_expire


def healthz(request: HttpRequest) -> HttpResponse:
    """A bare view: no database, no template. Load balancers and the benchmark call it."""
    return HttpResponse("ok", content_type="text/plain")


def seminar_list(request: HttpRequest) -> HttpResponse:
    return render(request, "seminar/seminar_list.html", {"seminars": selectors.seminar_list()})


def seminar_detail(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = get_object_or_404(Seminar, slug=slug)
    offers_expire(seminar=seminar)  # so nothing waits for the scheduler
    registration = selectors.registration_of(seminar, request.user)
    meetings = selectors.seminar_meetings(seminar)
    context = {
        "seminar": seminar,
        "registration": registration,
        "state": selectors.registration_state(seminar, timezone.now(), meetings.sessions),
        "staff": selectors.staff_of(seminar),
        "meetings": meetings,
        "criteria": list(seminar.criteria.all()),
        "rules_panels": slots.render(slots.SEMINAR_RULES, request, seminar, registration),
        "panels": slots.render(slots.SEMINAR_PAGE, request, seminar, registration),
        "can_organize": request.user.has_perm("seminar.organize_seminar", seminar),
    }
    return render(request, "seminar/seminar_detail.html", context)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("seminar:list")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            return redirect(next_url)
        return redirect("seminar:list")
    return render(
        request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")}
    )
