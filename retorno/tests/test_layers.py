"""Imports flow one way, in the order of `retorno/layers.py`, and no two files import each other.

Every module of the package is parsed (imports at the top and inside functions alike); the test
names the file and line of each import that goes upward or sideways, and of each import cycle.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from retorno import layers

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parent

# Parts placed in a layer by module, not by app (see retorno/layers.py).
MODULE_PARTS = sorted((p for parts in layers.LAYERS for p in parts if "." in p), key=len)


@dataclass(frozen=True)
class Import:
    source: str  # dotted module name of the importing file
    target: str  # dotted module name imported
    path: str  # file, relative to the project
    line: int
    in_function: bool
    comment: str  # the comment on the import's line or the line above


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def is_test(module: str) -> bool:
    names = module.split(".")
    return any(n in layers.TEST_PARTS or n.startswith("test_") for n in names[1:])


def part_of(module: str) -> str:
    rest = module.removeprefix("retorno.")
    for part in MODULE_PARTS:
        if rest == part or rest.startswith(part + "."):
            return part
    names = module.split(".")
    if len(names) == 1 or not (PACKAGE / names[1]).is_dir():
        return layers.ROOT
    return names[1]


def source_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = module_name(path)
        if not is_test(module):
            yield path, module


def imports_of(path: Path, module: str) -> list[Import]:
    text = path.read_text()
    lines = text.splitlines()
    tree = ast.parse(text, filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []

    def comment(lineno: int) -> str:
        near = [lines[lineno - 1]] + ([lines[lineno - 2]] if lineno > 1 else [])
        return " ".join(line.partition("#")[2] for line in near if "#" in line)

    def visit(node, in_function: bool):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        inside = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                start = ".".join(base + ([node.module] if node.module else []))
            else:
                start = node.module or ""
            for alias in node.names:
                candidate = f"{start}.{alias.name}"
                targets.append(candidate if is_module(candidate) else start)
        for target in targets:
            if target == "retorno" or target.startswith("retorno."):
                found.append(
                    Import(
                        module,
                        target,
                        str(path.relative_to(ROOT)),
                        node.lineno,
                        in_function,
                        comment(node.lineno),
                    )
                )
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(tree, False)
    return found


def all_imports() -> list[Import]:
    return [i for path, module in source_files() for i in imports_of(path, module)]


def layer_violations(imports: list[Import]) -> list[str]:
    found = []
    for i in imports:
        if is_test(i.target):
            found.append(f"{i.path}:{i.line} imports test code {i.target}")
            continue
        source, target = part_of(i.source), part_of(i.target)
        if source == target:
            continue
        try:
            below = layers.layer_of(target) < layers.layer_of(source)
        except KeyError as missing:
            found.append(f"{i.path}:{i.line}: {missing} is in no layer of retorno/layers.py")
            continue
        if not below:
            found.append(f"{i.path}:{i.line} {source} imports {target} ({i.target}): not below it")
    return list(dict.fromkeys(found))


def cycles(imports: list[Import]) -> list[str]:
    """Strongly connected groups of files, by Tarjan's algorithm, each with its imports."""
    graph: dict[str, set[str]] = {}
    for i in imports:
        if i.target != i.source:
            graph.setdefault(i.source, set()).add(i.target)
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    found = []
    for group in groups:
        edges = sorted(
            {
                f"{i.path}:{i.line} -> {i.target}"
                for i in imports
                if i.source in group and i.target in group
            }
        )
        found.append("cycle between " + ", ".join(sorted(group)) + ": " + "; ".join(edges))
    return found


def test_every_app_is_in_a_layer():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    placed = {p for parts in layers.LAYERS for p in parts}
    assert apps - placed - set(layers.TEST_PARTS) == set()


def test_no_module_imports_upward_or_sideways():
    violations = layer_violations(all_imports())
    assert not violations, "\n".join(violations)


def test_no_two_files_import_each_other():
    found = cycles(all_imports())
    assert not found, "\n".join(found)


def test_it_names_an_upward_import(tmp_path):
    upward = Import("retorno.directory.models", "retorno.cases.models", "x.py", 3, False, "")
    sideways = Import("retorno.plans.views", "retorno.plans.models", "y.py", 4, False, "")
    assert layer_violations([upward, sideways]) == [
        "x.py:3 directory imports cases (retorno.cases.models): not below it"
    ]


def test_it_names_a_cycle():
    there = Import("retorno.lib.a", "retorno.lib.b", "a.py", 1, False, "")
    back = Import("retorno.lib.b", "retorno.lib.a", "b.py", 9, True, "")
    assert cycles([there, back]) == [
        "cycle between retorno.lib.a, retorno.lib.b: "
        "a.py:1 -> retorno.lib.b; b.py:9 -> retorno.lib.a"
    ]


def private_imports(path: Path, module: str) -> list[str]:
    """`from retorno.<other app>... import _name`: a private name used outside its app."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("retorno."):
            if part_of(node.module) == part_of(module):
                continue
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {alias.name}")
    return found


def test_no_module_imports_another_apps_private_name():
    found = [f for path, module in source_files() for f in private_imports(path, module)]
    assert not found, "\n".join(found)


# Imports inside functions hide the real graph. Each one kept says why, in a comment on the
# line above: "cycle" or "start-up". An AppConfig.ready() imports inside by Django's design.
# retorno/views.py wires "My work" by hand until the apps declare what they contribute.
UNEXPLAINED_ALLOWED = {"retorno/views.py"}


def unexplained_function_imports(imports: list[Import]) -> list[str]:
    return [
        f"{i.path}:{i.line} imports {i.target} inside a function without saying why"
        for i in imports
        if i.in_function
        and not ("cycle" in i.comment or "start-up" in i.comment)
        and i.path not in UNEXPLAINED_ALLOWED
        and not i.path.endswith("apps.py")
    ]


def test_imports_inside_functions_say_why():
    found = unexplained_function_imports(all_imports())
    assert not found, "\n".join(found)


def test_it_names_an_unexplained_import_inside_a_function():
    hidden = Import("retorno.cases.x", "retorno.cases.models", "retorno/cases/x.py", 3, True, "")
    explained = Import(
        "retorno.cases.y", "retorno.cases.z", "retorno/cases/y.py", 5, True, " cycle"
    )
    assert unexplained_function_imports([hidden, explained]) == [
        "retorno/cases/x.py:3 imports retorno.cases.models inside a function without saying why"
    ]
