"""Question banks: a lesson's questions in one Markdown file, or in its sealed copy.

A teacher writes Markdown (no Python string escapes around LaTeX); a student's folder
holds the sealed ``.gfq`` copy, where no answer, feedback, hint, worked example, code
test or quiz key can be read by opening or grepping the file. Sealing stops peeking; it
is not a lock: a student who can run Python can read their own kernel's memory. Both
forms are data only (text and JSON, never pickle or eval: a code question's tests are
read with ``ast.literal_eval``, and a snippet is compiled, not run, until it is asked).
Loading keeps ``import guessfirst`` light: SymPy is imported only for a bank with
expression questions, and the widget module when a question is asked, or when a bank with
a faded example is checked, since the rule for fading lives there.
"""

from __future__ import annotations

import ast
import base64
import binascii
import hashlib
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, tzinfo
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from . import checking, expression, programs, quiz

if TYPE_CHECKING:
    from .review import Review
    from .widget import Question as Widget

SEALED_SUFFIX = ".gfq"

#: What each kind of question takes in its front matter, besides id, kind and _SHOWING.
_OPTIONS = {
    "numeric": ("answer", "tol", "rtol"),
    "choice": ("choices", "answer", "shuffle"),
    "text": ("answer", "match", "exact"),
    "expression": ("answer", "variables", "points"),
    "predict": ("timeout",),
    "code": ("tests", "timeout"),
}
#: What every kind takes: how the card asks, and when its worked example opens.
_SHOWING = ("confidence", "mode", "attempts", "release", "key", "fade")
#: Options written as a section of the question's body, not in its front matter.
_SECTIONS = {"predict": ("code",)}
_REQUIRED = {
    "numeric": ("answer",),
    "choice": ("choices", "answer"),
    "text": (),
    "expression": ("answer",),
    "predict": (),
    "code": ("tests",),
}
_CHECKS: dict[str, type[checking.Question]] = {
    "numeric": checking.NumericQuestion,
    "choice": checking.ChoiceQuestion,
    "text": checking.TextQuestion,
    "expression": expression.ExpressionQuestion,
    "predict": programs.PredictQuestion,
    "code": programs.CodeQuestion,
}
_BOOLEANS = frozenset({"shuffle", "exact", "confidence"})
_NUMBERS = frozenset({"tol", "rtol", "timeout"})
_WHOLE_NUMBERS = frozenset({"points", "attempts", "fade"})
_TEXTS = frozenset({"match", "mode", "key", "release"})
#: Options that are lists, with what one item is called.
_LISTS = {"choices": "choice", "variables": "name", "tests": "test"}

#: Advice in checking errors given in Python's terms, put in a bank's terms.
_BANK_WORDS = (
    ("release= (a datetime) or key=", "release: (a date and time) or key:"),
    ("mode='quiz'", "mode: quiz"),
    ("write the example as a list of steps", "write the example as ### Step sections"),
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

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_KEY = re.compile(r"([A-Za-z_][\w-]*):(?:[ \t]+(.*))?$")
_ITEM = re.compile(r"[ \t]*-(?:[ \t]+(.*))?$")
_SECTION = re.compile(r" {0,3}##(?!#)(?:[ \t]+(.*?))?[ \t]*$")
_STEP = re.compile(r" {0,3}###[ \t]+step(?:[ \t]+(\d+))?[ \t]*$", re.IGNORECASE)
_FEEDBACK = re.compile(r"feedback for\b(.*)", re.IGNORECASE)
_WHOLE = re.compile(r"[+-]?\d+")
#: ISO 8601 as every supported Python's ``datetime.fromisoformat`` reads it, offset apart.
_RELEASE = re.compile(r"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:\d{2})?")
_RELEASE_LIKE = "like 2026-12-01T09:00+08:00"
_TEST_LIKE = "like mean([2, 4, 6]) == 4"

_SEAL_FORMAT = "guessfirst sealed question bank"
#: The newest format written and read. Version 2 added the kinds expression, predict and
#: code, quiz and fade options, and examples in steps; a bank using none of them is still
#: written as version 1, so that students with an older guessfirst can open it.
_SEAL_VERSION = 2
_FIRST_KINDS = ("numeric", "choice", "text")
_SEAL_SALT = b"guessfirst seal v1\0"  # unchanged in version 2: the scrambling is the same
_SPEC_KEYS = frozenset({"id", "kind", "prompt", "example", "feedback", "options"})
#: Written only for a question that has hints, so a bank without any seals as it always did.
_OPTIONAL_SPEC_KEYS = frozenset({"hints"})


class BankError(checking.QuestionError):
    """A bank that cannot be used, located as ``file:line: question 'id': problem``."""

    def __init__(self, path: object, line: int | None, qid: str | None, problem: str) -> None:
        self.path, self.line, self.qid, self.problem = str(path), line, qid, problem
        where = self.path if line is None else f"{self.path}:{line}"
        about = "" if qid is None else f" question {qid!r}:"
        super().__init__(f"{where}:{about} {problem}")


#: Makes the error for a problem found at a known line, or at a given line.
_Fail = Callable[[str], BankError]
_Locate = Callable[[int, str], BankError]
#: A line of a question's body: its number, its text, and whether it is in a code block.
_Line = tuple[int, str, bool]


@dataclass(frozen=True)
class _Spec:
    """One question as written, in the form both the Markdown and the sealed file hold.

    ``example`` is one text, or a tuple of steps; ``options`` hold values as written
    (a release time and code tests stay text), made into Python values by ``_arguments``.
    """

    qid: str
    kind: str
    prompt: str
    example: str | tuple[str, ...]
    feedback: dict[str, str]
    options: dict[str, object]
    hints: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["id"] = data.pop("qid")
        hints = data.pop("hints")
        if hints:
            data["hints"] = list(hints)
        return data

    @property
    def format_version(self) -> int:
        """The oldest sealed format that holds this question."""
        first = (
            self.kind in _FIRST_KINDS
            and set(self.options) <= {*_OPTIONS[self.kind], "confidence"}
            and isinstance(self.example, str)
        )
        return 1 if first else 2


@dataclass
class _Where:
    """The lines of one question in its Markdown file, for error messages.

    ``keys`` has the line of each front matter key, and of a ``## Code`` section as "code".
    """

    start: int
    close: int = 0
    keys: dict[str, int] = field(default_factory=dict)
    items: dict[str, list[int]] = field(default_factory=dict)
    feedback: dict[str, int] = field(default_factory=dict)


@dataclass
class _Block:
    """One question's raw lines: front matter, then body lines with whether code-fenced."""

    start: int
    close: int = 0
    front: list[tuple[int, str]] = field(default_factory=list)
    body: list[_Line] = field(default_factory=list)


@dataclass
class _Section:
    """A ``##`` section of a question's body (or a ``### Step``), from its heading's line."""

    line: int
    lines: list[_Line] = field(default_factory=list)


@dataclass
class _Body:
    """A question's body cut into its prompt and sections, lines still numbered."""

    prompt: list[_Line] = field(default_factory=list)
    example: _Section | None = None
    code: _Section | None = None
    feedback: dict[str, _Section] = field(default_factory=dict)
    hints: list[_Section] = field(default_factory=list)


@dataclass(frozen=True)
class _Case:
    """One code test, ``name(args) == expected``, and its parsed form to match feedback by."""

    name: str
    args: tuple[object, ...]
    expected: object
    shape: str


class Bank(Mapping[str, checking.Question]):
    """A lesson's questions by id, each checked when the bank was loaded."""

    def __init__(
        self,
        path: Path,
        specs: Sequence[_Spec],
        checks: Sequence[checking.Question],
        source: str | None = None,
    ) -> None:
        self.path = path
        self._source = source or path.name  # the Markdown file, named in a sealed copy
        self._specs = {spec.qid: spec for spec in specs}
        self._checks = {check.qid: check for check in checks}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._specs)

    def __getitem__(self, qid: str) -> checking.Question:
        return self._checks[qid]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __repr__(self) -> str:
        return f"Bank({self.path.name!r}: {', '.join(self._specs)})"

    def ask(self, qid: str) -> Widget:
        """Show question ``qid``: the same widget ``gf.Numeric(...)`` and the others make."""
        spec = self._specs.get(qid)
        if spec is None:
            raise KeyError(f"no question {qid!r} in {self.path.name}; it has: {', '.join(self)}")
        from . import questions

        make = {
            "numeric": questions.Numeric,
            "choice": questions.Choice,
            "text": questions.Text,
            "expression": questions.Expression,
            "predict": questions.Predict,
            "code": questions.Code,
        }
        return make[spec.kind](
            spec.qid,
            spec.prompt,
            example=spec.example or None,
            hints=spec.hints,
            **_arguments(spec, spec.feedback),
        )

    def review(
        self,
        *,
        folders: Iterable[str | os.PathLike[str]] | None = None,
        today: date | None = None,
        tz: tzinfo | None = None,
    ) -> Review:
        """Ask again this bank's questions that are due for review today (see ``gf.review``)."""
        from .review import ask_due

        makers = {qid: lambda _rng, qid=qid: self.ask(qid) for qid in self}
        return ask_due(makers, folders=folders, today=today, tz=tz)

    def sealed(self) -> str:
        """The sealed file's text; the same bank always seals to the same text."""
        specs = [spec.as_json() for spec in self._specs.values()]
        plain = _canonical({"questions": specs})
        check = hashlib.sha256(plain).hexdigest()[:32]
        envelope = {
            "format": _SEAL_FORMAT,
            "version": max((spec.format_version for spec in self._specs.values()), default=1),
            "sealed_from": self._source,
            "questions": list(self._specs),
            "check": check,
            "data": base64.b64encode(_scramble(zlib.compress(plain, 9), check)).decode("ascii"),
        }
        return json.dumps(envelope, indent=1, ensure_ascii=False) + "\n"


def load(path: str | os.PathLike[str]) -> Bank:
    """Read and check a bank: a ``.gfq`` file is a sealed one, anything else Markdown."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise BankError(path, None, None, f"this is not UTF-8 text ({error.reason})") from None
    if path.suffix == SEALED_SUFFIX:
        source, specs = _unsealed(path, text)
        return _built(path, [(spec, None) for spec in specs], source)
    return _built(path, _parsed(path, text))


def seal(source: str | os.PathLike[str], output: str | os.PathLike[str] | None = None) -> Path:
    """Check the bank at ``source`` and write its sealed copy (default: beside it, ``.gfq``)."""
    source = Path(source)
    target = source.with_suffix(SEALED_SUFFIX) if output is None else Path(output)
    if target.resolve() == source.resolve():
        raise BankError(source, None, None, "the sealed copy would overwrite its source")
    bank = load(source)
    target.write_text(bank.sealed(), encoding="utf-8")
    return target


# -- checking the questions -------------------------------------------------------------


def _built(
    path: Path, found: Sequence[tuple[_Spec, _Where | None]], source: str | None = None
) -> Bank:
    first: dict[str, int | None] = {}
    checks = []
    for spec, where in found:
        if spec.qid in first:
            earlier = first[spec.qid]
            at = f" at line {earlier}" if earlier is not None else ""
            line = where.keys.get("id") if where else None
            raise BankError(path, line, spec.qid, f"this id is already used by the question{at}")
        first[spec.qid] = where.keys["id"] if where else None
        checks.append(_checked(path, spec, where))
    return Bank(path, [spec for spec, _ in found], checks, source)


def _checked(path: Path, spec: _Spec, where: _Where | None) -> checking.Question:
    """Build the question; a failure is traced to the option or feedback it is about."""
    try:
        return _check(spec, spec.feedback)
    except checking.QuestionError as error:
        if where is None:
            raise BankError(path, None, spec.qid, _problem(spec, error)) from None
        line, problem = _blame(spec, where, error)
        raise BankError(path, line, spec.qid, problem) from None


def _check(spec: _Spec, feedback: Mapping[str, str]) -> checking.Question:
    """The question's checker, once everything the widget would refuse is ruled out too."""
    arguments = _arguments(spec, feedback)
    showing = {key: arguments.pop(key) for key in _SHOWING if key in arguments}
    check = _CHECKS[spec.kind](
        spec.qid, spec.prompt, example=spec.example or (), hints=spec.hints, **arguments
    )
    quiz.Quiz.from_options(
        spec.qid,
        mode=showing.get("mode", "practice"),
        attempts=showing.get("attempts"),
        release=showing.get("release"),
        key=showing.get("key"),
    )
    if "fade" in showing:
        checking.check_fade(check, showing["fade"])
    return check


def _arguments(spec: _Spec, feedback: Mapping[str, str]) -> dict[str, object]:
    """Keyword arguments for the question's class: the options, as values, and feedback.

    A code question's tests and feedback headings are lines of text until here: the
    tests become ``(args, expected)`` pairs, and each heading the index of its test.
    """
    arguments: dict[str, object] = {**spec.options, "feedback": dict(feedback)}
    try:
        if "release" in arguments:
            arguments["release"] = _release(arguments["release"])
        if spec.kind == "code":
            cases = _cases(arguments.get("tests"))
            arguments["tests"] = [(case.args, case.expected) for case in cases]
            arguments["name"] = cases[0].name
            arguments["feedback"] = _case_feedback(cases, feedback)
    except ValueError as error:
        raise checking.QuestionError(f"Question {spec.qid!r}: {error}") from None
    return arguments


def _blame(spec: _Spec, where: _Where, error: checking.QuestionError) -> tuple[int, str]:
    """The first part of the question that breaks it: options, then each feedback."""
    try:
        _check(spec, {})
    except checking.QuestionError as bare:
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
        except checking.QuestionError as broken:
            return where.feedback[key], _problem(spec, broken)
    return where.start, _problem(spec, error)


def _problem(spec: _Spec, error: checking.QuestionError) -> str:
    problem = str(error).removeprefix(f"Question {spec.qid!r}: ").removesuffix(".")
    for python, markdown in _BANK_WORDS:
        problem = problem.replace(python, markdown)
    return problem


# -- release times and code tests, written as text ------------------------------------


def _release(text: object) -> datetime:
    """A release time: ISO 8601 with its offset, so it is one moment on every computer."""
    match = _RELEASE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(
            f"release is a date and time with its offset, {_RELEASE_LIKE} (got {text!r})"
        )
    if match[2] is None:
        raise ValueError(
            f"release {text!r} has no offset from UTC, so it would be another moment on "
            f"each computer: add one, {_RELEASE_LIKE}"
        )
    try:
        return datetime.fromisoformat(match[1] + ("+00:00" if match[2] == "Z" else match[2]))
    except ValueError as error:
        raise ValueError(f"release {text!r} is not a real time: {error}") from None


def _case(line: str) -> _Case:
    """One test line, ``name(args) == expected``, read as data: nothing in it runs."""
    written = line.strip()
    shape = f"a test is written name(arguments) == expected, {_TEST_LIKE} (got {written!r})"
    try:
        tree = ast.parse(written, mode="eval").body
    except (SyntaxError, ValueError):
        raise ValueError(shape) from None
    if not (
        isinstance(tree, ast.Compare)
        and len(tree.ops) == 1
        and isinstance(tree.ops[0], ast.Eq)
        and isinstance(tree.left, ast.Call)
        and isinstance(tree.left.func, ast.Name)
        and not tree.left.keywords
    ):
        raise ValueError(shape)
    values = []
    for node in (*tree.left.args, tree.comparators[0]):
        try:
            values.append(ast.literal_eval(node))
        except (ValueError, TypeError, RecursionError):
            raise ValueError(
                f"in the test {written!r}, {ast.get_source_segment(written, node)} is not a "
                "literal: arguments and expected values are numbers, text, True, False, "
                "None, or lists, tuples, dicts and sets of them"
            ) from None
    return _Case(tree.left.func.id, tuple(values[:-1]), values[-1], ast.dump(tree))


def _cases(tests: object) -> list[_Case]:
    """Every test, all calling the one function the question asks for."""
    if not isinstance(tests, list) or not tests or not all(isinstance(t, str) for t in tests):
        raise ValueError(f"tests is a list of lines, each {_TEST_LIKE}")
    cases = [_case(line) for line in tests]
    for line, case in zip(tests, cases, strict=True):
        if case.name != cases[0].name:
            raise ValueError(_other_name(line, cases[0].name))
    return cases


def _other_name(line: str, name: str) -> str:
    return f"every test calls the same function, {name}, and {line.strip()!r} does not"


def _case_feedback(cases: Sequence[_Case], feedback: Mapping[str, str]) -> dict[int, str]:
    """Feedback headings name a test as written (spacing aside); the question counts from 0."""
    index: dict[str, int] = {}
    for number, case in enumerate(cases):
        index.setdefault(case.shape, number)
    given: dict[int, str] = {}
    for key, message in feedback.items():
        try:
            number = index.get(_case(key).shape)
        except ValueError:
            number = None
        if number is None:
            raise ValueError(
                f"feedback for {key!r} is not one of the tests: name a test as it is "
                f"written under tests:, {_TEST_LIKE}"
            )
        if number in given:
            raise ValueError(f"feedback for {key!r} is given twice for the same test")
        given[number] = message
    return given


# -- reading Markdown ---------------------------------------------------------------------


def _parsed(path: Path, text: str) -> list[tuple[_Spec, _Where]]:
    return [_question(path, block) for block in _blocks(path, text)]


def _blocks(path: Path, text: str) -> list[_Block]:
    """Split the file at its ``---`` lines, leaving code blocks whole.

    Text before the first ``---`` is the teacher's own note: never shown, never sealed.
    """
    blocks: list[_Block] = []
    in_front = False
    fence: tuple[str, int] | None = None  # the open code block's fence and its line
    for number, line in enumerate(text.splitlines(), start=1):
        if in_front:
            if line.rstrip() == "---":
                in_front, blocks[-1].close = False, number
            else:
                blocks[-1].front.append((number, line))
            continue
        fenced = fence is not None
        if fence is not None:
            if _closes(fence[0], line):
                fence = None
        elif opening := _FENCE.match(line):
            fence, fenced = (opening[1], number), True
        elif line.rstrip() == "---":
            blocks.append(_Block(number))
            in_front = True
            continue
        if blocks:
            blocks[-1].body.append((number, line, fenced))
    if in_front:
        raise BankError(path, blocks[-1].start, None, "this front matter is never closed by ---")
    if fence is not None:
        raise BankError(path, fence[1], None, "this code block is never closed")
    if not blocks:
        raise BankError(path, None, None, "no questions: each starts with a --- line")
    return blocks


def _closes(fence: str, line: str) -> bool:
    """Whether ``line`` ends the code block ``fence`` opened: as long a run, of the same mark."""
    mark = line.strip()
    return (
        len(line) - len(line.lstrip(" ")) <= 3
        and mark.startswith(fence)
        and set(mark) == {fence[0]}
    )


def _question(path: Path, block: _Block) -> tuple[_Spec, _Where]:
    where = _Where(block.start, block.close)
    values = _front(path, block, where)
    qid = values.get("id")
    if not isinstance(qid, str):
        line = where.keys.get("id", block.start)
        raise BankError(path, line, None, "every question needs an id: one piece of text")
    kind = values.get("kind")

    def fail(line: int, problem: str) -> BankError:
        return BankError(path, line, qid, problem)

    if kind not in _OPTIONS:
        line = where.keys.get("kind", block.start)
        raise fail(line, f"kind must be one of: {', '.join(_OPTIONS)} (got {kind!r})")
    options = _options(kind, values, where, fail)
    body = _sections(block, where, fail)
    if kind == "predict":
        if body.code is None:
            raise fail(
                block.start,
                "a predict question needs a ## Code section below the prompt: the snippet, "
                "in one fenced code block",
            )
        where.keys["code"] = body.code.line
        options["code"] = _snippet(body.code, fail)
    elif body.code is not None:
        raise fail(body.code.line, f"only a predict question has a ## Code section, not a {kind}")
    for hint in body.hints:
        if not _text(hint.lines):
            raise fail(hint.line, "this hint is empty")
    spec = _Spec(
        qid,
        kind,
        _text(body.prompt),
        _example(body.example, fail),
        {key: _text(section.lines) for key, section in body.feedback.items()},
        options,
        tuple(_text(hint.lines) for hint in body.hints),
    )
    return spec, where


def _options(
    kind: str, values: Mapping[str, object], where: _Where, fail: _Locate
) -> dict[str, object]:
    """The front matter's options as the question takes them, each checked on its own line."""
    allowed = ("id", "kind", *_OPTIONS[kind], *_SHOWING)
    for key, line in where.keys.items():
        if key in _SECTIONS.get(kind, ()):
            raise fail(line, f"the {key} goes in a ## {key.title()} section, below the prompt")
        if key not in allowed:
            raise fail(line, f"a {kind} question has no {key!r}; it takes: {', '.join(allowed)}")
    missing = [key for key in _REQUIRED[kind] if key not in values]
    if kind == "text" and "answer" not in values and "match" not in values:
        missing.append("answer (or match)")
    if missing:
        raise fail(where.start, f"the front matter has no {' or '.join(missing)}")
    options = {
        key: _typed(key, value, lambda problem, at=where.keys[key]: fail(at, problem))
        for key, value in values.items()
        if key not in ("id", "kind")
    }
    tests = options.get("tests", [])
    assert isinstance(tests, list)
    name = ""
    for line, test in zip(where.items.get("tests", []), tests, strict=True):
        try:
            case = _case(test)
        except ValueError as error:
            raise fail(line, str(error)) from None
        if name and case.name != name:
            raise fail(line, _other_name(test, name))
        name = case.name
    return options


def _front(path: Path, block: _Block, where: _Where) -> dict[str, object]:
    """``key: value`` lines, and ``key:`` followed by ``- item`` lines for a list."""
    values: dict[str, object] = {}
    listing: list[str] | None = None
    listed: list[int] = []  # the line of each item of the list being read

    def fail(line: int, problem: str) -> BankError:
        qid = values.get("id")
        return BankError(path, line, qid if isinstance(qid, str) else None, problem)

    for number, line in block.front:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM.match(line)
        if item and listing is not None:
            value = _value((item[1] or "").strip(), lambda problem, at=number: fail(at, problem))
            if not isinstance(value, str):
                raise fail(number, "a list item is one piece of text, not a list")
            listing.append(value)
            listed.append(number)
            continue
        pair = _KEY.match(line)
        if pair is None:
            raise fail(
                number,
                f"expected 'key: value' here, not {line.strip()!r} (a --- line opens a "
                "question's front matter: use *** for a horizontal rule)",
            )
        key, value = pair[1], (pair[2] or "").strip()
        if key in where.keys:
            raise fail(number, f"{key!r} is given twice (also at line {where.keys[key]})")
        where.keys[key] = number
        listing = None if value else []
        values[key] = (
            _value(value, lambda problem, at=number: fail(at, problem)) if value else listing
        )
        given = values[key]
        where.items[key] = listed = [number] * len(given) if isinstance(given, list) else []
    for key, value in values.items():
        if value in ([], ""):
            raise fail(where.keys[key], f"{key!r} has no value")
    return values


def _value(value: str, fail: _Fail) -> str | list[str]:
    """Plain text as written; text starting with a quote or a bracket is JSON."""
    if not value.startswith(("[", '"')):
        return value
    try:
        data = json.loads(value)
    except ValueError as error:
        raise fail(f"{value} is not valid JSON: {error}") from None
    if isinstance(data, str) or (
        isinstance(data, list) and all(isinstance(item, str) for item in data)
    ):
        return data
    raise fail(f'a list holds quoted text, like ["1/3", "2/5"], not {value}')


def _typed(key: str, value: object, fail: _Fail) -> object:
    """A front matter value as the question takes it, or why it cannot be."""
    if key in _BOOLEANS:
        if value not in ("true", "false"):
            raise fail(f"{key} is true or false (got {value!r})")
        return value == "true"
    if key in _NUMBERS:
        try:
            return float(Fraction(value))
        except (TypeError, ValueError, ZeroDivisionError):
            raise fail(f"{key} must be a number (got {value!r})") from None
    if key in _WHOLE_NUMBERS:
        if not isinstance(value, str) or not _WHOLE.fullmatch(value):
            raise fail(f"{key} must be a whole number (got {value!r})")
        return int(value)
    if key in _TEXTS and not isinstance(value, str):
        raise fail(f"{key} is one piece of text, not a list")
    if key == "release":
        try:
            _release(value)
        except ValueError as error:
            raise fail(str(error)) from None
    if key in _LISTS and not isinstance(value, list):
        item = _LISTS[key]
        raise fail(f"{key} is a list: one '- {item}' line each, below '{key}:'")
    return value


def _sections(block: _Block, where: _Where, fail: _Locate) -> _Body:
    """The prompt, then the ``## Example``, ``## Code``, ``## Feedback for <answer>`` and
    ``## Hint`` sections; hints keep the order they are written in, which is the order
    they open in."""
    body = _Body()
    target = body.prompt
    for number, line, fenced in block.body:
        heading = None if fenced else _SECTION.match(line)
        if heading is None:
            if not fenced and _STEP.match(line) and target is not _lines(body.example):
                raise fail(number, "a ### Step belongs in the ## Example section")
            target.append((number, line, fenced))
            continue
        title = heading[1] or ""
        wrong = _FEEDBACK.fullmatch(title)
        section = _Section(number)
        if title.casefold() in ("example", "code"):
            earlier = getattr(body, title.casefold())
            if earlier is not None:
                raise fail(
                    number, f"a second ## {title.title()} (the first is at line {earlier.line})"
                )
            setattr(body, title.casefold(), section)
        elif title.casefold() == "hint":
            body.hints.append(section)
        elif wrong:
            key = _value(wrong[1].strip(), lambda problem, at=number: fail(at, problem))
            if not isinstance(key, str) or not key:
                raise fail(number, "say which answer the feedback is for: ## Feedback for 180")
            if key in body.feedback:
                raise fail(
                    number,
                    f"feedback for {key!r} is given twice (also at line {where.feedback[key]})",
                )
            where.feedback[key] = number
            body.feedback[key] = section
        else:
            raise fail(
                number,
                f"{line.strip()!r} is not a section of a question: use ## Example, "
                "## Hint or ## Feedback for <answer> (or ## Code, for a predict question), "
                "and ### for headings inside them",
            )
        target = section.lines
    return body


def _lines(section: _Section | None) -> list[_Line] | None:
    return None if section is None else section.lines


def _example(section: _Section | None, fail: _Locate) -> str | tuple[str, ...]:
    """The worked example: one text, or its steps when it is written in ``### Step``s.

    A step heading only marks where a step starts (the card numbers the steps itself); a
    number after it must be the step's own, so that a reordered step cannot go unnoticed.
    """
    if section is None:
        return ""
    before: list[_Line] = []
    steps: list[_Section] = []
    for number, line, fenced in section.lines:
        marker = None if fenced else _STEP.match(line)
        if marker is None:
            (steps[-1].lines if steps else before).append((number, line, fenced))
            continue
        if marker[1] is not None and int(marker[1]) != len(steps) + 1:
            raise fail(number, f"this is step {len(steps) + 1} of the example, not {marker[1]}")
        steps.append(_Section(number))
    if not steps:
        if not _text(before):
            raise fail(section.line, "the example is empty")
        return _text(before)
    written = next((number for number, line, _ in before if line.strip()), None)
    if written is not None:
        raise fail(written, "text before the first ### Step: put it in a step of its own")
    for step in steps:
        if not _text(step.lines):
            raise fail(step.line, "this step is empty")
    return tuple(_text(step.lines) for step in steps)


def _snippet(section: _Section, fail: _Locate) -> str:
    """The one fenced code block of a ``## Code`` section, as the card will show it."""
    code: list[str] | None = None
    fence: tuple[str, int] | None = None  # the open block's fence and its indentation
    for number, line, fenced in section.lines:
        if not fenced:
            if line.strip():
                raise fail(number, "a ## Code section holds one fenced code block, nothing else")
        elif fence is None and code is None:
            mark = _FENCE.match(line)
            assert mark is not None  # the first fenced line of a block is its fence
            fence, code = (mark[1], len(line) - len(line.lstrip(" "))), []
        elif fence is None:
            raise fail(number, "a ## Code section holds one code block: this is a second one")
        elif _closes(fence[0], line):
            fence = None
        else:
            indent = min(fence[1], len(line) - len(line.lstrip(" ")))
            code.append(line[indent:])
    if code is None:
        raise fail(section.line, "this ## Code section has no fenced code block")
    return "\n".join(code)


def _text(lines: Sequence[_Line]) -> str:
    """The lines as Markdown, without the blank lines around them."""
    joined = "\n".join(line for _, line, _ in lines)
    return re.sub(r"\A(?:[ \t]*\n)+", "", joined.rstrip())


# -- sealing ------------------------------------------------------------------------------


def _canonical(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _scramble(data: bytes, check: str) -> bytes:
    """XOR with a keystream from the content's own hash: unreadable, and undone the same way.

    Obfuscation, not encryption: the key is in the file. It keeps answers out of an editor
    and out of ``grep``, also after decompressing, since the compressed bytes are scrambled.
    """
    stream = hashlib.shake_256(_SEAL_SALT + check.encode()).digest(len(data))
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
    return mixed.to_bytes(len(data), "big")


def _unsealed(path: Path, text: str) -> tuple[str, list[_Spec]]:
    """The Markdown file's name and the questions, once the file proves unchanged."""
    try:
        envelope = json.loads(text)
    except ValueError:
        envelope = None
    if not isinstance(envelope, dict) or envelope.get("format") != _SEAL_FORMAT:
        raise BankError(path, None, None, "this is not a sealed guessfirst question bank")
    version = envelope.get("version")
    if isinstance(version, bool) or version not in range(1, _SEAL_VERSION + 1):
        raise BankError(
            path,
            None,
            None,
            f"sealed in format version {version!r}, and this guessfirst reads versions "
            f"1 to {_SEAL_VERSION}: upgrade guessfirst, or seal the bank again",
        )
    source, check, data = (envelope.get(key) for key in ("sealed_from", "check", "data"))
    changed = BankError(
        path,
        None,
        None,
        "this sealed bank was changed or damaged after it was sealed; seal it again "
        f"from its Markdown file (guessfirst seal {source if isinstance(source, str) else '...'})",
    )
    if not isinstance(source, str) or not isinstance(check, str) or not isinstance(data, str):
        raise changed
    try:
        plain = zlib.decompress(_scramble(base64.b64decode(data, validate=True), check))
    except (binascii.Error, zlib.error):
        raise changed from None
    if hashlib.sha256(plain).hexdigest()[:32] != check:
        raise changed
    try:
        payload = json.loads(plain)
    except ValueError:
        raise changed from None
    items = payload.get("questions") if isinstance(payload, dict) else None
    specs = [_spec(item) for item in items] if isinstance(items, list) else [None]
    if None in specs or [spec.qid for spec in specs] != envelope.get("questions"):
        raise changed
    return source, specs


def _spec(item: object) -> _Spec | None:
    """One sealed question, or None when it is not in the shape ``Bank.sealed`` writes."""
    if (
        not isinstance(item, dict)
        or not _SPEC_KEYS <= set(item) <= _SPEC_KEYS | _OPTIONAL_SPEC_KEYS
    ):
        return None
    example, feedback, options = item["example"], item["feedback"], item["options"]
    hints, steps = item.get("hints", []), example if isinstance(example, list) else [example]
    if (
        not isinstance(hints, list)
        or not isinstance(feedback, dict)
        or not isinstance(options, dict)
        or not steps
        or not all(
            isinstance(text, str)
            for text in (item["id"], item["kind"], item["prompt"], *steps, *hints)
        )
        or not all(isinstance(message, str) for message in feedback.values())
        or item["kind"] not in _OPTIONS
    ):
        return None
    kind = item["kind"]
    needs = {*_REQUIRED[kind], *_SECTIONS.get(kind, ())}
    if not needs <= set(options) <= {*_OPTIONS[kind], *_SHOWING, *_SECTIONS.get(kind, ())}:
        return None
    return _Spec(
        item["id"],
        item["kind"],
        item["prompt"],
        tuple(example) if isinstance(example, list) else example,
        feedback,
        options,
        tuple(hints),
    )
