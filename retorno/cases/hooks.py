"""Effects later apps attach to case events, without cases importing them (imports flow up).

Referrals, for example, declare in their plugin.py a handler that closes open referrals to a
partner when the person withdraws consent to share with it; monitoring plans the follow-ups
of a case that enters reception.
"""

from retorno.lib.plugins import registry


def run_consent_withdrawn(consent, *, actor) -> list[str]:
    """Run every app's consent_withdrawn handlers; the sentences saying what stopped."""
    effects = []
    for function in registry().consent_withdrawn:
        effects.extend(function(consent, actor=actor))
    return effects


def run_phase_changed(case, *, actor, previous) -> None:
    """Run every app's phase_changed handlers after `case` moved from `previous` (None for a
    case just opened) to case.phase, in the caller's transaction."""
    for function in registry().phase_changed:
        function(case, actor=actor, previous=previous)
