"""The grading page's form: one input per field of `grading.fields`, and the reason for a change
after release.

Each input carries the value the page showed (Django's hidden initial), so that only what the
grader changed is sent to the service: a field someone else changed meanwhile is left as they
set it, not overwritten with what this page happened to show.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grading.display import field_label_text
from grading.enums import GRADE_CHOICES, ProjectOutcome
from grading.fields import GradingField, Kind

GRADE_FIELD_CHOICES = [("", _("– not graded –")), *GRADE_CHOICES]
ATTENDANCE_CHOICES = [("", _("not marked")), ("yes", _("attended")), ("no", _("absent"))]
PROJECT_CHOICES = [("", _("– not entered –")), *ProjectOutcome.choices]
REASON_NEEDED = _("The grades are released: say why you change them (the student is told).")
INCOMPLETE = _("The form arrived incomplete; nothing was saved. Please enter your changes again.")


class CommentField(forms.CharField):
    """Free text whose line breaks are the same however the browser sent them."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2, "cols": 60}))
        super().__init__(required=False, max_length=4000, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


def _form_field(spec: GradingField) -> forms.Field:
    label = field_label_text(spec.label)
    label = label[:1].upper() + label[1:]
    if spec.kind == Kind.GRADE:
        return forms.ChoiceField(label=label, choices=GRADE_FIELD_CHOICES, required=False)
    if spec.kind == Kind.TEXT:
        return CommentField(label=label)
    if spec.kind == Kind.MINUTES:
        return forms.IntegerField(
            label=label,
            min_value=1,
            max_value=600,
            required=False,
            widget=forms.NumberInput(attrs={"class": "minutes-input"}),
        )
    if spec.kind in (Kind.TICK, Kind.GIVEN):
        return forms.BooleanField(label=label, required=False)
    if spec.kind == Kind.ATTENDANCE:
        return forms.ChoiceField(label=label, choices=ATTENDANCE_CHOICES, required=False)
    if spec.kind == Kind.PROJECT:
        return forms.ChoiceField(label=label, choices=PROJECT_CHOICES, required=False)
    raise ValueError(f"unknown kind {spec.kind!r}")


class GradingForm(forms.Form):
    # Present in every form the page sends: an empty or cut-off POST changes nothing.
    grading_page = forms.CharField(widget=forms.HiddenInput, initial="1", required=False)
    reason = CommentField(
        label=_("Reason for the change"),
        help_text=_(
            "Needed once the grades are released: it is logged and e-mailed to the student."
        ),
    )

    def __init__(self, *args, fields: dict[str, GradingField], released: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = fields
        self.released = released
        for key, spec in fields.items():
            field = _form_field(spec)
            field.initial = spec.value
            field.show_hidden_initial = True
            field.disabled = not spec.editable
            if spec.note:
                field.help_text = field_label_text(spec.note)
            self.fields[key] = field

    def changed_values(self) -> dict[str, object]:
        """The fields the grader changed on the page, with their new values."""
        return {
            key: self.cleaned_data[key]
            for key in self.changed_data
            if key in self.specs and self.specs[key].editable and key in self.cleaned_data
        }

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("grading_page"):
            raise forms.ValidationError(INCOMPLETE)
        if self.released and not cleaned.get("reason") and self.changed_values():
            self.add_error("reason", REASON_NEEDED)
        return cleaned
