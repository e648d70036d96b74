"""One access policy: request code never reads a personal-data model except through access.py.

A view or API module that writes `Person.objects`, `User.objects` or `AuditEvent.objects`
bypasses the policy that decides who may see what; this test fails when one does.
"""

import ast
from pathlib import Path

from retorno.lib.plugins import project_apps, registry

PACKAGE = Path(__file__).resolve().parents[1]


def personal_data_models() -> frozenset:
    """The models that hold personal data, as every app declares them in its plugin.py."""
    return registry().personal_data_models


REQUEST_MODULES = ("views.py", "api.py")


def offending_reads(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager", "_base_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in personal_data_models()
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} {node.value.id}.objects")
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {
            "get_object_or_404",
            "get_list_or_404",
        }:
            found.append(f"{path.relative_to(root)}:{node.lineno} {node.func.id}")
    return found


def request_modules() -> list[Path]:
    """views.py and api.py of every app, and every module of a views/ package."""
    modules = [p for name in REQUEST_MODULES for p in PACKAGE.rglob(name)]
    modules += list(PACKAGE.rglob("views/*.py"))
    return sorted({p for p in modules if "tests" not in p.parts})


def test_views_and_api_read_personal_data_only_through_access():
    offences = [line for path in request_modules() for line in offending_reads(path)]
    assert offences == []


def test_the_check_catches_a_direct_read(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text("def v(request):\n    return User.objects.all()\n")
    assert offending_reads(bad, root=tmp_path) == ["views.py:2 User.objects"]


def test_there_are_request_modules_to_check():
    names = {p.parent.name + "/" + p.name for p in request_modules()}
    assert {"accounts/views.py", "accounts/api.py", "audit/views.py", "views/record.py"} <= names


def test_every_model_is_declared_personal_or_not_by_its_app():
    """A new model is in its app's plugin.py, with personal data or without: one declared
    nowhere, or declared but not there, fails here."""
    undeclared, unknown = [], []
    for config in project_apps():
        plugin = registry().plugins[config.name]
        declared = set(plugin.personal_data_models) | set(plugin.other_models)
        models = {model.__name__ for model in config.get_models()}
        undeclared += [f"{config.label}.{name}" for name in sorted(models - declared)]
        unknown += [f"{config.label}.{name}" for name in sorted(declared - models)]
        assert not set(plugin.personal_data_models) & set(plugin.other_models), config.label
    assert undeclared == []
    assert unknown == []


def test_the_personal_data_models_are_the_apps_declarations():
    assert {"User", "AuditEvent", "Person", "Case", "Plan", "Referral"} <= personal_data_models()
    assert "Organization" not in personal_data_models()
