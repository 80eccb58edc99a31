"""Each kind of question is declared once, and everything that lists kinds reads it."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst import checks
from guessfirst.bank import _spec

LOCALES = Path(gf.__file__).parent / "locales"
#: The interaction types of xAPI 1.0.3 (cmi.interaction).
XAPI_INTERACTIONS = {
    "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
    "sequencing", "likert", "numeric", "other",
}  # fmt: skip


def test_every_public_module_of_checks_is_a_kind_named_for_itself():
    public = [m.name for m in pkgutil.iter_modules(checks.__path__) if not m.name.startswith("_")]
    assert sorted(public) == sorted(checks.kinds())
    for name, check in checks.kinds().items():
        assert check.kind == check.KIND.name == name
        assert check.__module__ == f"guessfirst.checks.{name}"
        assert importlib.import_module(check.__module__).__name__.endswith(name)


def test_a_teacher_calls_each_kind_by_its_title_and_gets_help_from_its_declaration():
    for check in checks.kinds().values():
        title = check.KIND.title
        assert title in gf.__all__ and title in dir(gf)
        made = getattr(gf, title)
        assert made.__name__ == title and issubclass(made, gf.Question)
        if made.__module__ != "guessfirst":
            continue  # a kind whose card takes its own arguments (a question in parts)
        parameters = inspect.signature(made).parameters
        assert list(parameters)[:2] == ["id", "prompt"]
        for option in check.KIND.options:
            assert parameters[option.name].kind is inspect.Parameter.KEYWORD_ONLY
            assert (parameters[option.name].default is inspect.Parameter.empty) == option.required
            assert option.doc in (made.__doc__ or "")
        assert {"example", "feedback", "hints", "mode", "check_timeout"} <= set(parameters)


def test_an_option_no_kind_takes_is_refused_with_its_name(fresh_kernel):
    with pytest.raises(TypeError, match="tolerance"):
        gf.Numeric("q", "How many?", answer=3, tolerance=0.5)


def test_every_word_a_kind_uses_is_in_every_language():
    for path in sorted(LOCALES.glob("*.json")):
        catalogue = json.loads(path.read_text(encoding="utf-8"))
        for check in checks.kinds().values():
            kind = check.KIND
            needed = [*kind.words, *([kind.placeholder] if kind.placeholder else [])]
            missing = [key for key in needed if key not in catalogue]
            assert not missing, f"{path.name} lacks {missing} for {kind.name}"


def test_every_kind_declares_an_xapi_interaction_type_xapi_knows():
    for check in checks.kinds().values():
        assert check.KIND.interaction in XAPI_INTERACTIONS


def test_a_card_control_exists_for_every_kind():
    controls = Path(__file__).parents[1] / "js" / "src" / "controls"
    for check in checks.kinds().values():
        assert (controls / f"{check.KIND.control}.js").is_file(), check.KIND.control


def test_banks_take_what_each_kind_declares_and_nothing_else():
    for name, kind in _spec.kinds().items():
        declared = {o.name for o in kind.options if o.in_banks}
        assert set(_spec.front_matter(name)) | set(_spec.sections(name)) == declared
        assert set(_spec.required(name)) <= declared
    assert "multi" not in _spec.kinds()  # a question in parts is written in Python


def test_the_manuals_table_of_kinds_has_every_kind_and_its_options():
    page = (Path(__file__).parents[1] / "docs" / "questions.md").read_text(encoding="utf-8")
    rows = {
        line.split("`")[1].split("(")[0]: line
        for line in page.splitlines()
        if line.startswith("| `gf.")
    }
    for check in checks.kinds().values():
        kind = check.KIND
        row = rows.get(f"gf.{kind.title}")
        assert row is not None, f"docs/questions.md has no row for gf.{kind.title}"
        missing = [option.name for option in kind.options if f"{option.name}" not in row]
        assert not missing, f"the row of gf.{kind.title} does not name {missing}"
