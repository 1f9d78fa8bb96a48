from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from seminar.forms import EmailAuthenticationForm, LanguagePasswordResetForm
from seminar.views.accounts import language_set
from seminar.views.public import healthz, signup

admin.site.site_header = _("Seminar administration")
admin.site.site_title = _("Seminar admin")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says; the file is a static one.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.ico"))),
    path("accounts/signup/", signup, name="signup"),
    path("accounts/language/", language_set, name="language_set"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            form_class=LanguagePasswordResetForm,
            # The site's own e-mail template set; links use SITE_URL (read when the e-mail is
            # rendered), not the host the request named.
            subject_template_name="emails/password_reset_subject.txt",
            email_template_name="emails/password_reset_body.txt",
            html_email_template_name="emails/password_reset_body.html",
            extra_email_context={"site_url": lazy(lambda: settings.SITE_URL, str)()},
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # Topic pages (/<slug>/preferences/, /<slug>/organize/allocation/...) come before the
    # seminar's catch-all slug patterns.
    path("", include("setup.urls")),
    path("", include("topics.urls")),
    path("", include("submissions.urls")),
    path("", include("grading.urls")),
    path("", include("seminar.urls")),
]
