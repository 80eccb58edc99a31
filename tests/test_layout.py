"""The code stays in pieces a reader can hold: short modules, short functions, one direction.

A module over 400 lines must be one concern and say so in its docstring ("One concern:"),
and no function is over 60 lines; the student's side and the log never import the
teacher's side.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "guessfirst"
MODULE_LINES, FUNCTION_LINES = 400, 60


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_over_400_lines_unless_it_says_why_it_is_one_concern():
    long = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(text)) or ""
        if len(text.splitlines()) > MODULE_LINES and "One concern:" not in doc:
            long.append(f"{path.relative_to(PACKAGE)}: {len(text.splitlines())} lines")
    assert long == []


def test_no_function_is_over_60_lines():
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > FUNCTION_LINES:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}: {lines}")
    assert long == []


def _imports(path: Path) -> set[str]:
    """Every guessfirst module ``path`` imports, at its top or inside a function."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("guessfirst")}


def test_the_students_side_and_the_log_never_import_the_teachers_side():
    crossing = []
    for side in ("student", "log", "checks", "bank"):
        for path in sorted((PACKAGE / side).rglob("*.py")):
            teacher = [n for n in _imports(path) if n.startswith("guessfirst.teacher")]
            if teacher:
                crossing.append(f"{path.relative_to(PACKAGE)} imports {sorted(teacher)}")
    assert crossing == []


def test_checks_are_pure_they_import_no_widget_log_or_teacher():
    for path in sorted((PACKAGE / "checks").rglob("*.py")):
        for name in _imports(path):
            assert not name.startswith(
                ("guessfirst.student", "guessfirst.log", "guessfirst.teacher")
            ), f"{path.name} imports {name}"
