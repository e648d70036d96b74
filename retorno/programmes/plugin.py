"""What programmes contribute: their section for administrators and their audit verbs. A
programme and its cycles hold no personal data."""

from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.lib.plugins import AppPlugin, NavSection, no_person_data, nothing_to_anonymise

VERBS = {
    "programme.created": _("Programme created"),
    "cycle.created": _("Cycle created"),
    "cycle.updated": _("Cycle changed"),
}

PLUGIN = AppPlugin(
    urls="retorno.programmes.urls",
    navigation=(
        NavSection(
            _("Programmes"), "programmes:list", Capability.MANAGE_ORGANISATIONS, position=910
        ),
    ),
    audit_verbs=VERBS,
    personal_data_models=(),
    other_models=("Programme", "Cycle"),
    person_data=no_person_data,
    anonymise=nothing_to_anonymise,
)
