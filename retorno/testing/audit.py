"""Asserting an action's audit event: what was done, by whom, to what, and what changed."""

from retorno.audit.models import AuditEvent


def assert_audited(verb, *, actor, target=None, changes=None, detail=None, person=None):
    """The latest event of this verb: done by `actor`, to `target` (a model instance), with
    exactly these `changes` ({field: [old, new]}) and at least this `detail`, when given."""
    event = AuditEvent.objects.filter(verb=verb).order_by("-occurred_at", "-id").first()
    assert event is not None, f"no {verb} event"
    if actor is None:
        assert event.actor_id is None, (verb, event.actor_username)
    else:
        assert event.actor_id == actor.pk, (verb, event.actor_username)
    if target is not None:
        assert event.target_type == target._meta.label_lower, (verb, event.target_type)
        expected = str(getattr(target, "public_id", None) or target.pk)
        assert event.target_id == expected, (verb, event.target_id)
    if changes is not None:
        assert event.changes == changes, (verb, event.changes)
    for key, value in (detail or {}).items():
        assert event.detail.get(key) == value, (verb, key, event.detail)
    if person is not None:
        assert event.person_id == person.public_id, (verb, event.person_id)
    return event
