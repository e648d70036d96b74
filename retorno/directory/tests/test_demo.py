"""The demo directory: every country, every type of service, hidden shelters, CFPLIM linked."""

from collections import Counter

import pytest

from retorno.audit.models import AuditEvent
from retorno.demo.directory import ensure_directory
from retorno.directory.models import Location, Organization, Service, ServiceType

pytestmark = pytest.mark.django_db

COUNTRIES = {"BO", "BR", "CL", "CO", "EC", "PY", "PE", "UY"}


def test_the_demo_directory_covers_every_country_and_type_and_is_idempotent(personas):
    added = ensure_directory(personas.organisations)
    per_country = Counter(Service.objects.values_list("organization__country", flat=True))
    assert set(per_country) == COUNTRIES
    assert all(8 <= n <= 15 for n in per_country.values()), per_country
    assert set(Service.objects.values_list("service_type", flat=True)) == set(ServiceType.values)
    assert added == Service.objects.count()

    counts = (Organization.objects.count(), Location.objects.count(), Service.objects.count())
    events = AuditEvent.objects.count()
    assert ensure_directory(personas.organisations) == 0
    assert (
        Organization.objects.count(),
        Location.objects.count(),
        Service.objects.count(),
    ) == counts
    assert AuditEvent.objects.count() == events

    shelters = Service.objects.filter(service_type=ServiceType.GBV_TRAFFICKING, not_public=True)
    assert set(shelters.values_list("organization__country", flat=True)) == COUNTRIES
    for shelter in shelters:
        for place in shelter.locations.all():
            assert place.not_public and place.address_1 == "" and place.city

    cfp = Organization.objects.get(name="Centro de Formación Profesional Lima")
    assert cfp.retorno_organisation == personas.org("CFPLIM")
    assert cfp.services.filter(service_type=ServiceType.VOCATIONAL_TRAINING).count() >= 1
    assert not Organization.objects.exclude(email="").exclude(email__endswith="@example.org")
