"""Human labels for audit verbs, as the apps declare them in their plugin.py."""

from retorno.lib.plugins import registry


def label(verb: str) -> str:
    return str(registry().audit_verbs.get(verb, verb))


def choices() -> list[tuple[str, str]]:
    labels = registry().audit_verbs
    return sorted(((v, str(lbl)) for v, lbl in labels.items()), key=lambda c: c[1])
