"""Writing the audit trail. Actions call record() inside their own transaction."""

from typing import Any

from django.db import models

from retorno.audit.models import AuditEvent
from retorno.lib import request_context


def _label(obj: models.Model) -> str:
    for attr in ("audit_label", "reference", "code", "username"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    return ""


def diff(obj: models.Model, new_values: dict[str, Any]) -> dict[str, list]:
    """{field: [old, new]} for the fields whose value would change, as JSON-safe strings."""
    changes = {}
    for field, new in new_values.items():
        old = getattr(obj, field)
        if old != new:
            changes[field] = [_jsonable(old), _jsonable(new)]
    return changes


def _jsonable(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return _label(value) or str(value.pk)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)


def record(
    verb: str,
    *,
    actor=None,
    target: models.Model | None = None,
    changes: dict | None = None,
    detail: dict | None = None,
    person_id=None,
    organisation=None,
    actor_username: str = "",
) -> AuditEvent:
    """Append one event. `actor` is the acting user (None for the system or an anonymous visitor).

    The organisation defaults to the one the actor is acting for; the request id and address come
    from the current request, when there is one.
    """
    context = request_context.current()
    membership = getattr(actor, "membership", None) if actor is not None else None
    if organisation is None and membership is not None:
        organisation = membership.organisation
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=actor_username or (actor.get_username() if actor is not None else ""),
        organisation=organisation,
        organisation_code=organisation.code if organisation is not None else "",
        role=membership.role if membership is not None else "",
        verb=verb,
        changes=changes or {},
        detail={k: _jsonable(v) for k, v in (detail or {}).items()},
        person_id=person_id,
        request_id=context.request_id,
        ip_address=context.ip_address,
    )
    if target is not None:
        event.target_type = target._meta.label_lower
        event.target_id = str(getattr(target, "public_id", None) or target.pk)
        event.target_label = _label(target)
    event.save()
    return event
