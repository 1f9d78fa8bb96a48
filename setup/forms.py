"""The setup steps' forms. They check input; the services in setup.services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grading.models import GradingScheme
from seminar.enums import MeetingKind, StaffKind
from seminar.models import Meeting, Seminar
from seminar.validators import validate_one_line
from setup.services import BASICS_FIELDS, DELIVERABLE_FIELDS, TOPIC_FIELDS, WEIGHT_FIELDS
from submissions.models import Deliverable
from topics.models import Topic

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label, required=False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Europe/Berlin time."),
    )


class BasicsForm(forms.ModelForm):
    class Meta:
        model = Seminar
        fields = BASICS_FIELDS
        widgets = {
            "overview": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "term": _(
                "e.g. WS2026 or Winter 2026/27; new seminars get their address from title and term."
            ),
            "requirements": _(
                "What it takes to pass, one per line. Left empty, the page shows no such list."
            ),
        }


class DatesForm(forms.Form):
    kickoff_date = forms.DateField(
        label=_("Kick-off date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kickoff_time = forms.TimeField(
        label=_("Kick-off time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    kickoff_room = forms.CharField(
        label=_("Kick-off room"), required=False, max_length=120, validators=[validate_one_line]
    )
    preference_deadline = _datetime_field(_("Preference deadline"))
    registration_closes_at = _datetime_field(_("Registration closes"))
    capacity = forms.IntegerField(label=_("Seats"), min_value=0)

    def clean(self):
        data = super().clean()
        kickoff = [data.get("kickoff_date"), data.get("kickoff_time"), data.get("kickoff_room")]
        if any(kickoff) and not all(kickoff):
            raise forms.ValidationError(
                _("Give the kick-off's date, time and room, or leave all three empty.")
            )
        return data

    def kickoff(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("kickoff_date"):
            return None
        return {
            "date": data["kickoff_date"],
            "start_time": data["kickoff_time"],
            "room": data["kickoff_room"],
        }


class SessionForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "start_time", "room", "talk_slots", "slot_minutes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        labels = {"talk_slots": _("Talks"), "slot_minutes": _("Minutes per talk")}
        help_texts = {"room": "", "talk_slots": "", "slot_minutes": ""}


class BaseSessionFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        days = [
            f.cleaned_data.get("date")
            for f in self.forms
            if f.has_changed() or f.instance.pk
            if f not in self.deleted_forms and f.cleaned_data.get("date")
        ]
        if len(days) != len(set(days)):
            raise forms.ValidationError(_("Two sessions on the same day: merge them into one."))


SessionFormSet = forms.modelformset_factory(
    Meeting, form=SessionForm, formset=BaseSessionFormSet, extra=2, can_delete=True
)


def sessions_of(seminar):
    return seminar.meetings.filter(kind=MeetingKind.SESSION)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), validators=[validate_one_line])
    full_name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=150,
        validators=[validate_one_line],
        help_text=_("For a new account."),
    )
    kind = forms.ChoiceField(label=_("Role"), choices=StaffKind.choices)
    initials = forms.CharField(
        label=_("Initials"), required=False, max_length=8, validators=[validate_one_line]
    )


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = [*TOPIC_FIELDS, "materials"]
        widgets = {"materials": forms.SelectMultiple(attrs={"size": 3})}

    def __init__(self, *args, seminar: Seminar, choices: dict | None = None, **kwargs):
        """`choices`: the lists of supervisors, sessions and materials as another row of the
        same formset read them, so that a page of many rows reads them once."""
        super().__init__(*args, **kwargs)
        self.instance.seminar = seminar
        supervisor = self.fields["supervisor"]
        supervisor.queryset = seminar.staff.filter(kind=StaffKind.SUPERVISOR).select_related("user")
        session = self.fields["session"]
        session.queryset = sessions_of(seminar)
        self.fields["materials"].queryset = seminar.materials.all()
        if choices is None:
            choices = {name: list(self.fields[name].choices) for name in CHOICE_FIELDS}
        self.listed_choices = choices
        for name, listed in choices.items():
            self.fields[name].choices = listed  # rendered from the list, no query per row
        # Say why a choice is empty instead of leaving an empty list unexplained.
        if not _offers_any(choices["supervisor"]):
            supervisor.help_text = _("No supervisors yet: invite them on the Staff step.")
        if not _offers_any(choices["session"]):
            session.help_text = _("No sessions yet: add them on the Dates step.")


CHOICE_FIELDS = ("supervisor", "session", "materials")


def _offers_any(listed: list) -> bool:
    return any(value != "" for value, _label in listed)  # "" is the empty choice


class BaseTopicFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, seminar: Seminar, **kwargs):
        self.seminar = seminar
        super().__init__(*args, queryset=seminar.topics.prefetch_related("materials"), **kwargs)
        self._row_choices = None

    def get_form_kwargs(self, index):
        return {
            **super().get_form_kwargs(index),
            "seminar": self.seminar,
            "choices": self._row_choices,
        }

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        self._row_choices = form.listed_choices  # the first row reads them, the others reuse
        return form

    @property
    def empty_form(self):  # the formset's template row needs the seminar too
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            seminar=self.seminar,
            choices=self._row_choices,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


TopicFormSet = forms.modelformset_factory(
    Topic, form=TopicForm, formset=BaseTopicFormSet, extra=3, can_delete=True
)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, validators=[validate_one_line])
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[validate_one_line],
    )
    marker = forms.CharField(
        label=_("Marker"), required=False, max_length=4, validators=[validate_one_line]
    )


class DeliverableForm(forms.ModelForm):
    class Meta:
        model = Deliverable
        fields = DELIVERABLE_FIELDS
        widgets = {
            "due_fixed_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
        }
        labels = {"enabled": _("Switched on")}


class SchemeForm(forms.ModelForm):
    class Meta:
        model = GradingScheme
        fields = WEIGHT_FIELDS
        help_texts = {
            "weight_presentation": _("0 switches a component off; the three add up to 100."),
        }


class OpenForm(forms.Form):
    opens_at = _datetime_field(_("Open at (empty: now)"))
