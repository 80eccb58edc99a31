"""The report package's modules import one another without a circle.

A circle (the engine choice importing the Spark reader, which imports the engine back)
works only as long as every such import stays inside a function; a module moved to the
top of a file then fails on import, for a teacher, not for the author. Imports inside
functions count here too: they are edges of the same graph.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import guessfirst.teacher.report

PACKAGE = Path(guessfirst.teacher.report.__file__).parent


def _module_name(path: Path, root: Path, package: str) -> str:
    parts = [*package.split("."), *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The modules of ``known`` that the module ``name`` at ``path`` imports, anywhere."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
            target = ".".join([*base, node.module] if node.module else base)
            if not node.level:
                target = node.module or ""
            for alias in node.names:
                child = f"{target}.{alias.name}"
                found.add(child if child in known else target)
    return {module for module in found if module in known and module != name}


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the modules of the package ``package``, at ``root``, that it imports."""
    paths = {_module_name(path, root, package): path for path in root.rglob("*.py")}
    return {name: _imports(path, name, set(paths)) for name, path in paths.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import circle found by a depth-first walk, as the modules along it."""
    found, state = [], dict.fromkeys(graph, "new")

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state[target] == "open":
                found.append([*trail[trail.index(target) :], target])
            elif state[target] == "new":
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(graph):
        if state[module] == "new":
            visit(module, [module])
    return found


def test_the_report_modules_import_no_circle():
    graph = import_graph(PACKAGE, "guessfirst.teacher.report")
    assert "guessfirst.teacher.report._spark" in graph["guessfirst.teacher.report._engines"]
    assert circles(graph) == []


def test_only_the_engine_choice_imports_spark():
    graph = import_graph(PACKAGE, "guessfirst.teacher.report")
    importers = {
        name for name, targets in graph.items() if "guessfirst.teacher.report._spark" in targets
    }
    assert importers == {"guessfirst.teacher.report._engines"}


def test_the_check_finds_a_circle(tmp_path):
    """The walk above is a real check: two modules that import each other are caught."""
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("from .a import f\n")
    (root / "a.py").write_text("def f():\n    from . import b\n")
    (root / "b.py").write_text("from .a import f\n")
    (root / "c.py").write_text("from . import a\n")
    assert circles(import_graph(root, "pkg")) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_each_module_imports_first_in_a_fresh_interpreter():
    """Imported first, on its own, each module loads: none needs another loaded before."""
    names = sorted(import_graph(PACKAGE, "guessfirst.teacher.report"))
    names.remove("guessfirst.teacher.report._spark")  # needs the spark extra: its tests import it
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)"
    for name in names:
        ran = subprocess.run(
            [sys.executable, "-c", code, name], capture_output=True, text=True, timeout=120
        )
        assert ran.returncode == 0, f"{name}: {ran.stderr[-1500:]}"
