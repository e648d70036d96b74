"""The directory's list pages: services (search, filters, sort, pagination), organisations,
and a partner's own services."""

from django.core.paginator import Paginator
from django.shortcuts import render

from retorno.accounts.roles import Capability
from retorno.directory import access, queries
from retorno.directory.forms import OrganizationFilterForm, ServiceFilterForm
from retorno.directory.views.common import (
    applied_filters,
    reader_required,
    sort_links,
    with_home_countries,
)
from retorno.lib.views import capability_required

PAGE_SIZE = 50


@reader_required
def service_list(request):
    user = request.user
    query = with_home_countries(request, queries.DEFAULT_SORT)
    form = ServiceFilterForm(query or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    locations = access.locations_visible_to(user)
    services = queries.filter_services(
        access.services_visible_to(user), filters, locations=locations
    )
    services = queries.search_services(services, filters.get("q", ""))
    sort = query.get("sort") or queries.DEFAULT_SORT
    if sort not in queries.SORTS:
        sort = queries.DEFAULT_SORT
    services = queries.sort_services(queries.service_rows(services, locations=locations), sort)
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_form": form,
        "search_text": filters.get("q", ""),
        "applied": applied_filters(request, form, filters, query=query),
        "query": query,
        "sort": sort,
        "sort_links": sort_links(request, sort, ("name", "organisation", "type"), query=query),
        "maintained_country": access.maintained_country(user),
        "has_errors": bool(form.errors),
    }
    # htmx refreshes only the results; a history restore needs the whole page.
    partial = bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )
    context["is_htmx"] = partial
    template = "directory/_services.html" if partial else "directory/services.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@reader_required
def organization_list(request):
    user = request.user
    query = with_home_countries(request, "name")
    form = OrganizationFilterForm(query or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    organizations = queries.search_organizations(access.organizations_visible_to(user), filters)
    organizations = queries.organization_rows(
        organizations, services=access.services_visible_to(user)
    )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/organizations.html",
        {
            "page": page,
            "filter_form": form,
            "applied": applied_filters(request, form, filters, query=query),
            "query": query,
            "search_text": filters.get("q", ""),
            "maintained_country": access.maintained_country(user),
            "has_errors": bool(form.errors),
        },
    )


@capability_required(Capability.ANSWER_REFERRALS)
def our_services(request):
    user = request.user
    locations = access.locations_visible_to(user)
    services = queries.sort_services(
        queries.service_rows(access.services_of_own_organisation(user), locations=locations),
        "name",
    )
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/our_services.html",
        {"page": page, "organisation": user.organisation},
    )
