"""Two pairs of names that invite mistakes are never imported bare where the other one lives.

`accounts.Organisation` (a desk or partner using Retorno) and `directory.Organization` (an entry
of the HSDS service directory); `programmes.Programme` (a programme of assisted return) and
`directory.Program` (a public programme listed in the directory). The directory's classes keep
their HSDS names; outside `retorno/directory/` they are always written module-qualified:
`from retorno.directory import models as directory`, then `directory.Organization`. Inside the
directory, the other two are written `accounts.Organisation` and `programmes.Programme`.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parent
DIRECTORY = PACKAGE / "directory"

# (module the class lives in, class name, where it may be imported bare)
BARE_ONLY_INSIDE_DIRECTORY = {
    ("retorno.directory.models", "Organization"),
    ("retorno.directory.models", "Program"),
}
BARE_ONLY_OUTSIDE_DIRECTORY = {
    ("retorno.accounts.models", "Organisation"),
    ("retorno.programmes.models", "Programme"),
}


def bare_imports(path: Path, inside_directory: bool, root: Path = ROOT) -> list[str]:
    forbidden = BARE_ONLY_OUTSIDE_DIRECTORY if inside_directory else BARE_ONLY_INSIDE_DIRECTORY
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if (node.module, alias.name) in forbidden:
                    where = path.relative_to(root)
                    found.append(f"{where}:{node.lineno} imports {alias.name} bare")
    return found


def test_the_name_pairs_are_always_told_apart():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            found += bare_imports(path, DIRECTORY in path.parents)
    assert not found, "\n".join(found)


def test_it_names_a_bare_import(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("import uuid\n\nfrom retorno.directory.models import Organization, Service\n")

    assert bare_imports(module, inside_directory=False, root=tmp_path) == [
        "views.py:3 imports Organization bare"
    ]
    assert bare_imports(module, inside_directory=True, root=tmp_path) == []
