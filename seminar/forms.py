from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm

from seminar.enums import DegreeLevel
from seminar.models import User
from seminar.models.people import MATRICULATION_NUMBER_PATTERN
from seminar.validators import validate_one_line


class SignupForm(BaseUserCreationForm):
    """A student's account: name, e-mail, matriculation number, degree level, programme."""

    degree_level = forms.ChoiceField(choices=DegreeLevel.choices)
    programme = forms.CharField(
        label="Study programme",
        max_length=120,
        help_text="e.g. Computer Science",
        validators=[validate_one_line],
    )
    matriculation_number = forms.RegexField(
        regex=MATRICULATION_NUMBER_PATTERN,
        max_length=12,
        error_messages={"invalid": "Use the 5 to 12 digits (0-9) of your matriculation number."},
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "matriculation_number", "degree_level", "programme"]
        labels = {"full_name": "Full name", "email": "E-mail address"}
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

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this e-mail address exists already. Log in or reset your password."
            )
        return email

    def clean_matriculation_number(self) -> str:
        number = self.cleaned_data["matriculation_number"]
        if User.objects.filter(matriculation_number=number).exists():
            raise forms.ValidationError("An account with this matriculation number exists already.")
        return number


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(min_value=0, max_value=10_000)


class WaitingListMoveForm(forms.Form):
    position = forms.IntegerField(min_value=1, help_text="1 is the front of the line.")
