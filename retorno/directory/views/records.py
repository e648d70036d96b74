"""A service's and an organisation's pages, and the forms that add and change entries:
access -> form -> action -> redirect, or the form again with what was typed and status 422."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from retorno.directory import access, actions
from retorno.directory.forms import (
    LocationForm,
    OrganizationForm,
    ProgramForm,
    ServiceForm,
    ServiceStatusForm,
    text_language_of,
)
from retorno.directory.models import Location, Service, language_name, pick_text, text_languages
from retorno.directory.views.common import conflicts_for, language_links, reader_required
from retorno.lib.errors import ActionError
from retorno.lib.views import form_error

# Pages


@reader_required
def service_detail(request, service_id):
    user = request.user
    service = access.get_service_for_user(user, service_id)
    locations = (
        access.locations_visible_to(user)
        .filter(service_at_locations__service=service)
        .prefetch_related("phones", "schedules", "languages")
        .order_by("city", "name")
    )
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "organization": service.organization,
            "locations": locations,
            "phones": service.phones.all(),
            "schedules": service.schedules.all(),
            "languages": service.languages.all(),
            "may_edit": access.may_edit_country(user, service.organization.country),
            "translations": _translation_links(service, "directory:service_edit"),
        },
    )


def _translation_links(obj, url_name) -> list[dict]:
    written = set(obj.description)
    url = reverse(url_name, args=[obj.public_id])
    return [
        {"name": language_name(code), "url": f"{url}?language={code}", "written": code in written}
        for code in text_languages()
    ]


@reader_required
def organization_detail(request, organization_id):
    user = request.user
    organization = access.get_organization_for_user(user, organization_id)
    services = (
        access.services_visible_to(user)
        .filter(organization=organization)
        .select_related("program")
        .order_by("name", "public_id")
    )
    locations = (
        access.locations_visible_to(user)
        .filter(organization=organization)
        .prefetch_related("schedules")
        .order_by("city", "name")
    )
    return render(
        request,
        "directory/organization_detail.html",
        {
            "organization": organization,
            "services": services,
            "locations": locations,
            "programs": organization.programs.order_by("name"),
            "phones": organization.phones.all(),
            "may_edit": access.may_edit_country(user, organization.country),
            "translations": _translation_links(organization, "directory:organization_edit"),
        },
    )


# Forms


def _heading(key, language: str):
    headings = {
        "texts": _("Texts in %(language)s") % {"language": language_name(language)},
        "who": _("Who it is for"),
        "where": _("Where and when"),
        "address": _("Address"),
        "contact": _("Contact"),
        "public": _("The public"),
    }
    return headings.get(key)


def _form_page(request, context: dict, status: int | None = None):
    form = context["form"]
    language = form["text_language"].value()
    for name in getattr(form, "text_fields", ()):
        form.fields[name].widget.attrs["lang"] = language
    context.setdefault("conflicts", [])
    context["sections"] = [
        {
            "heading": _heading(key, language),
            "texts": key == "texts",
            "fields": [form[name] for name in names],
        }
        for key, names in context.pop("groups")
    ]
    context["language_links"] = language_links(language)
    return render(
        request,
        "directory/form.html",
        context,
        status=status or (422 if form.errors else 200),
    )


def _language(request, obj=None) -> str:
    """The language the form writes texts in: the one asked for; else, when changing an entry,
    the reader's if the entry has a text in it, or the language its description is in."""
    asked = request.POST.get("text_language") or request.GET.get("language")
    language = text_language_of(asked)
    if asked == language or obj is None or not obj.description:
        return language
    return language if language in obj.description else pick_text(obj.description).language


def _save(request, form, obj, change, *, done: str):
    """Run the action; on an edit conflict, keep what was typed and show what changed."""
    expected = form.cleaned_data.get("version")
    try:
        change(expected)
    except ActionError as error:
        form_error(form, error)
        if error.code == "conflict" and obj is not None:
            obj.refresh_from_db()
            form.data = form.data.copy()
            form.data["version"] = obj.version
            return conflicts_for(obj, expected)
        return []
    messages.success(request, done)
    return None


@reader_required
@require_http_methods(["GET", "POST"])
def organization_create(request):
    country = access.require_maintainer(request.user)
    language = _language(request)
    form = OrganizationForm(
        request.POST or None, initial=OrganizationForm.initial_for(None, language), country=country
    )
    if request.method == "POST" and form.is_valid():
        try:
            organization = actions.create_organization(
                actor=request.user, country=country, **form.action_fields(None)
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("%(name)s is added to the directory.") % {"name": organization.name}
            )
            return redirect("directory:organization", organization_id=organization.public_id)
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Add an organisation"),
            "groups": ORGANIZATION_GROUPS,
            "submit": _("Add organisation"),
            "cancel_url": reverse("directory:organizations"),
        },
    )


ORGANIZATION_GROUPS = [
    (None, ("name", "alternate_name", "kind")),
    ("texts", ("description",)),
    ("contact", ("email", "website", "phones", "retorno_organisation")),
]


@reader_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, organization_id):
    organization = access.get_organization_for_user(request.user, organization_id, write=True)
    language = _language(request, organization)
    form = OrganizationForm(
        request.POST or None,
        initial=OrganizationForm.initial_for(organization, language),
        country=organization.country.code,
    )
    conflicts = []
    if request.method == "POST" and form.is_valid():
        conflicts = _save(
            request,
            form,
            organization,
            lambda expected: actions.update_organization(
                organization,
                actor=request.user,
                expected_version=expected,
                **form.action_fields(organization),
            ),
            done=_("The changes are saved."),
        )
        if conflicts is None:
            return redirect("directory:organization", organization_id=organization.public_id)
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": organization.name},
            "groups": ORGANIZATION_GROUPS,
            "submit": _("Save changes"),
            "cancel_url": reverse("directory:organization", args=[organization.public_id]),
            "conflicts": conflicts,
            "model_label": "directory.organization",
        },
    )


@reader_required
@require_http_methods(["GET", "POST"])
def organization_status(request, organization_id):
    organization = access.get_organization_for_user(request.user, organization_id, write=True)
    return _active_page(
        request,
        organization,
        set_active=lambda active: actions.set_organization_active(
            organization, actor=request.user, active=active
        ),
        back=reverse("directory:organization", args=[organization.public_id]),
        deactivate_text=_(
            "Its services leave the directory's lists and no one can be referred to them. "
            "You can reactivate it later."
        ),
    )


def _active_page(request, obj, *, set_active, back: str, deactivate_text: str):
    if request.method == "POST":
        active = request.POST.get("active") == "1"
        set_active(active)
        if active:
            messages.success(request, _("%(name)s is active again.") % {"name": obj.name})
        else:
            messages.success(request, _("%(name)s is deactivated.") % {"name": obj.name})
        return redirect(back)
    return render(
        request,
        "directory/active.html",
        {"obj": obj, "back": back, "deactivate_text": deactivate_text},
    )


PROGRAM_GROUPS = [(None, ("name", "alternate_name")), ("texts", ("description",))]


def _part_create(request, organization_id, *, form_class, create, groups, texts):
    """Add a programme or a location to an organisation, then back to the organisation."""
    organization = access.get_organization_for_user(request.user, organization_id, write=True)
    language = _language(request, organization)
    form = form_class(request.POST or None, initial=form_class.initial_for(None, language))
    if request.method == "POST" and form.is_valid():
        try:
            create(organization, actor=request.user, **form.action_fields(None))
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, texts["done"])
            return redirect("directory:organization", organization_id=organization.public_id)
    return _form_page(
        request,
        {
            "form": form,
            "title": texts["title"],
            "intro": organization.name,
            "groups": groups,
            "submit": texts["submit"],
            "cancel_url": reverse("directory:organization", args=[organization.public_id]),
        },
    )


def _part_edit(request, part, *, form_class, update, groups, model_label):
    """Change an organisation's programme or location; an edit conflict keeps what was typed."""
    organization = part.organization
    language = _language(request, part)
    form = form_class(request.POST or None, initial=form_class.initial_for(part, language))
    conflicts = []
    if request.method == "POST" and form.is_valid():
        conflicts = _save(
            request,
            form,
            part,
            lambda expected: update(
                part,
                actor=request.user,
                expected_version=expected,
                **form.action_fields(part),
            ),
            done=_("The changes are saved."),
        )
        if conflicts is None:
            return redirect("directory:organization", organization_id=organization.public_id)
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": part.name},
            "intro": organization.name,
            "groups": groups,
            "submit": _("Save changes"),
            "cancel_url": reverse("directory:organization", args=[organization.public_id]),
            "conflicts": conflicts,
            "model_label": model_label,
        },
    )


@reader_required
@require_http_methods(["GET", "POST"])
def program_create(request, organization_id):
    return _part_create(
        request,
        organization_id,
        form_class=ProgramForm,
        create=actions.create_program,
        groups=PROGRAM_GROUPS,
        texts={
            "title": _("Add a public programme or policy"),
            "submit": _("Add programme"),
            "done": _("The public programme is added."),
        },
    )


@reader_required
@require_http_methods(["GET", "POST"])
def program_edit(request, program_id):
    program = access.get_program_for_user(request.user, program_id, write=True)
    return _part_edit(
        request,
        program,
        form_class=ProgramForm,
        update=actions.update_program,
        groups=PROGRAM_GROUPS,
        model_label="directory.program",
    )


SERVICE_GROUPS = [
    (None, ("name", "alternate_name", "service_type", "program")),
    (
        "texts",
        ("description", "eligibility_description", "application_process", "fees_description"),
    ),
    ("who", ("minimum_age", "maximum_age", "languages")),
    ("where", ("locations", "days", "opens_at", "closes_at", "hours_notes")),
    ("contact", ("phones", "email", "url")),
    ("public", ("not_public",)),
]


@reader_required
@require_http_methods(["GET", "POST"])
def service_create(request, organization_id):
    organization = access.get_organization_for_user(request.user, organization_id, write=True)
    language = _language(request, organization)
    form = ServiceForm(
        request.POST or None,
        initial=ServiceForm.initial_for(None, language),
        organization=organization,
    )
    if request.method == "POST" and form.is_valid():
        try:
            service = actions.create_service(
                organization, actor=request.user, **form.action_fields(None)
            )
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("%(name)s is added to the directory.") % {"name": service.name}
            )
            return redirect("directory:service", service_id=service.public_id)
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Add a service"),
            "intro": organization.name,
            "groups": SERVICE_GROUPS,
            "submit": _("Add service"),
            "cancel_url": reverse("directory:organization", args=[organization.public_id]),
        },
    )


@reader_required
@require_http_methods(["GET", "POST"])
def service_edit(request, service_id):
    service = access.get_service_for_user(request.user, service_id, write=True)
    language = _language(request, service)
    form = ServiceForm(
        request.POST or None,
        initial=ServiceForm.initial_for(service, language),
        organization=service.organization,
    )
    conflicts = []
    if request.method == "POST" and form.is_valid():
        conflicts = _save(
            request,
            form,
            service,
            lambda expected: actions.update_service(
                service,
                actor=request.user,
                expected_version=expected,
                **form.action_fields(service),
            ),
            done=_("The changes are saved."),
        )
        if conflicts is None:
            return redirect("directory:service", service_id=service.public_id)
    return _form_page(
        request,
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": service.name},
            "intro": service.organization.name,
            "groups": SERVICE_GROUPS,
            "submit": _("Save changes"),
            "cancel_url": reverse("directory:service", args=[service.public_id]),
            "conflicts": conflicts,
            "model_label": "directory.service",
        },
    )


@reader_required
@require_http_methods(["GET", "POST"])
def service_status(request, service_id):
    service = access.get_service_for_user(request.user, service_id, write=True)
    form = ServiceStatusForm(request.POST or None, initial={"status": service.status})
    if request.method == "POST" and form.is_valid():
        status = form.cleaned_data["status"]
        actions.set_service_status(service, actor=request.user, status=status)
        messages.success(
            request,
            _("%(name)s is now: %(status)s.")
            % {"name": service.name, "status": Service.Status(status).label},
        )
        return redirect("directory:service", service_id=service.public_id)
    return render(
        request,
        "directory/service_status.html",
        {"service": service, "form": form},
        status=422 if form.errors else 200,
    )


LOCATION_GROUPS = [
    (None, ("name", "alternate_name", "location_type")),
    ("address", ("address_1", "city", "region", "postal_code", "url")),
    ("texts", ("description",)),
    ("where", ("days", "opens_at", "closes_at", "hours_notes")),
    ("contact", ("phones", "languages")),
    ("public", ("not_public",)),
]


@reader_required
@require_http_methods(["GET", "POST"])
def location_create(request, organization_id):
    return _part_create(
        request,
        organization_id,
        form_class=LocationForm,
        create=actions.create_location,
        groups=LOCATION_GROUPS,
        texts={
            "title": _("Add a location"),
            "submit": _("Add location"),
            "done": _("The location is added."),
        },
    )


@reader_required
@require_http_methods(["GET", "POST"])
def location_edit(request, location_id):
    location = access.get_location_for_user(request.user, location_id, write=True)
    return _part_edit(
        request,
        location,
        form_class=LocationForm,
        update=actions.update_location,
        groups=LOCATION_GROUPS,
        model_label="directory.location",
    )


@reader_required
@require_http_methods(["GET", "POST"])
def location_status(request, location_id):
    location: Location = access.get_location_for_user(request.user, location_id, write=True)
    return _active_page(
        request,
        location,
        set_active=lambda active: actions.set_location_active(
            location, actor=request.user, active=active
        ),
        back=reverse("directory:organization", args=[location.organization.public_id]),
        deactivate_text=_(
            "Its services are no longer shown at this place. You can reactivate it later."
        ),
    )
