from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seminar.enums import DegreeLevel, StaffKind
from seminar.validators import validate_one_line

# ASCII digits only: "\d" would also take other scripts' digits (full-width "２５７０１０１"),
# which would escape the uniqueness check of the same number typed in ASCII.
MATRICULATION_NUMBER_PATTERN = r"^[0-9]{5,12}\Z"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in by e-mail: a student, or staff reaching the admin."""

    email = models.EmailField(_("e-mail address"), unique=True, validators=[validate_one_line])
    full_name = models.CharField(_("name"), max_length=150, validators=[validate_one_line])
    matriculation_number = models.CharField(
        max_length=12,
        blank=True,
        validators=[RegexValidator(MATRICULATION_NUMBER_PATTERN, "Use 5 to 12 digits (0-9).")],
        help_text=_("Students only."),
        verbose_name=_("matriculation number"),
    )
    degree_level = models.CharField(
        max_length=16, choices=DegreeLevel.choices, blank=True, verbose_name=_("degree level")
    )
    programme = models.CharField(
        _("study programme"),
        max_length=120,
        blank=True,
        help_text=_("e.g. Computer Science"),
        validators=[validate_one_line],
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Can log into the admin site.")
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    # The language of the site and of every e-mail to this person.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
    )
    date_joined = models.DateTimeField(default=timezone.now, verbose_name=_("date joined"))

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(
                fields=["matriculation_number"],
                condition=~models.Q(matriculation_number=""),
                name="user_matriculation_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class StaffRole(models.Model):
    """A person's role in one seminar: organizer (professor) or supervisor."""

    seminar = models.ForeignKey(
        "seminar.Seminar", on_delete=models.CASCADE, related_name="staff", verbose_name=_("seminar")
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("user")
    )
    kind = models.CharField(max_length=16, choices=StaffKind.choices, verbose_name=_("kind"))
    listed_as = models.CharField(
        max_length=150,
        blank=True,
        help_text=_(
            "How the seminar page lists this person, e.g. 'Prof. Dr. Ada Example'. "
            "Empty: the person's name."
        ),
        verbose_name=_("listed as"),
        validators=[validate_one_line],
    )
    initials = models.CharField(
        max_length=8,
        blank=True,
        help_text=_("Shown in the reading list."),
        verbose_name=_("initials"),
        validators=[validate_one_line],
    )
    max_students = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "Supervisors: the most students the allocation may give them. Empty: no limit."
        ),
        verbose_name=_("max students"),
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Order on the page."), verbose_name=_("position")
    )

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        ordering = ["seminar", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "user", "kind"], name="staffrole_one_per_kind"
            ),
        ]

    def __str__(self) -> str:
        label = self.display_name
        return f"{label} ({self.initials})" if self.initials else label

    @property
    def display_name(self) -> str:
        return self.listed_as or self.user.full_name
