"""The list of every page (site_pages.py) is complete and true: each URL pattern and each admin
list an organizer may open is in it, and each page answers the status it expects."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from seminar.models import User
from seminar.tests.site_pages import NOT_PAGES, PROFESSOR, covered_names, site_visits
from seminar.tests.site_urls import site_patterns

pytestmark = pytest.mark.django_db


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_listed_page_answers_its_status():
    found, expected = {}, {}
    for visit in site_visits():
        client = client_of(visit.viewer)
        for path, status in visit.pages:
            key = f"{visit.label}: {path}"
            found[key] = client.get(path, follow=True).status_code
            expected[key] = status if status != 302 else 200
    assert found == expected


def test_every_url_pattern_is_a_listed_page_or_no_page():
    names = set(site_patterns().values())
    covered = covered_names(site_visits())
    assert sorted(names - NOT_PAGES - covered) == []  # a new page: add it to site_visits()
    assert sorted(NOT_PAGES - names) == []


def test_every_admin_list_an_organizer_may_open_is_listed():
    visits = site_visits()
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(email=PROFESSOR)
    lists = {
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_view_permission(request)
    }
    organizer = next(visit for visit in visits if visit.label == "organizer")
    assert sorted(lists - {path for path, _ in organizer.pages}) == []
