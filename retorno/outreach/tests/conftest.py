"""Fixtures of outreach's tests: the demo's desks and people (personas), a campaign of the
current cycle, sessions made to measure, leads as the public site sends them."""

import datetime

import pytest
from django.utils import timezone

from retorno.outreach.actions import public
from retorno.outreach.models import Audience, Campaign, InfoSession
from retorno.programmes.models import Cycle


@pytest.fixture
def campaign(personas):
    cycle = Cycle.objects.order_by("-starts_on").first()
    return Campaign.objects.create(cycle=cycle, name="Tornare informati 2026")


@pytest.fixture
def make_session(campaign, personas):
    def make(*, capacity=20, days=10, region="IT-25", desk="MIL", **extra):
        starts = timezone.now() + datetime.timedelta(days=days)
        fields = {
            "campaign": campaign,
            "desk": personas.org(desk),
            "title": "Tornare in Perù: cosa sapere",
            "language": "es",
            "region": region,
            "province": "Milano",
            "venue": "Casa delle Associazioni",
            "address": "Via Marsala 8, Milano",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
            "audience": Audience.MIGRANTS,
            "capacity": capacity,
        }
        fields.update(extra)
        return InfoSession.objects.create(**fields)

    return make


LEAD = {
    "given_names": "Rosa Elena",
    "surnames": "Quispe Huamán",
    "channel": "whatsapp",
    "phone": "+39 333 123 4567",
    "email": "",
    "region": "IT-25",
    "province": "Milano",
    "return_country": "PE",
    "language": "es",
}


@pytest.fixture
def lead_fields():
    return dict(LEAD)


@pytest.fixture
def make_lead(personas):
    def make(**changes):
        fields = {**LEAD, **changes}
        source = fields.pop("source", "site")
        return public.create_lead(source=source, fields=fields, consent=True)

    return make
