import datetime as dt

import factory
from django.utils import timezone

from seminar.enums import DegreeLevel, MeetingKind, RegistrationStatus, StaffKind
from seminar.models import Meeting, Registration, Seminar, StaffRole, User
from seminar.services.setup import seminar_setup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"student{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Student {n:03d}")
    matriculation_number = factory.Sequence(lambda n: f"{2600000 + n}")
    degree_level = DegreeLevel.MASTER
    programme = "Computer Science"
    password = factory.django.Password("secret-password-1")


class StaffUserFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Staff {n:03d}")
    matriculation_number = ""
    degree_level = ""
    programme = ""
    is_staff = True


class SeminarFactory(factory.django.DjangoModelFactory):
    """A seminar whose registration is open now and whose sessions lie ahead."""

    class Meta:
        model = Seminar
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Seminar {n}")
    slug = factory.Sequence(lambda n: f"seminar-{n}")
    tag = factory.Sequence(lambda n: f"Sem{n}")
    contact_name = "Contact Person"
    contact_email = "contact@example.org"
    capacity = 12
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    offer_hours = 48

    @factory.post_generation
    def setup(seminar, create, extracted, **kwargs):
        """Complete it like every door does: each app adds its settings for the new seminar."""
        if create:
            seminar_setup(seminar=seminar)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    seminar = factory.SubFactory(SeminarFactory)
    kind = MeetingKind.SESSION
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    start_time = dt.time(9, 30)
    room = "1.06 (E1.1)"


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    seminar = factory.SubFactory(SeminarFactory)
    user = factory.SubFactory(StaffUserFactory)
    kind = StaffKind.SUPERVISOR
    initials = factory.Sequence(lambda n: f"S{n}")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    seminar = factory.SubFactory(SeminarFactory)
    student = factory.SubFactory(UserFactory)
    status = RegistrationStatus.CONFIRMED
    joined_at = factory.LazyFunction(timezone.now)
    status_changed_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyAttribute(
        lambda r: r.joined_at if r.status == RegistrationStatus.CONFIRMED else None
    )
    queue_number = factory.LazyAttributeSequence(
        lambda r, n: n + 1 if r.status == RegistrationStatus.WAITING else None
    )
