"""Named reads of the audit trail."""

import datetime
import uuid

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from retorno.audit.models import AuditEvent


def events_for_target(target) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower,
        target_id=str(getattr(target, "public_id", None) or target.pk),
    )


def changes_since(target, since_iso: str | None) -> list[AuditEvent]:
    """Changes others saved to `target` after `since_iso`, to explain an edit conflict."""
    since = parse_datetime(since_iso or "")
    if since is None:
        return []
    return list(
        events_for_target(target)
        .filter(occurred_at__gt=since)
        .exclude(changes={})
        .order_by("occurred_at")
    )


def filter_events(qs: QuerySet[AuditEvent], data: dict) -> QuerySet[AuditEvent]:
    """Apply the audit browser's filters (cleaned EventFilterForm data)."""
    person = (data.get("person") or "").strip()
    if person:
        condition = Q(target_label__iexact=person) | Q(target_id=person)
        try:
            as_uuid = uuid.UUID(person)
        except ValueError:
            pass
        else:
            condition |= Q(person_id=as_uuid) | Q(target_id=str(as_uuid))
        qs = qs.filter(condition)
    if data.get("user"):
        qs = qs.filter(actor_username__iexact=data["user"].strip())
    if data.get("organisation"):
        qs = qs.filter(organisation_code__iexact=data["organisation"].strip())
    if data.get("verb"):
        qs = qs.filter(verb=data["verb"])
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        start = datetime.datetime.combine(data["date_from"], datetime.time.min, tzinfo=tz)
        qs = qs.filter(occurred_at__gte=start)
    if data.get("date_to"):
        end = datetime.datetime.combine(
            data["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        qs = qs.filter(occurred_at__lt=end)
    return qs
