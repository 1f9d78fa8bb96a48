from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from seminar.enums import DegreeLevel
from seminar.models import Seminar, User
from seminar.models.people import MATRICULATION_NUMBER_PATTERN
from seminar.services.carry import seminar_carry_forward
from seminar.services.email import recipient_language
from seminar.validators import validate_one_line


class SignupForm(BaseUserCreationForm):
    """A student's account: name, e-mail, matriculation number, degree level, programme."""

    degree_level = forms.ChoiceField(label=_("Degree level"), choices=DegreeLevel.choices)
    programme = forms.CharField(
        label=_("Study programme"),
        max_length=120,
        help_text=_("e.g. Computer Science"),
        validators=[validate_one_line],
    )
    matriculation_number = forms.RegexField(
        label=_("Matriculation number"),
        regex=MATRICULATION_NUMBER_PATTERN,
        max_length=12,
        error_messages={"invalid": _("Use the 5 to 12 digits (0-9) of your matriculation number.")},
    )

    class Meta:
        model = User
        fields = [
            "full_name",
            "email",
            "matriculation_number",
            "degree_level",
            "programme",
            "language",
        ]
        labels = {
            "full_name": _("Full name"),
            "email": _("E-mail address"),
            "language": _("Language of the site and your e-mails"),
        }
        widgets = {
            # Browsers fill name and e-mail in; the first field has the focus.
            "full_name": forms.TextInput(attrs={"autocomplete": "name", "autofocus": True}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # BaseUserCreationForm puts the focus on the e-mail field (USERNAME_FIELD); the form
        # starts with the name.
        self.fields["email"].widget.attrs.pop("autofocus", None)
        self.fields["matriculation_number"].widget.attrs["autocomplete"] = "off"
        self.fields["matriculation_number"].widget.attrs["inputmode"] = "numeric"
        # The language the page is read in, unless chosen otherwise.
        self.fields["language"].initial = translation.get_language()
        self.fields["language"].required = False

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or translation.get_language()

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account with this e-mail address exists already. "
                    "Log in or reset your password."
                )
            )
        return email

    def clean_matriculation_number(self) -> str:
        number = self.cleaned_data["matriculation_number"]
        if User.objects.filter(matriculation_number=number).exists():
            raise forms.ValidationError(
                _("An account with this matriculation number exists already.")
            )
        return number


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(min_value=0, max_value=10_000)


class WaitingListMoveForm(forms.Form):
    position = forms.IntegerField(min_value=1, help_text=_("1 is the front of the line."))


class LanguagePasswordResetForm(PasswordResetForm):
    """The password-reset e-mail in the language of the account it is for."""

    def send_mail(self, *args, **kwargs) -> None:
        context = kwargs.get("context") or args[2]
        with translation.override(recipient_language(context.get("user"))):
            super().send_mail(*args, **kwargs)


class CarryForwardForm(forms.Form):
    """The next run of a seminar: its term, its title, and how its dates follow."""

    SHIFT, LATER = "shift", "later"

    term = forms.CharField(
        label=_("New term"),
        max_length=60,
        validators=[validate_one_line],
        help_text=_("e.g. Winter 2026/27; the address becomes e.g. …-ws2026."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        validators=[validate_one_line],
        help_text=_("Empty: the same title."),
    )
    dates = forms.ChoiceField(
        label=_("Dates"),
        choices=[
            (SHIFT, _("Move every date by a number of weeks")),
            (LATER, _("Enter the dates later (no kick-off or sessions yet)")),
        ],
        initial=SHIFT,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    shift_weeks = forms.IntegerField(
        label=_("Weeks"),
        min_value=0,
        max_value=520,
        initial=52,
        required=False,
        help_text=_("52 weeks: a year later, on the same weekday, at the same local time."),
    )

    def clean(self):
        data = super().clean()
        if data.get("dates") == self.SHIFT and data.get("shift_weeks") is None:
            self.add_error("shift_weeks", _("How many weeks later? (or enter the dates later)"))
        return data

    @property
    def weeks(self) -> int | None:
        data = self.cleaned_data
        return data["shift_weeks"] if data["dates"] == self.SHIFT else None

    def carry_forward(self, *, source: Seminar, actor: User) -> Seminar:
        """Start the next run as this valid form says (the organizer page and the admin)."""
        return seminar_carry_forward(
            source=source,
            term=self.cleaned_data["term"],
            title=self.cleaned_data["title"] or None,
            shift_weeks=self.weeks,
            actor=actor,
        )
