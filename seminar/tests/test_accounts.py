"""Sign-up, login by e-mail, logout and password reset."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from seminar.models import User
from seminar.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Nora Example",
    "email": "Nora.Example@Example.org",
    "matriculation_number": "2612345",
    "degree_level": "master",
    "programme": "Computer Science",
    "password1": "a-long-secret-phrase",
    "password2": "a-long-secret-phrase",
}


def test_signup_creates_student_and_logs_in(client):
    response = client.post(reverse("signup"), SIGNUP, follow=True)
    user = User.objects.get()
    assert (user.email, user.full_name, user.matriculation_number, user.degree_level) == (
        "nora.example@example.org",
        "Nora Example",
        "2612345",
        "master",
    )
    assert user.is_staff is False
    assert 'data-testid="current-user">Nora Example<' in response.content.decode()


def test_signup_refuses_taken_email_whatever_its_case(client):
    UserFactory(email="nora.example@example.org")
    response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 200
    assert "An account with this e-mail address exists already." in response.content.decode()
    assert User.objects.count() == 1


def test_signup_refuses_bad_matriculation_number_and_keeps_input(client):
    response = client.post(reverse("signup"), {**SIGNUP, "matriculation_number": "12ab"})
    page = response.content.decode()
    assert "Use the 5 to 12 digits of your matriculation number." in page
    assert 'value="Nora Example"' in page
    assert User.objects.count() == 0


def test_signup_refuses_mismatched_passwords(client):
    response = client.post(reverse("signup"), {**SIGNUP, "password2": "something-else-entirely"})
    assert "The two password fields didn" in response.content.decode()
    assert User.objects.count() == 0


def test_login_by_email_and_logout(client):
    UserFactory(email="ada@example.org", full_name="Ada Example")
    response = client.post(
        reverse("login"),
        {"username": "ADA@example.org", "password": "secret-password-1"},
        follow=True,
    )
    assert 'data-testid="current-user">Ada Example<' in response.content.decode()
    response = client.post(reverse("logout"), follow=True)
    assert "current-user" not in response.content.decode()


def test_login_with_wrong_password_is_refused(client):
    UserFactory(email="ada@example.org")
    response = client.post(reverse("login"), {"username": "ada@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password." in response.content.decode()


def test_password_reset_sends_link_that_sets_new_password(client):
    user = UserFactory(email="ada@example.org")
    client.post(reverse("password_reset"), {"email": "ada@example.org"})
    assert len(mail.outbox) == 1
    site = re.escape(settings.SITE_URL)
    link = re.search(rf"{site}(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session-bound URL
    client.post(
        form_url, {"new_password1": "brand-new-phrase-7", "new_password2": "brand-new-phrase-7"}
    )
    user.refresh_from_db()
    assert user.check_password("brand-new-phrase-7") is True
