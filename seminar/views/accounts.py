"""Accounts: where a login lands, the language, and who a login attempt comes from."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from seminar import selectors
from seminar.errors import DomainError
from seminar.services import privacy as privacy_services
from seminar.services.accounts import user_language_set
from seminar.views.refusals import status_of


@login_required
def my_seminars(request: HttpRequest) -> HttpResponse:
    """The seminars a person takes part in or works for; with exactly one, its dashboard."""
    mine = selectors.seminars_of(request.user)
    # Who may create seminars stays here: this page has the link to a new one.
    if (
        len(mine) == 1
        and not mine[0].staff_kinds
        and not request.user.has_perm("seminar.create_seminar")
    ):
        return redirect("seminar:dashboard", slug=mine[0].seminar.slug)
    return render(request, "seminar/my_seminars.html", {"mine": mine})


@csrf_exempt  # for visitors only; a signed-in person's request is checked below
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's language cookie for everyone (it outlives a logout) and,
    for a signed-in person, the language stored on their account (the site and their e-mails).
    Back to `next` (a page of this site) or to where the form was.

    A visitor's form carries no CSRF token, so that the public seminar page stays one cached
    page for every visitor; it only sets a cookie in the visitor's own browser."""
    if request.user.is_authenticated:
        return _account_language_set(request)
    return set_language(request)


@csrf_protect
def _account_language_set(request: HttpRequest) -> HttpResponse:
    response = set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """Download everything stored about oneself; delete one's account (with the password)."""
    refusals = privacy_services.account_deletion_refusals(user=request.user)
    context = {"refusals": refusals, "error": ""}
    if request.method == "POST":
        try:
            privacy_services.account_delete(
                user=request.user, password=request.POST.get("password", "")
            )
        except DomainError as refusal:
            context.update(
                error=refusal.message,
                refusals=privacy_services.account_deletion_refusals(user=request.user),
            )
            return render(request, "seminar/my_data.html", context, status=status_of(refusal))
        logout(request)
        messages.success(request, _("Your account and your data were deleted."))
        return redirect("seminar:list")
    return render(request, "seminar/my_data.html", context)


@login_required
@require_POST
def my_data_download(request: HttpRequest) -> HttpResponse:
    """The archive (data.json and files/), streamed from a temporary file."""
    archive = privacy_services.account_export_build(user=request.user)
    name = f"my-data-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(
        archive, as_attachment=True, filename=name, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def login_username(request: HttpRequest, credentials: dict | None) -> str:
    """The account a login attempt is for: the e-mail address as the form reads it (any case)."""
    source = credentials if credentials else request.POST
    return str(source.get("username") or source.get("email") or "").strip().lower()


def login_address(request: HttpRequest) -> str:
    """The client's address: the connection's, or behind TRUSTED_PROXY_COUNT proxies the entry
    of X-Forwarded-For that the outermost of them appended."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
