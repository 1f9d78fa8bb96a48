"""The setup pages: a new seminar, then each step on its own page, saved on its own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from seminar.enums import StaffKind
from seminar.errors import DomainError
from seminar.services.staff import staff_role_remove
from setup import forms, selectors, services
from setup.rules import may_create_seminars, seminar_to_set_up
from submissions.enums import DeliverableKind


@login_required
@require_http_methods(["GET", "POST"])
def seminar_new(request: HttpRequest) -> HttpResponse:
    if not may_create_seminars(request.user):
        raise PermissionDenied
    initial = {"contact_name": request.user.full_name, "contact_email": request.user.email}
    form = forms.BasicsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            seminar = services.setup_seminar_create(creator=request.user, values=form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The seminar is created. Next: its dates."))
            return redirect("setup:step", slug=seminar.slug, step="dates")
    return render(request, "setup/new.html", {"form": form})


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = seminar_to_set_up(request.user, slug)
    return _page(request, seminar, "overview", {"open_form": forms.OpenForm()})


@login_required
@require_POST
def registration_open(request: HttpRequest, slug: str) -> HttpResponse:
    seminar = seminar_to_set_up(request.user, slug)
    form = forms.OpenForm(request.POST)
    if form.is_valid():
        try:
            services.setup_registration_open(
                seminar=seminar, opens_at=form.cleaned_data["opens_at"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Registration is open."))
            return redirect("setup:overview", slug=seminar.slug)
    return _page(request, seminar, "overview", {"open_form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    seminar = seminar_to_set_up(request.user, slug)
    handler = STEP_HANDLERS.get(step)
    if handler is None:
        raise Http404("No such step.")
    return handler(request, seminar)


@login_required
@require_POST
def staff_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    seminar = seminar_to_set_up(request.user, slug)
    role = seminar.staff.filter(pk=pk).first()
    if role is None:
        raise Http404("No such role.")
    try:
        staff_role_remove(role=role)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(person)s no longer has this role.") % {"person": role})
    return redirect("setup:step", slug=seminar.slug, step="staff")


def _basics(request, seminar):
    form = forms.BasicsForm(request.POST or None, instance=_fresh(seminar))
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request, form, services.setup_basics_save, seminar=seminar, values=form.cleaned_data
        )
    ):
        return _saved(request, seminar, "dates")
    return _page(request, seminar, "basics", {"form": form}, bound=form)


def _dates(request, seminar):
    initial = {
        "preference_deadline": seminar.preference_deadline,
        "registration_closes_at": seminar.registration_closes_at,
        "capacity": seminar.capacity,
    }
    kickoff = seminar.meetings.filter(kind="kickoff").first()
    if kickoff:
        initial.update(
            kickoff_date=kickoff.date, kickoff_time=kickoff.start_time, kickoff_room=kickoff.room
        )
    form = forms.DatesForm(request.POST or None, initial=initial)
    sessions = forms.SessionFormSet(
        request.POST or None, queryset=forms.sessions_of(seminar), prefix="sessions"
    )
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        rows = []
        for session_form in sessions.forms:
            existing = session_form.instance if session_form.instance.pk else None
            if existing is None and not session_form.has_changed():
                continue
            rows.append(
                {
                    **{
                        k: v
                        for k, v in session_form.cleaned_data.items()
                        if k in services.MEETING_FIELDS
                    },
                    "meeting": _fresh(existing),
                    "delete": session_form in sessions.deleted_forms,
                }
            )
        values = {name: form.cleaned_data[name] for name in services.DATES_FIELDS}
        if _run(
            request,
            form,
            services.setup_dates_save,
            seminar=seminar,
            values=values,
            kickoff=form.kickoff(),
            sessions=rows,
        ):
            return _saved(request, seminar, "staff")
    return _page(request, seminar, "dates", {"form": form, "sessions": sessions}, bound=form)


def _staff(request, seminar):
    form = forms.InviteForm(request.POST or None, initial={"kind": StaffKind.SUPERVISOR})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            request,
            form,
            services.setup_staff_invite,
            seminar=seminar,
            email=data["email"],
            kind=data["kind"],
            full_name=data["full_name"],
            initials=data["initials"],
        ):
            # The same words whether the account existed or not.
            messages.success(
                request,
                _("%(email)s has the role now and gets an e-mail with the way in.")
                % {"email": data["email"].strip().lower()},
            )
            return redirect("setup:step", slug=seminar.slug, step="staff")
    staff = seminar.staff.select_related("user").order_by("kind", "position")
    return _page(request, seminar, "staff", {"form": form, "staff": staff}, bound=form)


def _topics(request, seminar):
    is_material = request.method == "POST" and "add_material" in request.POST
    material_form = forms.MaterialForm(request.POST if is_material else None, prefix="material")
    topics = forms.TopicFormSet(
        request.POST if request.method == "POST" and not is_material else None,
        seminar=seminar,
        prefix="topics",
    )
    if is_material and material_form.is_valid():
        if _run(
            request,
            material_form,
            services.setup_material_add,
            seminar=seminar,
            **material_form.cleaned_data,
        ):
            messages.success(request, _("The entry is added to the supplementary list."))
            return redirect("setup:step", slug=seminar.slug, step="topics")
    elif request.method == "POST" and not is_material and topics.is_valid():
        rows = []
        for topic_form in topics.forms:
            existing = topic_form.instance if topic_form.instance.pk else None
            if existing is None and not topic_form.has_changed():
                continue
            data = topic_form.cleaned_data
            rows.append(
                {
                    **{k: data.get(k) for k in services.TOPIC_FIELDS},
                    "materials": list(data.get("materials") or []),
                    "topic": _fresh(existing),
                    "delete": topic_form in topics.deleted_forms,
                }
            )
        if _run(request, None, services.setup_topics_save, seminar=seminar, rows=rows):
            return _saved(request, seminar, "rules")
    context = {
        "topics": topics,
        "material_form": material_form,
        "materials": seminar.materials.all(),
    }
    return _page(
        request, seminar, "topics", context, bound=topics if request.method == "POST" else None
    )


def _rules(request, seminar):
    data = request.POST or None
    deliverables = {d.kind: d for d in seminar.deliverables.all()}
    deliverable_forms = [
        (kind, label, forms.DeliverableForm(data, instance=deliverables.get(kind), prefix=kind))
        for kind, label in DeliverableKind.choices
        if kind in deliverables
    ]
    scheme = forms.SchemeForm(data, instance=seminar.grading_scheme, prefix="grading")
    every = [f for _, _, f in deliverable_forms] + [scheme]
    valid = [f.is_valid() for f in every]  # every form, so that each shows its errors
    if request.method == "POST" and all(valid):
        values = {
            kind: {name: form.cleaned_data[name] for name in services.DELIVERABLE_FIELDS}
            for kind, _label, form in deliverable_forms
        }
        weights = {name: scheme.cleaned_data[name] for name in services.WEIGHT_FIELDS}
        # The forms' instances hold the new values already; the service reads its own rows.
        if _run(
            request,
            scheme,
            services.setup_rules_save,
            seminar=seminar,
            deliverables=values,
            scheme=weights,
        ):
            return _saved(request, seminar, None)
    context = {"deliverable_forms": deliverable_forms, "scheme": scheme}
    return _page(
        request, seminar, "rules", context, bound=scheme if request.method == "POST" else None
    )


STEP_HANDLERS = {
    "basics": _basics,
    "dates": _dates,
    "staff": _staff,
    "topics": _topics,
    "rules": _rules,
}


def _run(request, form, service, **kwargs) -> bool:
    """Call a service; a refusal becomes the form's (or the page's) message, nothing is lost."""
    try:
        service(**kwargs)
    except DomainError as error:
        if form is not None:
            form.add_error(None, error.message)
        else:
            messages.error(request, error.message)
        return False
    return True


def _saved(request, seminar, next_step: str | None):
    messages.success(request, _("Saved."))
    if next_step is None:
        return redirect("setup:overview", slug=seminar.slug)
    return redirect("setup:step", slug=seminar.slug, step=next_step)


def _fresh(obj):
    """The row as stored (a bound ModelForm has already put the new values on its instance)."""
    return type(obj).objects.get(pk=obj.pk) if obj is not None else None


def _page(request, seminar, current, context, *, bound=None, status=None):
    if status is None:
        status = 400 if bound is not None and request.method == "POST" else 200
    checklist = selectors.setup_checklist(seminar)
    return render(
        request,
        f"setup/{current}.html",
        {
            "seminar": seminar,
            "steps": selectors.STEPS,
            "current": current,
            "checklist": checklist,
            "complete": all(item.done for item in checklist),
            **context,
        },
        status=status,
    )
