from django import forms
from django.utils.translation import gettext_lazy as _

from topics.models import Topic
from topics.services import PREFERENCES_REQUIRED

MAX_ID_DIGITS = 19  # a 64-bit primary key has at most 19 digits


class PreferenceForm(forms.Form):
    """Exactly three distinct topics of the seminar, unordered."""

    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Your three topics"),
        error_messages={
            "invalid_choice": _("One of the chosen topics is not a topic of this seminar."),
            "invalid_pk_value": _("One of the chosen topics is not a topic of this seminar."),
            "required": _("Choose exactly three topics."),
        },
    )

    def __init__(self, *args, topics, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics
        self.fields["topics"].disabled = disabled

    def clean_topics(self):
        chosen = self.cleaned_data["topics"]
        if len(chosen) != PREFERENCES_REQUIRED:
            raise forms.ValidationError(
                _("Choose exactly three topics; you chose %(count)d.") % {"count": len(chosen)}
            )
        return chosen

    def clean(self):
        cleaned = super().clean()
        if len(self.raw_ids()) != len(set(self.raw_ids())):
            raise forms.ValidationError(
                _("Choose three different topics; a topic was chosen twice.")
            )
        return cleaned

    def raw_ids(self) -> list[str]:
        """What was ticked, as sent."""
        if not self.is_bound or not hasattr(self.data, "getlist"):
            return []
        return self.data.getlist(self.add_prefix("topics"))

    def ticked(self) -> set[int]:
        """The topic ids ticked in the submitted form, so that a refusal loses none of them.
        Anything that is no id of a row (not digits, or longer than a 64-bit key) is left out."""
        return {
            int(raw)
            for raw in self.raw_ids()
            if raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS
        }


class LateChoiceForm(forms.Form):
    """A late joiner's topic. Any topic of the seminar: whether it is still free is the
    service's decision, taken under the lock, so a topic taken meanwhile is told as such."""

    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose one of the free topics."),
            "invalid_choice": _("Choose one of the free topics of this seminar."),
        },
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics


class SeedForm(forms.Form):
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**62,
        label=_("Seed"),
        help_text=_("Leave empty for a new random seed; enter a run's seed to repeat it exactly."),
    )


class LateChoiceHoursForm(forms.Form):
    late_choice_hours = forms.IntegerField(
        min_value=0,
        max_value=24 * 30,
        label=_("Hours a late joiner has to choose"),
        help_text=_("After them a free topic is assigned at random; 0 assigns one at once."),
    )


class AssignmentChangeForm(forms.Form):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(), required=False, empty_label=_("(no topic)")
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics


class TopicListUploadForm(forms.Form):
    """A spreadsheet of topics, saved as CSV (UTF-8)."""

    file = forms.FileField(
        label=_("Topic list (CSV)"),
        help_text=_(
            "Columns: title, year, paper_link, supervisor_email, mock_group, capacity, "
            "session_date, slot, materials. Save as “CSV UTF-8”."
        ),
    )
