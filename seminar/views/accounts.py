"""Accounts: where a login lands, and who a login attempt comes from (for the lockout)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from seminar import selectors


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
