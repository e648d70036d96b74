"""Who may read the audit trail: the data protection officer and administrators, nobody else."""

from django.db.models import QuerySet

from retorno.accounts.roles import Capability
from retorno.audit.models import AuditEvent


def events_visible_to(user) -> QuerySet[AuditEvent]:
    if not user.is_authenticated or not user.can(Capability.VIEW_AUDIT):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()
