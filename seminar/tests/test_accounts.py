"""Sign-up, login by e-mail, logout and password reset."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from seminar.enums import RegistrationStatus, StaffKind
from seminar.models import User
from seminar.tests.factories import RegistrationFactory, StaffRoleFactory, UserFactory

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
    assert "Use the 5 to 12 digits (0-9) of your matriculation number." in page
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


def _fail_logins(client, email: str, times: int, address: str = "10.0.0.1") -> list[int]:
    return [
        client.post(
            reverse("login"), {"username": email, "password": "wrong"}, REMOTE_ADDR=address
        ).status_code
        for _ in range(times)
    ]


def test_login_locked_out_per_account_after_failures_even_with_right_password(client, settings):
    UserFactory(email="ada@example.org")
    # Each from another address, and in other cases: it is the account that is locked.
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail_logins(client, "ADA@example.org" if n % 2 else "ada@example.org", 1, f"10.0.0.{n}")
    response = client.post(
        reverse("login"),
        {"username": "ada@example.org", "password": "secret-password-1"},
        REMOTE_ADDR="10.0.1.1",
    )
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_locked_out_per_address_across_accounts(client, settings):
    UserFactory(email="ada@example.org")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail_logins(client, f"guess{n}@example.org", 1, "10.0.0.7")
    locked = client.post(
        reverse("login"),
        {"username": "ada@example.org", "password": "secret-password-1"},
        REMOTE_ADDR="10.0.0.7",
    )
    assert locked.status_code == 429
    elsewhere = client.post(
        reverse("login"),
        {"username": "ada@example.org", "password": "secret-password-1"},
        REMOTE_ADDR="10.0.0.8",
    )
    assert elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_login_below_the_limit_still_logs_in(client, settings):
    UserFactory(email="ada@example.org")
    statuses = _fail_logins(client, "ada@example.org", settings.AXES_FAILURE_LIMIT - 1)
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(
        reverse("login"),
        {"username": "ada@example.org", "password": "secret-password-1"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302


@pytest.mark.parametrize("number", ["２５７０１０１", "٢٥٧٠١٠١", "2570101\n", "25701"[:4]])
def test_signup_refuses_matriculation_number_not_of_ascii_digits(client, number):
    response = client.post(reverse("signup"), {**SIGNUP, "matriculation_number": number})
    assert "Use the 5 to 12 digits (0-9) of your matriculation number." in (
        response.content.decode()
    )
    assert User.objects.count() == 0


def test_user_model_refuses_full_width_matriculation_number():
    user = UserFactory.build(matriculation_number="２５７０１０１")
    with pytest.raises(ValidationError) as refusal:
        user.full_clean()
    assert refusal.value.message_dict == {"matriculation_number": ["Use 5 to 12 digits (0-9)."]}


def test_signup_stores_email_lowercased_and_refuses_it_again_in_other_case(client):
    client.post(reverse("signup"), {**SIGNUP, "email": "  Nora.EXAMPLE@Example.ORG "})
    assert list(User.objects.values_list("email", flat=True)) == ["nora.example@example.org"]
    client.logout()
    again = client.post(
        reverse("signup"),
        {**SIGNUP, "email": "NORA.example@example.org", "matriculation_number": "2612346"},
    )
    assert "An account with this e-mail address exists already." in again.content.decode()
    assert User.objects.count() == 1


def _login(client, email: str):
    return client.post(
        reverse("login"), {"username": email, "password": "secret-password-1"}, follow=True
    )


def test_login_lands_on_the_dashboard_of_a_students_one_seminar(client):
    registration = RegistrationFactory(student=UserFactory(email="ada@example.org"))
    response = _login(client, "ada@example.org")
    dashboard = reverse("seminar:dashboard", args=[registration.seminar.slug])
    assert response.redirect_chain == [("/me/", 302), (dashboard, 302)]


def test_login_lands_on_my_seminars_with_two_seminars(client):
    student = UserFactory(email="ada@example.org")
    first, second = (RegistrationFactory(student=student) for _ in range(2))
    RegistrationFactory(student=student, status=RegistrationStatus.WITHDRAWN)
    response = _login(client, "ada@example.org")
    assert response.redirect_chain == [("/me/", 302)]
    assert [entry.seminar for entry in response.context["mine"]] == [
        second.seminar,
        first.seminar,
    ]
    page = response.content.decode()
    assert page.count("You are confirmed.") == 2


def test_my_seminars_shows_staff_roles_and_stays_for_staff(client):
    role = StaffRoleFactory(kind=StaffKind.ORGANIZER)
    client.force_login(role.user)
    response = client.get(reverse("seminar:mine"))
    assert response.status_code == 200
    assert "Your role: Professor / organizer." in response.content.decode()


def test_navigation_links_my_seminars_when_signed_in(client):
    client.force_login(UserFactory())
    page = client.get(reverse("seminar:list")).content.decode()
    assert '<a class="nav-link" href="/me/">My seminars</a>' in page
