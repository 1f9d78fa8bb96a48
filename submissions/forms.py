import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from seminar.deadlines import at_local
from seminar.models import Registration
from seminar.validators import validate_one_line
from submissions.enums import DeliverableKind
from submissions.models import Deliverable
from topics.models import Topic

ACCEPT = {
    DeliverableKind.SLIDE_DRAFT: ".pdf,application/pdf",
    DeliverableKind.REPORTS: ".pdf,application/pdf",
    DeliverableKind.PROJECT: ".pdf,.zip,.tar.gz,.tgz,application/pdf,application/zip,"
    "application/gzip",
}
FILE_LABELS = {
    DeliverableKind.SLIDE_DRAFT: _("Slide draft (PDF)"),
    DeliverableKind.REPORTS: _("Report (PDF)"),
    DeliverableKind.PROJECT: _("Project (PDF, .zip or .tar.gz)"),
}


class UploadForm(forms.Form):
    """One upload: the file, and what a report is about or where a project's code lives."""

    number = forms.IntegerField(min_value=1, initial=1, widget=forms.HiddenInput)
    topic = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label=_("Topic of the report")
    )
    title = forms.CharField(
        required=False, max_length=200, label=_("Own title"), validators=[validate_one_line]
    )
    repository_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label=_("Repository link (optional)"),
        validators=[validate_one_line],
    )
    file = forms.FileField(
        label=_("File"),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty. Choose the file again and upload it."),
        },
    )

    def __init__(self, *args, deliverable: Deliverable, topics: list[Topic] = (), **kwargs):
        kwargs.setdefault("auto_id", f"id_{deliverable.kind}_%s")
        super().__init__(*args, **kwargs)
        self.deliverable = deliverable
        kind = deliverable.kind
        self.fields["file"].label = FILE_LABELS[kind]
        self.fields["file"].widget.attrs["accept"] = ACCEPT[kind]
        self.topics = {topic.pk: topic for topic in topics}
        if kind == DeliverableKind.REPORTS:
            self.fields["topic"].choices = [("", _("My own topic (give its title below)"))] + [
                (topic.pk, topic.title) for topic in topics
            ]
            self.fields["number"].max_value = deliverable.count
            self.fields["number"].validators.append(MaxValueValidator(deliverable.count))
        else:
            del self.fields["topic"], self.fields["title"]
        if kind != DeliverableKind.PROJECT:
            del self.fields["repository_url"]

    def clean_topic(self) -> Topic | None:
        pk = self.cleaned_data.get("topic")
        return self.topics.get(pk) if pk is not None else None

    def clean(self):
        data = super().clean()
        is_report = self.deliverable.kind == DeliverableKind.REPORTS
        if (
            is_report
            and not self.errors
            and (data.get("topic") is None) == (not data.get("title", "").strip())
        ):
            raise forms.ValidationError(
                _(
                    "Choose the report's topic from the list, or give a title of your own "
                    "(one of the two)."
                )
            )
        return data


class TeamInviteForm(forms.Form):
    email = forms.EmailField(label=_("Your partner's e-mail address"))


class ExtensionForm(forms.Form):
    """The organizer's extension: one student (or their whole project team), one deliverable."""

    registration = forms.ModelChoiceField(
        queryset=Registration.objects.none(), label=_("Student"), empty_label=None
    )
    deliverable = forms.ModelChoiceField(
        queryset=Deliverable.objects.none(), label=_("Deliverable"), empty_label=None
    )
    whole_team = forms.BooleanField(
        required=False, label=_("For the student's whole project team (project only)")
    )
    day = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        initial=dt.time(23, 59),
        label=_("at (Berlin time)"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args, registrations, deliverables, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = registrations
        self.fields["registration"].label_from_instance = lambda r: r.student.full_name
        self.fields["deliverable"].queryset = deliverables
        self.fields["deliverable"].label_from_instance = lambda d: d.get_kind_display()

    @property
    def due_at(self) -> dt.datetime:
        """A time given to the minute lasts to that minute's end, like "23:59" does."""
        time = self.cleaned_data["time"].replace(second=59, microsecond=999999)
        return at_local(self.cleaned_data["day"], time)
