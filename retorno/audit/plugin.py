"""What the audit trail contributes: its section, its verb, and who saw or changed a person."""

from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.audit import person_data
from retorno.lib.plugins import AppPlugin, NavSection, nothing_to_anonymise

PLUGIN = AppPlugin(
    urls="retorno.audit.urls",
    url_prefix="audit/",
    navigation=(NavSection(_("Audit"), "audit:events", Capability.VIEW_AUDIT, position=900),),
    audit_verbs={"audit.exported": _("Audit trail exported")},
    personal_data_models=("AuditEvent",),
    person_data=person_data.person_data,
    # The trail is append-only (the database refuses changes) and names the person by a case
    # reference and a random id, never by name: there is nothing to anonymise in it.
    anonymise=nothing_to_anonymise,
)
