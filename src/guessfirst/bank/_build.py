"""Building a bank's questions: each spec made into its checker, a failure traced to its line.

A bank is checked when it is loaded, by the same classes that ask its questions, so a
mistake the widget would refuse in class is refused at the teacher's desk instead. An error
from a class speaks Python (``mode='quiz'``); here it is put in a bank's terms and blamed on
the front matter key or feedback section it is about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from .. import checks
from ..student import quiz
from . import _tagged
from ._spec import SHOWING, BankError, Spec, Where
from ._written import case_feedback, cases, release

#: Advice in checking errors given in Python's terms, put in a bank's terms.
_BANK_WORDS = (
    ("release= (a datetime) or key=", "release: (a date and time) or key:"),
    ("mode='quiz'", "mode: quiz"),
    ("write the example as a list of steps", "write the example as ### Step sections"),
    ("written as a list of steps", "written in ### Step sections"),
    (": step=", ": step "),
)

#: Which option a checking error is about, tried in order on its wording.
_SUBJECTS = (
    ("mode", re.compile(r"^mode must|^a quiz needs")),
    ("attempts", re.compile(r"^attempts\b")),
    ("release", re.compile(r"^release\b|^attempts, release and key")),
    ("key", re.compile(r"^key\b|^attempts, release and key")),
    ("fade", re.compile(r"^fade\b|^a faded step")),
    ("timeout", re.compile(r"^timeout")),
    ("points", re.compile(r"^points")),
    ("variables", re.compile(r"\bvariables?\b")),
    ("code", re.compile(r"\bcode\b")),
    ("rtol", re.compile(r"^relative tolerance")),
    ("tol", re.compile(r"^tolerance")),
    ("match", re.compile(r"\bmatch\b")),
    ("answer", re.compile(r"\banswer")),
    ("choices", re.compile(r"\bchoices?\b")),
)


#: Options a class parses itself, where nesting too deep for Python's parsers can hide.
_PARSED = ("code", "match")


def checkers(path: Path, found: Sequence[tuple[Spec, Where | None]]) -> list[checks.Check]:
    """Each question's checker, in order; ``Where`` is None for a sealed copy's questions."""
    first: dict[str, int | None] = {}
    built = []
    for spec, where in found:
        if spec.qid in first:
            earlier = first[spec.qid]
            at = f" at line {earlier}" if earlier is not None else ""
            line = where.keys.get("id") if where else None
            raise BankError(path, line, spec.qid, f"this id is already used by the question{at}")
        first[spec.qid] = where.keys["id"] if where else None
        built.append(_checked(path, spec, where))
    return built


def arguments(spec: Spec, feedback: Mapping[str, str]) -> dict[str, object]:
    """Keyword arguments for the question's class: the options, as values, and feedback.

    A code question's tests and feedback headings are lines of text until here: the
    tests become ``(args, expected)`` pairs, and each heading the index of its test. A
    feedback section that names its misconception becomes a ``gf.Misconception``.
    """
    given: dict[str, object] = {**spec.options}
    try:
        given["feedback"] = written = _tagged.messages(feedback)
        if "release" in given:
            given["release"] = release(given["release"])
        if spec.kind == "code":
            tests = cases(given.get("tests"))
            given["tests"] = [(test.args, test.expected) for test in tests]
            given["name"] = tests[0].name
            given["feedback"] = case_feedback(tests, written)
    except ValueError as error:
        raise checks.QuestionError(f"Question {spec.qid!r}: {error}") from None
    return given


def _checked(path: Path, spec: Spec, where: Where | None) -> checks.Check:
    """Build the question; a failure is traced to the option or feedback it is about."""
    try:
        try:
            return _check(spec, spec.feedback)
        except checks.QuestionError as error:
            if where is None:
                raise BankError(path, None, spec.qid, _problem(spec, error)) from None
            line, problem = _blame(spec, where, error)
            raise BankError(path, line, spec.qid, problem) from None
    except (RecursionError, MemoryError):
        # Python's parsers give up on deep nesting so: a snippet's ``-------1`` or ``1+1+...``
        # and a match pattern's ((((a)))) are the values a class parses beyond the bank's bounds.
        key = next((key for key in _PARSED if key in spec.options), None)
        at = None if where is None else where.keys.get(key or "", where.start)
        what = f"the {key}" if key else "this question"
        raise BankError(
            path, at, spec.qid, f"{what} is nested too deeply for Python to read"
        ) from None


def _check(spec: Spec, feedback: Mapping[str, str]) -> checks.Check:
    """The question's checker, once everything the widget would refuse is ruled out too."""
    given = arguments(spec, feedback)
    showing = {key: given.pop(key) for key in SHOWING if key in given}
    # A kind's class takes its own options, checked as it is built: called as any callable.
    build: Callable[..., checks.Check] = checks.check_class(spec.kind)
    check = build(spec.qid, spec.prompt, example=spec.example or (), hints=spec.hints, **given)
    _quiz(spec.qid, showing)
    if "fade" in showing:
        checks.check_fade(check, showing["fade"])
    return check


def _quiz(qid: str, showing: Mapping[str, object]) -> None:
    """Refuse what the widget's quiz would. The values are as ``_bounds.spec_problem``
    let them through (mode and key text, attempts whole) and the release made a time."""
    mode, attempts = showing.get("mode", "practice"), showing.get("attempts")
    when, key = showing.get("release"), showing.get("key")
    assert isinstance(mode, str) and isinstance(attempts, int | None)
    assert isinstance(when, datetime | None) and isinstance(key, str | None)
    quiz.Quiz.from_options(qid, mode=mode, attempts=attempts, release=when, key=key)


def _blame(spec: Spec, where: Where, error: checks.QuestionError) -> tuple[int, str]:
    """The first part of the question that breaks it: options, then each feedback."""
    try:
        _check(spec, {})
    except checks.QuestionError as bare:
        problem = _problem(spec, bare)
        if "prompt" in problem:
            return where.close, problem
        for key, wording in _SUBJECTS:
            if key in where.keys and wording.search(problem):
                return where.keys[key], problem
        return where.start, problem
    given: dict[str, str] = {}
    for key, message in spec.feedback.items():
        given[key] = message
        try:
            _check(spec, given)
        except checks.QuestionError as broken:
            return where.feedback[key], _problem(spec, broken)
    return where.start, _problem(spec, error)


def _problem(spec: Spec, error: checks.QuestionError) -> str:
    problem = str(error).removeprefix(f"Question {spec.qid!r}: ").removesuffix(".")
    for python, markdown in _BANK_WORDS:
        problem = problem.replace(python, markdown)
    return problem
