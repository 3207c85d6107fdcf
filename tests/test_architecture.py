"""The package's shape, as a test: folders are layers, data flows one way, pieces stay small.

Layers, bottom to top (a module may import only from lower layers, or from its own folder without a
cycle): findings -> read -> model -> rules -> check -> (report, pages) -> publish
-> (serve, watch, xlsx, editor, fastpages) -> preview (the plugin's steps beside MkDocs' events) -> adapters.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "xiaowu"
LAYERS = {"findings": 0, "read": 1, "model": 2, "rules": 3, "check": 4, "report": 5, "pages": 5, "publish": 6,
          "serve": 7, "watch": 7, "xlsx": 7, "editor": 7, "cli": 9, "plugin": 9, "fastpages": 7,
          "preview": 8, "finish": 8}
MAX_MODULE_LINES = 250
MAX_FUNCTION_LINES = 60


def _modules() -> dict[str, ast.Module]:
    return {p.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", "."): ast.parse(p.read_text("utf-8"))
            for p in sorted(PACKAGE.rglob("*.py"))}


MODULES = _modules()


def _unit(module: str) -> str:
    """The layer a module belongs to: its folder, or its own name at the top ("" is the package itself)."""
    return module.split(".")[0]


def _layer(module: str) -> int:
    return LAYERS[_unit(module)] if module else -1  # the package's __init__ (its version) is below everything


def _imports(tree: ast.Module) -> list[tuple[str, list[str], int]]:
    """(imported module, names, line) for every import of the package, wherever it is."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("xiaowu"):
            target = node.module.removeprefix("xiaowu").lstrip(".")
            names = [alias.name for alias in node.names]
            if target in ("", *LAYERS) and all(f"{target}.{n}".lstrip(".") in MODULES for n in names):
                found += [(f"{target}.{n}".lstrip("."), [], node.lineno) for n in names]  # `from xiaowu.model import school`
            else:
                found.append((target, names, node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"relative import at line {node.lineno}: use `from xiaowu.<layer>.<module> import …`")
        elif isinstance(node, ast.Import):
            found += [(a.name.removeprefix("xiaowu."), [], node.lineno) for a in node.names if a.name.startswith("xiaowu.")]
    return found


def test_every_module_belongs_to_a_layer() -> None:
    strays = [m for m in MODULES if m != "__init__" and _unit(m) not in LAYERS]
    assert strays == [], "add the folder to LAYERS (and to the README's tree) or move the module"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_only(module: str) -> None:
    here = _unit(module)
    wrong = [f"line {line}: {target}" for target, _, line in _imports(MODULES[module])
             if _unit(target) != here and _layer(target) >= LAYERS[here]]
    assert wrong == [], f"{module} imports a layer at or above its own ({here})"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_crosses_a_module(module: str) -> None:
    private = [f"line {line}: {target}.{name}" for target, names, line in _imports(MODULES[module])
               for name in names if name.startswith("_") and not name.endswith("__")]
    assert private == []


def test_no_import_cycle() -> None:
    graph = {m: {t for t, _, _ in _imports(tree) if t in MODULES} for m, tree in MODULES.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            assert state.get(nxt) != 1, "cycle: " + " -> ".join(trail + [node, nxt])
            if nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2
    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_only_the_adapters_import_mkdocs() -> None:
    users = sorted({m for m, tree in MODULES.items() for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom | ast.Import)
                    and any((getattr(node, "module", None) or a.name).split(".")[0] == "mkdocs" for a in node.names)})
    assert users == ["fastpages", "finish", "plugin", "preview"]  # the plugin, its fast page writing and its other steps


@pytest.mark.parametrize("module", sorted(MODULES))
def test_small_pieces(module: str) -> None:
    path = PACKAGE / (module.replace(".", "/") + ".py")
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{lines} lines: split it by role (the rule table is data: findings/rules.yml)"
    long = [f"{n.name} ({n.end_lineno - n.lineno + 1} lines)" for n in ast.walk(MODULES[module])
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and (n.end_lineno or 0) - n.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_records_are_frozen_and_classes_share_no_mutable_default(module: str) -> None:
    problems = []
    for node in ast.walk(MODULES[module]):
        if not isinstance(node, ast.ClassDef):
            continue
        for decorator in node.decorator_list:
            text = ast.unparse(decorator)
            if "dataclass" in text and "frozen=True" not in text:
                problems.append(f"{node.name}: @dataclass without frozen=True")
        for statement in node.body:
            value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
            if isinstance(value, ast.List | ast.Dict | ast.Set) or (
                    isinstance(value, ast.Call) and ast.unparse(value.func) in ("list", "dict", "set", "ServeMemory")):
                problems.append(f"{node.name}: mutable class-level default at line {statement.lineno}")
    assert problems == []


@pytest.mark.parametrize("folder", sorted(k for k in LAYERS if (PACKAGE / k).is_dir()))
def test_each_folder_says_what_belongs_there(folder: str) -> None:
    doc = ast.get_docstring(MODULES[f"{folder}.__init__"]) or ""
    assert "Belongs here" in doc and "Not here" in doc


def test_the_guards_see_what_they_guard() -> None:
    tree = ast.parse("from xiaowu.pages.site import _x\nfrom xiaowu.model import school\n")
    assert _imports(tree) == [("pages.site", ["_x"], 1), ("model.school", [], 2)]
