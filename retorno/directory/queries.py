"""Named reads of the directory. Each takes a queryset the user may see (from access.py)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from retorno.directory.models import Language, Location, Organization, Service, ServiceAtLocation
from retorno.lib.text import normalise_text

SORTS = {
    "name": ("name", "public_id"),
    "-name": ("-name", "-public_id"),
    "organisation": ("organization__name", "name", "public_id"),
    "-organisation": ("-organization__name", "-name", "-public_id"),
    "type": ("service_type", "name", "public_id"),
    "-type": ("-service_type", "-name", "-public_id"),
}
DEFAULT_SORT = "name"


def search_services(qs: QuerySet[Service], text: str) -> QuerySet[Service]:
    """Every word of the search in the service's names, descriptions (any language), its
    organisation's or programme's name; accents and case ignored."""
    for token in normalise_text(text or "").split():
        qs = qs.filter(search_text__contains=token)
    return qs


def filter_services(
    qs: QuerySet[Service], data: dict, *, locations: QuerySet[Location] | None = None
) -> QuerySet[Service]:
    """The list's filters (cleaned ServiceFilterForm or API query data). A city matches the
    services at a location in it that the user may see (`locations`)."""
    if data.get("country"):
        qs = qs.filter(organization__country__in=data["country"])
    if data.get("service_type"):
        qs = qs.filter(service_type__in=data["service_type"])
    if data.get("kind"):
        qs = qs.filter(organization__kind__in=data["kind"])
    if data.get("language"):
        spoken = Language.objects.filter(service=OuterRef("pk"), code__in=data["language"])
        qs = qs.filter(Exists(spoken))
    city = normalise_text(data.get("city") or "")
    if city:
        places = locations if locations is not None else Location.objects.all()
        at = ServiceAtLocation.objects.filter(
            service=OuterRef("pk"),
            location__in=places.filter(city_key__startswith=city),
        )
        qs = qs.filter(Exists(at))
    if data.get("on_retorno"):
        qs = qs.filter(organization__retorno_organisation__isnull=False)
    if not data.get("include_inactive"):
        qs = qs.filter(status=Service.Status.ACTIVE, organization__is_active=True)
    return qs


def sort_services(qs: QuerySet[Service], sort: str) -> QuerySet[Service]:
    return qs.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def service_rows(qs: QuerySet[Service], *, locations: QuerySet[Location]) -> QuerySet[Service]:
    """What a row of the list shows, in a fixed number of queries whatever the page size: the
    organisation, programme, languages and the locations the user may see."""
    links = ServiceAtLocation.objects.filter(
        location__in=locations.filter(is_active=True)
    ).select_related("location")
    return qs.select_related("organization__retorno_organisation", "program").prefetch_related(
        Prefetch("languages", queryset=Language.objects.order_by("pk")),
        Prefetch(
            "service_at_locations",
            queryset=links.order_by("location__city", "location__name"),
            to_attr="visible_links",
        ),
    )


def search_organizations(qs: QuerySet[Organization], data: dict) -> QuerySet[Organization]:
    text = (data.get("q") or "").strip()
    if text:
        ids = [
            pk
            for pk, name, other in qs.values_list("pk", "name", "alternate_name")
            if all(t in normalise_text(f"{name} {other}") for t in normalise_text(text).split())
        ]
        qs = qs.filter(pk__in=ids)
    if data.get("country"):
        qs = qs.filter(country__in=data["country"])
    if data.get("kind"):
        qs = qs.filter(kind__in=data["kind"])
    return qs


def organization_rows(qs: QuerySet[Organization], *, services: QuerySet[Service]):
    return (
        qs.select_related("retorno_organisation")
        .annotate(
            service_count=Count(
                "services",
                filter=Q(services__in=services, services__status=Service.Status.ACTIVE),
                distinct=True,
            )
        )
        .order_by("name", "public_id")
    )
