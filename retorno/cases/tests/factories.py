"""Building cases in tests through the real actions, as a desk would."""

import datetime

from django.utils import timezone

from retorno.cases import actions
from retorno.cases.models import Consent
from retorno.conftest import acting


def register(user, **person):
    user = acting(user)
    fields = {
        "given_names": "María",
        "first_surname": "Quispe",
        "second_surname": "Huamán",
        "sex": "female",
        "birth_year": 1986,
        "birth_month": 3,
        "birth_day": 27,
        "nationality": "PE",
        "return_country": "PE",
        "return_city": "Lima",
    }
    fields.update(person)
    documents = fields.pop("documents", [])
    return actions.register_returnee(
        actor=user, person=fields, documents=documents, confirmed_not_duplicate=True
    )


def consent(case, user, purpose=Consent.Purpose.CASE_MANAGEMENT, **kwargs):
    kwargs.setdefault("given", True)
    kwargs.setdefault("decided_on", timezone.localdate() - datetime.timedelta(days=1))
    kwargs.setdefault("method", Consent.Method.SIGNED_FORM)
    return actions.record_consent(case, actor=acting(user), purpose=purpose, **kwargs)


def ready_to_depart(case, user):
    """Consent to case management and transfer, then through the European phases."""
    user = acting(user)
    consent(case, user)
    consent(case, user, Consent.Purpose.TRANSFER)
    for phase in ("intake", "preparation", "ready_to_depart"):
        case = actions.change_phase(case, actor=user, to=phase)
    return case


def handed_over(case, user, to_desk):
    case = ready_to_depart(case, user)
    return actions.hand_over_case(
        case,
        actor=acting(user),
        to_desk=to_desk,
        situation="Returns with two children after losing her job.",
        needs="Housing for the first months; school places; work.",
        plan_so_far="Sewing course in Lima.",
        risks="",
        promises="A first meeting in the week of arrival.",
        travel_date=timezone.localdate() + datetime.timedelta(days=20),
    )
