from django import forms

from topics.models import Topic
from topics.services import PREFERENCES_REQUIRED


class PreferenceForm(forms.Form):
    """Exactly three distinct topics of the seminar, unordered."""

    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Your three topics",
        error_messages={
            "invalid_choice": "One of the chosen topics is not a topic of this seminar.",
            "invalid_pk_value": "One of the chosen topics is not a topic of this seminar.",
            "required": "Choose exactly three topics.",
        },
    )

    def __init__(self, *args, topics, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics
        self.fields["topics"].disabled = disabled

    def clean_topics(self):
        chosen = self.cleaned_data["topics"]
        if len(chosen) != PREFERENCES_REQUIRED:
            raise forms.ValidationError(f"Choose exactly three topics; you chose {len(chosen)}.")
        return chosen

    def clean(self):
        cleaned = super().clean()
        raw = self.data.getlist(self.add_prefix("topics")) if hasattr(self.data, "getlist") else []
        if len(raw) != len(set(raw)):
            raise forms.ValidationError("Choose three different topics; a topic was chosen twice.")
        return cleaned


class SeedForm(forms.Form):
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**62,
        help_text="Leave empty for a new random seed; enter a run's seed to repeat it exactly.",
    )


class AssignmentChangeForm(forms.Form):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(), required=False, empty_label="(no topic)"
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics
