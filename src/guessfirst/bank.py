"""Question banks: a lesson's questions in one Markdown file, or in its sealed copy.

A teacher writes Markdown (no Python string escapes around LaTeX); a student's folder
holds the sealed ``.gfq`` copy, where no answer, feedback, hint or worked example can be read
by opening or grepping the file. Sealing stops peeking; it is not a lock: a student who
can run Python can read their own kernel's memory. Both forms are data only (text and
JSON, never pickle or eval), and only the standard library is used, so loading a bank
keeps ``import guessfirst`` light; the widget module is imported when a question is asked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from . import checking

if TYPE_CHECKING:
    from .widget import Question as Widget

SEALED_SUFFIX = ".gfq"

#: What each kind of question takes in its front matter, besides id, kind and confidence.
_OPTIONS = {
    "numeric": ("answer", "tol", "rtol"),
    "choice": ("choices", "answer", "shuffle"),
    "text": ("answer", "match", "exact"),
}
_REQUIRED = {"numeric": ("answer",), "choice": ("choices", "answer"), "text": ()}
_CHECKS = {
    "numeric": checking.NumericQuestion,
    "choice": checking.ChoiceQuestion,
    "text": checking.TextQuestion,
}
_BOOLEANS = frozenset({"shuffle", "exact", "confidence"})
_NUMBERS = frozenset({"tol", "rtol"})

#: Which front matter key a checking error is about, tried in order on its wording.
_SUBJECTS = (
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
_FEEDBACK = re.compile(r"feedback for\b(.*)", re.IGNORECASE)

_SEAL_FORMAT = "guessfirst sealed question bank"
_SEAL_VERSION = 1
_SEAL_SALT = b"guessfirst seal v1\0"
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


@dataclass(frozen=True)
class _Spec:
    """One question as written, in the form both the Markdown and the sealed file hold."""

    qid: str
    kind: str
    prompt: str
    example: str
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


@dataclass
class _Where:
    """The lines of one question in its Markdown file, for error messages."""

    start: int
    close: int = 0
    keys: dict[str, int] = field(default_factory=dict)
    feedback: dict[str, int] = field(default_factory=dict)


@dataclass
class _Block:
    """One question's raw lines: front matter, then body lines with whether code-fenced."""

    start: int
    close: int = 0
    front: list[tuple[int, str]] = field(default_factory=list)
    body: list[tuple[int, str, bool]] = field(default_factory=list)


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

        make = {"numeric": questions.Numeric, "choice": questions.Choice, "text": questions.Text}
        return make[spec.kind](
            spec.qid,
            spec.prompt,
            example=spec.example or None,
            feedback=dict(spec.feedback) or None,
            hints=spec.hints,
            **spec.options,
        )

    def sealed(self) -> str:
        """The sealed file's text; the same bank always seals to the same text."""
        specs = [spec.as_json() for spec in self._specs.values()]
        plain = _canonical({"questions": specs})
        check = hashlib.sha256(plain).hexdigest()[:32]
        envelope = {
            "format": _SEAL_FORMAT,
            "version": _SEAL_VERSION,
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
    """Build the question; a failure is traced to the front matter key or feedback it is about."""
    try:
        return _check(spec, spec.feedback)
    except checking.QuestionError as error:
        if where is None:
            raise BankError(path, None, spec.qid, _problem(spec, error)) from None
        line, problem = _blame(spec, where, error)
        raise BankError(path, line, spec.qid, problem) from None


def _check(spec: _Spec, feedback: Mapping[str, str]) -> checking.Question:
    options = {key: value for key, value in spec.options.items() if key != "confidence"}
    return _CHECKS[spec.kind](
        spec.qid,
        spec.prompt,
        example=spec.example or (),
        feedback=feedback,
        hints=spec.hints,
        **options,
    )


def _blame(spec: _Spec, where: _Where, error: checking.QuestionError) -> tuple[int, str]:
    """The first part of the question that breaks it: front matter, then each feedback."""
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
    return str(error).removeprefix(f"Question {spec.qid!r}: ").removesuffix(".")


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
    allowed = ("id", "kind", *_OPTIONS[kind], "confidence")
    for key, line in where.keys.items():
        if key not in allowed:
            raise fail(line, f"a {kind} question has no {key!r}; it takes: {', '.join(allowed)}")
    missing = [key for key in _REQUIRED[kind] if key not in values]
    if kind == "text" and "answer" not in values and "match" not in values:
        missing.append("answer (or match)")
    if missing:
        raise fail(block.start, f"the front matter has no {' or '.join(missing)}")
    options = {
        key: _typed(key, value, lambda problem, at=where.keys[key]: fail(at, problem))
        for key, value in values.items()
        if key not in ("id", "kind")
    }
    prompt, example, feedback, hints = _body(block, where, fail)
    return _Spec(qid, kind, prompt, example, feedback, options, hints), where


def _front(path: Path, block: _Block, where: _Where) -> dict[str, object]:
    """``key: value`` lines, and ``key:`` followed by ``- item`` lines for a list."""
    values: dict[str, object] = {}
    listing: list[str] | None = None

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
    if key == "match" and not isinstance(value, str):
        raise fail(f"{key} is one piece of text, not a list")
    if key == "choices" and not isinstance(value, list):
        raise fail("choices is a list: one '- choice' line each, below 'choices:'")
    return value


def _body(
    block: _Block, where: _Where, fail: _Locate
) -> tuple[str, str, dict[str, str], tuple[str, ...]]:
    """The prompt, then the ``## Example``, ``## Feedback for <answer>`` and ``## Hint``
    sections; hints keep the order they are written in, which is the order they open in."""
    prompt: list[str] = []
    example: list[str] | None = None
    feedback: dict[str, list[str]] = {}
    hints: list[tuple[int, list[str]]] = []
    target, example_line = prompt, 0
    for number, line, fenced in block.body:
        heading = None if fenced else _SECTION.match(line)
        if heading is None:
            target.append(line)
            continue
        title = heading[1] or ""
        wrong = _FEEDBACK.fullmatch(title)
        if title.casefold() == "example":
            if example is not None:
                raise fail(number, f"a second ## Example (the first is at line {example_line})")
            example = target = []
            example_line = number
        elif title.casefold() == "hint":
            target = []
            hints.append((number, target))
        elif wrong:
            key = _value(wrong[1].strip(), lambda problem, at=number: fail(at, problem))
            if not isinstance(key, str) or not key:
                raise fail(number, "say which answer the feedback is for: ## Feedback for 180")
            if key in feedback:
                raise fail(
                    number,
                    f"feedback for {key!r} is given twice (also at line {where.feedback[key]})",
                )
            where.feedback[key] = number
            feedback[key] = target = []
        else:
            raise fail(
                number,
                f"{line.strip()!r} is not a section of a question: use ## Example, "
                "## Hint or ## Feedback for <answer>, and ### for headings inside them",
            )
    shown = _joined(example or [])
    if example is not None and not shown:
        raise fail(example_line, "the example is empty")
    for hint_line, lines in hints:
        if not _joined(lines):
            raise fail(hint_line, "this hint is empty")
    return (
        _joined(prompt),
        shown,
        {key: _joined(lines) for key, lines in feedback.items()},
        tuple(_joined(lines) for _, lines in hints),
    )


def _joined(lines: list[str]) -> str:
    """The lines as Markdown, without the blank lines around them."""
    return re.sub(r"\A(?:[ \t]*\n)+", "", "\n".join(lines).rstrip())


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
    if envelope.get("version") != _SEAL_VERSION:
        raise BankError(
            path,
            None,
            None,
            f"sealed in format version {envelope.get('version')!r}, and this guessfirst "
            f"reads version {_SEAL_VERSION}: upgrade guessfirst, or seal the bank again",
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
    texts = (item["id"], item["kind"], item["prompt"], item["example"])
    feedback, options, hints = item["feedback"], item["options"], item.get("hints", [])
    if (
        not all(isinstance(text, str) for text in texts)
        or not isinstance(hints, list)
        or not all(isinstance(hint, str) for hint in hints)
        or item["kind"] not in _OPTIONS
        or not isinstance(feedback, dict)
        or not all(isinstance(message, str) for message in feedback.values())
        or not isinstance(options, dict)
        or not set(options) <= {*_OPTIONS[item["kind"]], "confidence"}
    ):
        return None
    return _Spec(
        item["id"],
        item["kind"],
        item["prompt"],
        item["example"],
        feedback,
        options,
        tuple(hints),
    )
