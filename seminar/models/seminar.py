import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from seminar.deadlines import at_local
from seminar.enums import DegreeLevel, MeetingKind, SeminarMode
from seminar.validators import validate_one_line

# Top-level paths that a seminar slug would shadow.
RESERVED_SLUGS = {"admin", "accounts", "healthz", "static", "media", "me", "organize"}


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("'%(slug)s' is used by the site itself; choose another slug.") % {"slug": value}
        )


# Dates a seminar can sensibly have. Far-off years are typing mistakes (9999 for 2025), and
# date arithmetic on them (deadlines, talk times) would run past the calendar's end.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def validate_sane_date(value: dt.date | dt.datetime) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _(
                "Enter a date between the years %(first)s and %(last)s; "
                "%(year)s looks like a typing mistake."
            )
            % {"first": FIRST_YEAR, "last": LAST_YEAR, "year": value.year}
        )


class Seminar(models.Model):
    """One run of a seminar: its facts, its rules and its registration settings."""

    title = models.CharField(
        max_length=200, validators=[validate_one_line], verbose_name=_("title")
    )
    slug = models.SlugField(
        unique=True, validators=[validate_slug_not_reserved], verbose_name=_("slug")
    )
    tag = models.CharField(
        max_length=40,
        help_text=_("Short tag for e-mail subjects, without brackets: DeepDiffusion"),
        validators=[validate_one_line],
        verbose_name=_("tag"),
    )
    term = models.CharField(
        max_length=60,
        blank=True,
        help_text=_("e.g. Winter 2022/23"),
        validators=[validate_one_line],
        verbose_name=_("term"),
    )
    overview = models.TextField(
        blank=True,
        help_text=_("Topic overview; blank lines separate paragraphs."),
        verbose_name=_("overview"),
    )
    background = models.TextField(
        blank=True, help_text=_("Recommended background knowledge."), verbose_name=_("background")
    )
    language = models.CharField(
        max_length=40, default="English", validators=[validate_one_line], verbose_name=_("language")
    )
    ects = models.PositiveSmallIntegerField(_("ECTS"), default=7)
    mode = models.CharField(
        max_length=16,
        choices=SeminarMode.choices,
        default=SeminarMode.IN_PERSON,
        verbose_name=_("mode"),
    )
    eligibility = models.CharField(
        max_length=250,
        blank=True,
        help_text=_("Shown on the page, e.g. 'bachelor/master students of computer science'."),
        verbose_name=_("eligibility"),
        validators=[validate_one_line],
    )
    admits_bachelor = models.BooleanField(default=True, verbose_name=_("admits bachelor"))
    admits_master = models.BooleanField(default=True, verbose_name=_("admits master"))
    admits_graduate = models.BooleanField(default=True, verbose_name=_("admits graduate"))
    contact_name = models.CharField(
        max_length=150, validators=[validate_one_line], verbose_name=_("contact name")
    )
    contact_email = models.EmailField(
        validators=[validate_one_line], verbose_name=_("contact email")
    )

    # Registration and waiting list
    capacity = models.PositiveIntegerField(default=12, verbose_name=_("capacity"))
    registration_opens_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_sane_date],
        verbose_name=_("registration opens at"),
    )
    registration_closes_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_sane_date],
        verbose_name=_("registration closes at"),
    )
    has_waiting_list = models.BooleanField(default=True, verbose_name=_("has waiting list"))
    offer_hours = models.PositiveSmallIntegerField(
        default=48,
        help_text=_(
            "How long a freed seat is held for the first person waiting. 0: promote at once."
        ),
        verbose_name=_("offer hours"),
    )

    # Topic preferences
    preferences_opened_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_sane_date],
        help_text=_("Set when the organizer opens the preference form."),
        verbose_name=_("preferences opened at"),
    )
    preference_deadline = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_sane_date],
        verbose_name=_("preference deadline"),
    )

    exam_registration_note = models.CharField(
        max_length=250,
        blank=True,
        default="Depending on the study regulations, (un)registration in HISPOS/LSF is due by",
        verbose_name=_("exam registration note"),
        validators=[validate_one_line],
    )
    exam_registration_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_sane_date],
        verbose_name=_("exam registration date"),
    )

    # The seminar's own texts; the rules of deliverables and grades belong to their apps.
    requirements = models.TextField(
        blank=True,
        help_text=_("What it takes to pass; one per line."),
        verbose_name=_("requirements"),
    )
    presentation_text = models.TextField(blank=True, verbose_name=_("presentation text"))
    talk_minutes = models.PositiveSmallIntegerField(default=20, verbose_name=_("talk minutes"))
    talk_max_minutes = models.PositiveSmallIntegerField(
        default=25, verbose_name=_("talk max minutes")
    )
    discussions_text = models.TextField(blank=True, verbose_name=_("discussions text"))

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = ["-created_at"]
        # Granted to a person or a group in the admin (superusers hold it): the setup pages.
        permissions = [("create_seminar", "May create seminars")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(talk_max_minutes__gte=models.F("talk_minutes")),
                name="seminar_talk_max_not_below_usual",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.term})" if self.term else self.title

    def get_absolute_url(self) -> str:
        return reverse("seminar:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.talk_max_minutes < self.talk_minutes:
            raise ValidationError(_("The longest talk cannot be shorter than the usual talk."))
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            raise ValidationError(_("Registration must close after it opens."))

    @property
    def subject_prefix(self) -> str:
        return f"[{self.tag}]"

    def admits(self, degree_level: str) -> bool:
        return {
            DegreeLevel.BACHELOR: self.admits_bachelor,
            DegreeLevel.MASTER: self.admits_master,
            DegreeLevel.GRADUATE: self.admits_graduate,
        }.get(degree_level, False)

    def registration_is_open(self, now: dt.datetime) -> bool:
        if self.registration_opens_at is None or now < self.registration_opens_at:
            return False
        return self.registration_closes_at is None or now < self.registration_closes_at

    def requirement_lines(self) -> list[str]:
        return [line.strip() for line in self.requirements.splitlines() if line.strip()]

    def overview_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.overview.split("\n\n") if p.strip()]


class Meeting(models.Model):
    """The kick-off meeting or one seminar session (a day of talks)."""

    seminar = models.ForeignKey(
        Seminar, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("seminar")
    )
    kind = models.CharField(
        max_length=16,
        choices=MeetingKind.choices,
        default=MeetingKind.SESSION,
        verbose_name=_("kind"),
    )
    date = models.DateField(validators=[validate_sane_date], verbose_name=_("date"))
    start_time = models.TimeField(verbose_name=_("start time"))
    room = models.CharField(
        max_length=120,
        help_text=_("e.g. 1.06 (E1.1)"),
        validators=[validate_one_line],
        verbose_name=_("room"),
    )
    talk_slots = models.PositiveSmallIntegerField(
        default=6, help_text=_("Sessions: talks that day."), verbose_name=_("talk slots")
    )
    slot_minutes = models.PositiveSmallIntegerField(
        default=45,
        help_text=_("Sessions: minutes from one talk's start to the next (talk and discussion)."),
        verbose_name=_("slot minutes"),
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "kind", "date"], name="meeting_one_per_kind_and_day"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.date:%Y-%m-%d} {self.start_time:%H:%M}, {self.room}"
        )

    @property
    def starts_at(self) -> dt.datetime:
        return at_local(self.date, self.start_time)

    @property
    def room_label(self) -> str:
        """ "room 1.06 (E1.1)"; a room written with its word ("Room 101") as it is written."""
        return self.room if self.room.lower().startswith("room") else f"room {self.room}"

    @property
    def room_name(self) -> str:
        """The room without its word ("Room 101" → "101"), for sentences that say "room"."""
        return re.sub(r"^(?:room|raum)\s+", "", self.room, flags=re.IGNORECASE)

    def slot_starts_at(self, slot: int) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.slot_minutes * (slot - 1))


class PresentationCriterion(models.Model):
    """One of the seminar's presentation guidelines; supervisors grade talks against them."""

    seminar = models.ForeignKey(
        Seminar, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("seminar")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    text = models.CharField(max_length=400, validators=[validate_one_line], verbose_name=_("text"))

    class Meta:
        verbose_name = _("presentation criterion")
        ordering = ["position", "pk"]
        verbose_name_plural = _("presentation criteria")

    def __str__(self) -> str:
        return self.text
