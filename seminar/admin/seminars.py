"""A seminar's page in the admin: its facts, meetings, criteria and staff (other apps add
their inlines to `SeminarAdmin.inlines`)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from seminar import selectors
from seminar.admin_scoping import (
    ScopedTabularInline,
    SeminarScopedAdmin,
    SeminarScopedForm,
    deletion_register,
)
from seminar.enums import StaffKind
from seminar.errors import DomainError
from seminar.forms import CarryForwardForm
from seminar.models import Meeting, PresentationCriterion, Seminar, StaffRole
from seminar.services import registration as registration_services
from seminar.services.setup import seminar_delete, seminar_delete_refusal, seminar_setup
from seminar.services.staff import (
    staff_member_add,
    staff_role_remove,
    staff_role_remove_refusal,
    staff_roles_remove_refusal,
)
from seminar.validators import validate_one_line

deletion_register(
    Seminar, refusal=seminar_delete_refusal, delete=lambda s: seminar_delete(seminar=s)
)
deletion_register(
    StaffRole, refusal=staff_role_remove_refusal, delete=lambda r: staff_role_remove(role=r)
)

PASSWORD_HINT = _(
    "If they have no password for this site yet, they set one with “Forgot password?” on the "
    "log-in page, using this address."
)


# --- Staff: existing roles, and adding people by e-mail address ----------------------------


class StaffRoleFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        leaving = [form.instance for form in self.deleted_forms if form.instance.pk]
        refusal = staff_roles_remove_refusal(leaving) if leaving else None
        if refusal:
            raise ValidationError(refusal)


class StaffRoleInline(ScopedTabularInline):
    """The seminar's staff. Who holds a role cannot be changed here: remove it, add another."""

    model = StaffRole
    formset = StaffRoleFormSet
    extra = 0
    fields = ["person", "kind", "listed_as", "initials", "max_students", "position"]
    readonly_fields = ["person", "kind"]
    verbose_name_plural = _("staff")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # through the "Add staff" rows below, by e-mail address

    @admin.display(description=_("person"))
    def person(self, role: StaffRole) -> str:
        return f"{role.user.full_name} <{role.user.email}>"


class StaffAddForm(SeminarScopedForm):
    email = forms.EmailField(label=_("e-mail address"), validators=[validate_one_line])
    full_name = forms.CharField(
        label=_("name"),
        max_length=150,
        required=False,
        validators=[validate_one_line],
        help_text=_("Used only if nobody has an account with this address yet."),
    )

    class Meta:
        model = StaffRole
        fields = ["email", "full_name", "kind", "listed_as", "initials", "max_students"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        email, kind = cleaned.get("email"), cleaned.get("kind")
        seminar_id = self.instance.seminar_id
        # Only the seminar's own staff are looked at: nothing is told about anyone else.
        if email and kind and seminar_id:
            held = StaffRole.objects.filter(
                seminar_id=seminar_id, kind=kind, user__email__iexact=email
            )
            if held.exists():
                self.add_error(
                    "email", gettext("This person holds that role in this seminar already.")
                )
        return cleaned


class StaffAddFormSet(forms.BaseInlineFormSet):
    def save_new(self, form, commit=True):
        data = form.cleaned_data
        return staff_member_add(
            seminar=self.instance,
            email=data["email"],
            kind=data["kind"],
            full_name=data["full_name"],
            listed_as=data["listed_as"],
            initials=data["initials"],
            max_students=data["max_students"],
        )


class StaffAddInline(ScopedTabularInline):
    """Staff are added by e-mail address: an existing account gets the role, an unknown
    address gets a new account. No list of people is offered to choose from."""

    model = StaffRole
    form = StaffAddForm
    formset = StaffAddFormSet
    extra = 1
    can_delete = False
    verbose_name = _("staff member")
    verbose_name_plural = _("add staff by e-mail address")

    def get_queryset(self, request):
        return super().get_queryset(request).none()


# --- The seminar's other rows ---------------------------------------------------------------


class MeetingInline(ScopedTabularInline):
    model = Meeting
    extra = 0


class PresentationCriterionInline(ScopedTabularInline):
    model = PresentationCriterion
    extra = 0


class SeminarAdminForm(SeminarScopedForm):
    """The admin supplies the model and fields; this adds the capacity check and the opening
    check for a registration window typed by hand."""

    WINDOW = ("registration_opens_at", "registration_closes_at")

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            taken = selectors.seats_taken(self.instance)
            if capacity < taken:
                raise forms.ValidationError(
                    ngettext(
                        "%(count)d seat is taken; the capacity cannot be lower than that.",
                        "%(count)d seats are taken; the capacity cannot be lower than that.",
                        taken,
                    )
                    % {"count": taken}
                )
        return capacity

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds the typed values
        if self.errors or not any(name in self.changed_data for name in self.WINDOW):
            return
        stored = Seminar.objects.filter(pk=self.instance.pk).values_list(*self.WINDOW).first()
        old_opens, old_closes = stored or (None, None)
        try:
            # A window that opens now or later is a way of opening registration, so it asks
            # the same checklist as "Open registration now" (inline rows count once saved).
            registration_services.registration_window_check(
                self.instance, old_opens=old_opens, old_closes=old_closes
            )
        except DomainError as refusal:
            self.add_error(None, refusal.message)


@admin.register(Seminar)
class SeminarAdmin(SeminarScopedAdmin):
    form = SeminarAdminForm
    list_display = [
        "title",
        "term",
        "tag",
        "capacity",
        "registration_opens_at",
        "registration_closes_at",
    ]
    search_fields = ["title", "tag", "term"]
    prepopulated_fields = {"slug": ["title", "term"]}  # next year's run gets its own
    inlines = [StaffRoleInline, StaffAddInline, MeetingInline, PresentationCriterionInline]
    actions = ["open_registration", "close_registration", "carry_forward"]
    # Opening the preference form e-mails the participants: only its button does it.
    readonly_fields = ["preferences_opened_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "tag", "term", "overview", "background"]}),
        (
            _("Facts"),
            {
                "fields": [
                    "language",
                    "ects",
                    "mode",
                    "eligibility",
                    "admits_bachelor",
                    "admits_master",
                    "admits_graduate",
                    "contact_name",
                    "contact_email",
                    "exam_registration_note",
                    "exam_registration_date",
                ]
            },
        ),
        (
            _("Registration and waiting list"),
            {
                "fields": [
                    "capacity",
                    "registration_opens_at",
                    "registration_closes_at",
                    "has_waiting_list",
                    "offer_hours",
                ]
            },
        ),
        (_("Topic preferences"), {"fields": ["preferences_opened_at", "preference_deadline"]}),
        (
            _("Rules"),
            {
                # Open, not collapsed: what the seminar page publishes is in plain sight.
                "fields": [
                    "requirements",
                    "presentation_text",
                    "talk_minutes",
                    "talk_max_minutes",
                    "discussions_text",
                ],
            },
        ),
    ]

    def save_model(self, request, obj: Seminar, form, change: bool) -> None:
        new_capacity = obj.capacity
        if change and "capacity" in form.changed_data:
            obj.capacity = form.initial["capacity"]
        super().save_model(request, obj, form, change)
        if obj.capacity != new_capacity:
            # Through the service: a higher capacity offers the new seats to those waiting.
            registration_services.seminar_capacity_set(seminar=obj, capacity=new_capacity)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if isinstance(formset, StaffAddFormSet):
            for role in formset.new_objects:
                if role.kind == StaffKind.ORGANIZER:
                    added = gettext("Added %(email)s as an organizer of this seminar.")
                else:
                    added = gettext("Added %(email)s as a supervisor of this seminar.")
                self.message_user(
                    request,
                    # Not starting with the address: the admin capitalizes a message's first letter.
                    f"{added % {'email': role.user.email}} {PASSWORD_HINT}",
                    messages.SUCCESS,
                )

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change:  # after the inlines, so that settings entered there are kept
            seminar_setup(seminar=form.instance, creator=request.user)

    @admin.action(description=_("Open registration now"), permissions=["change"])
    def open_registration(self, request, queryset) -> None:
        for seminar in queryset:
            try:
                registration_services.registration_open_now(seminar=seminar)
            except DomainError as refusal:  # the setup checklist still has gaps
                self.message_user(request, f"{seminar}: {refusal.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Registration is open: %(seminar)s.") % {"seminar": seminar},
                    messages.SUCCESS,
                )

    @admin.action(
        description=_("Close registration now (the waiting list stays open)"),
        permissions=["change"],
    )
    def close_registration(self, request, queryset) -> None:
        for seminar in queryset:
            registration_services.registration_close_now(seminar=seminar)
        self.message_user(request, gettext("Registration is closed."), messages.SUCCESS)

    @admin.action(description=_("Start the next run of this seminar…"), permissions=["change"])
    def carry_forward(self, request, queryset):
        """One seminar at a time, through the same service and form as the organizer's page."""
        seminars = list(queryset[:2])
        if len(seminars) != 1:
            self.message_user(
                request,
                gettext("Select exactly one seminar to start its next run."),
                messages.WARNING,
            )
            return None
        source = seminars[0]
        form = CarryForwardForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                target = form.carry_forward(source=source, actor=request.user)
            except DomainError as refusal:
                form.add_error(None, refusal.message)
            else:
                self.message_user(
                    request,
                    gettext("The next run of %(source)s is %(target)s (/%(slug)s/).")
                    % {"source": source, "target": target, "slug": target.slug},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:seminar_seminar_change", args=[target.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Start the next run of %(seminar)s") % {"seminar": source},
            "source": source,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "seminar/admin/carry_forward.html", context)
