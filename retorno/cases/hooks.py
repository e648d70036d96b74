"""Effects later apps attach to case events, without cases importing them (imports flow up).

Referrals, for example, register a function that closes open referrals to a partner when the
person withdraws consent to share with it.
"""

_consent_withdrawn = []


def on_consent_withdrawn(function):
    """Register function(consent, *, actor) -> list of sentences saying what stopped."""
    _consent_withdrawn.append(function)
    return function


def run_consent_withdrawn(consent, *, actor) -> list[str]:
    effects = []
    for function in _consent_withdrawn:
        effects.extend(function(consent, actor=actor))
    return effects
