"""The order of Retorno's layers, written once: a module may import only from layers below its own.

Each layer is a tuple of parts of the `retorno` package: an app (`"cases"`), or a single module
that sits lower than the rest of its app (`"accounts.roles"`, the role table every app reads).
Parts of the same layer do not import each other. `retorno/tests/test_layers.py` reads this
list and fails for an import upward or sideways, and for an import cycle between files.

Test code (`tests/` packages, `conftest.py`, `retorno.testing`) is not placed: a test may set
its data up with any app's actions and factories.
"""

ROOT = "<root>"  # the project's own modules: retorno/settings.py, urls.py, views.py, wsgi.py...

LAYERS: list[tuple[str, ...]] = [
    # The role table: plain choices, no models; every permission check reads it.
    ("accounts.roles",),
    # Helpers without models: validation, text, the shared API toolkit.
    ("lib", "formats"),
    # The append-only audit trail every app writes to.
    ("audit",),
    # Users, organisations, memberships, sign-in.
    ("accounts",),
    # Foundations without personal data.
    ("programmes", "directory"),
    # Persons and their return journeys.
    ("cases",),
    # Built on a case.
    ("plans",),
    # Built on a case and its plan.
    ("referrals", "grants", "monitoring", "outreach"),
    # Read across the domain apps: reports, data protection, API wiring, demo data.
    ("reports", "privacy", "api", "demo"),
    (ROOT,),
]

# Parts whose code is tests, not placed in a layer.
TEST_PARTS = ("testing", "tests", "conftest")


def layer_of(part: str) -> int:
    for index, parts in enumerate(LAYERS):
        if part in parts:
            return index
    raise KeyError(part)
