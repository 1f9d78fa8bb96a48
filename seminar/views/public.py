"""Pages anyone can see: the seminar list, a seminar's page, sign-up and the health check.

The seminar page comes from the cache (seminar.cache): everything on it but the viewer's own
registration box and the organizer's link is rendered once per version of the seminar and kind
of viewer ("public", or "insider": participants and staff, who see participants' names). A
visitor without cookies gets the whole stored response.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import login
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from seminar import cache, selectors, slots
from seminar.enums import RegistrationStatus
from seminar.forms import SignupForm
from seminar.models import Registration, Seminar

REGISTRATION_BOX = "<!-- registration box -->"
ORGANIZE_LINK = "<!-- organize link -->"
# Insiders (confirmed participants and the seminar's staff) see participants' names in the
# reading list. The SEMINAR_RULES and SEMINAR_PAGE panels may depend on the viewer only
# through this, so that one rendering serves every viewer of the same kind.
PUBLIC, INSIDER = "public", "insider"
VISITOR_PAGE = "visitor-page"  # the whole response for a visitor without cookies


def healthz(request: HttpRequest) -> HttpResponse:
    """A bare view: no database, no template. Load balancers and the benchmark call it."""
    return HttpResponse("ok", content_type="text/plain")


def seminar_list(request: HttpRequest) -> HttpResponse:
    return render(request, "seminar/seminar_list.html", {"seminars": selectors.seminar_list()})


@dataclass(frozen=True)
class PageParts:
    """What the cache keeps of a seminar's page for one kind of viewer."""

    seminar: Seminar
    state: selectors.RegistrationState
    content: str  # the page's main content, with the two placeholders above
    true_until: dt.datetime  # when the clock alone changes the page


def seminar_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    plain_visitor = _without_cookies(request)
    if plain_visitor:
        version, stored = cache.page_lookup(slug, [VISITOR_PAGE, PUBLIC])
        if VISITOR_PAGE in stored:
            return HttpResponse(stored[VISITOR_PAGE])
        registration = None
    elif user.is_authenticated:
        # The viewer's registration is kept with the page: every change of it bumps the version.
        mine = f"registration-{user.pk}"
        version, stored = cache.page_lookup(slug, [mine])
        if mine in stored:
            registration = stored[mine]
        else:
            registration = Registration.objects.filter(seminar__slug=slug, student=user).first()
    else:
        version, stored = cache.page_lookup(slug, [PUBLIC])
        registration = None
    audience = _audience(request, slug, registration)
    if audience not in stored and version is not None:
        stored.update(cache.page_lookup(slug, [audience], version=version)[1])
    parts = stored.get(audience)
    if parts is None:
        parts = _parts_render(request, slug, registration)
        cache.page_store(slug, version, audience, parts, seconds=_seconds_left(parts))
    if user.is_authenticated and f"registration-{user.pk}" not in stored:
        cache.page_store(
            slug, version, f"registration-{user.pk}", registration, seconds=_seconds_left(parts)
        )
    response = render(
        request,
        "seminar/seminar_detail.html",
        {"seminar": parts.seminar, "content": _fill(request, parts, registration)},
    )
    if plain_visitor:
        cache.page_store(
            slug, version, VISITOR_PAGE, response.content, seconds=_seconds_left(parts)
        )
    return response


def _audience(request: HttpRequest, slug: str, registration: Registration | None) -> str:
    if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        return INSIDER
    user = request.user
    if user.is_authenticated and (user.is_staff or user.is_superuser):
        seminar = get_object_or_404(Seminar, slug=slug)  # staff: asked every time, not kept
        if user.has_perm("seminar.see_participant_names", seminar):
            return INSIDER
    return PUBLIC


def _seconds_left(parts: PageParts) -> int:
    return int((parts.true_until - timezone.now()).total_seconds())


def _parts_render(request: HttpRequest, slug: str, registration: Registration | None) -> PageParts:
    """Render the cacheable parts from the database, with how long they stay true."""
    seminar = get_object_or_404(Seminar, slug=slug)
    clock_moments = slots.clock_steps_run(seminar)  # so nothing waits for the scheduler
    now = timezone.now()
    meetings = selectors.seminar_meetings(seminar)
    state = selectors.registration_state(seminar, now, meetings.sessions)
    context = {
        "seminar": seminar,
        "state": state,
        "staff": selectors.staff_of(seminar),
        "meetings": meetings,
        "criteria": list(seminar.criteria.all()),
        "rules_panels": slots.render(slots.SEMINAR_RULES, request, seminar, registration),
        "panels": slots.render(slots.SEMINAR_PAGE, request, seminar, registration),
        "registration_box": mark_safe(REGISTRATION_BOX),
        "organize_link": mark_safe(ORGANIZE_LINK),
    }
    content = render_to_string("seminar/_seminar_content.html", context, request=request)
    true_until = now + dt.timedelta(
        seconds=_seconds_true(seminar, meetings.sessions, clock_moments, now)
    )
    return PageParts(seminar=seminar, state=state, content=content, true_until=true_until)


def _fill(request: HttpRequest, parts: PageParts, registration: Registration | None) -> SafeString:
    """The cached content with this viewer's registration box and organizer link."""
    seminar, user = parts.seminar, request.user
    box = render_to_string(
        "seminar/_registration_box.html",
        {"seminar": seminar, "state": parts.state, "registration": registration},
        request=request,
    )
    can_organize = (user.is_staff or user.is_superuser) and user.has_perm(
        "seminar.organize_seminar", seminar
    )
    link = (
        render_to_string("seminar/_organize_link.html", {"seminar": seminar})
        if can_organize
        else ""
    )
    content = parts.content.replace(REGISTRATION_BOX, box, 1).replace(ORGANIZE_LINK, link, 1)
    return mark_safe(content)  # noqa: S308 - both parts are rendered templates


def _without_cookies(request: HttpRequest) -> bool:
    """No session and no pending messages: the page is the same for every such visitor."""
    return not (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
    )


def _seconds_true(
    seminar: Seminar, sessions: list, clock_moments: list[dt.datetime], now: dt.datetime
) -> int:
    """Until the page changes by the clock alone, at most SEMINAR_PAGE_CACHE_SECONDS.

    A clock step that is already due (skipped while the lock was busy) makes it 0: the next
    reading renders again and does the step.
    """
    if any(moment <= now for moment in clock_moments):
        return 0
    moments = [*selectors.registration_moments(seminar, sessions), *clock_moments]
    ahead = [(moment - now).total_seconds() for moment in moments if moment and moment > now]
    return int(min([settings.SEMINAR_PAGE_CACHE_SECONDS, *ahead]))


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
