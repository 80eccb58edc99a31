"""Question banks: a lesson's questions in one Markdown file, or in its sealed copy.

A teacher writes Markdown (no Python string escapes around LaTeX); a student's folder
holds the sealed ``.gfq`` copy, where no answer, feedback, hint, worked example, code
test or quiz key can be read by opening or grepping the file. Sealing stops peeking; it
is not a lock: a student who can run Python can read their own kernel's memory. Both
forms are data only (text and JSON, never pickle or eval: a code question's tests are
read with ``ast.literal_eval``, and a snippet is compiled, not run, until it is asked).
Loading keeps ``import guessfirst`` light: SymPy is imported only for a bank with
expression questions, and the widget module only when a question is asked.

Each format has its own reader (``_markdown``, ``_sealed``); both give the same ``Spec``s,
which ``_build`` makes into checked questions.

Whatever a file holds, loading it gives a ``Bank`` or a ``BankError`` naming the file and,
in Markdown, the line: never another exception. A bank and each of its values are bounded
(``_bounds``): a Markdown file is at most 5 MiB and 200,000 lines, a sealed one unpacks to
at most 5 MiB, about ten times a large real bank, and is refused past that as it
unpacks, so a zlib bomb never fills the memory.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from .. import checks
from ._bounds import MAX_BANK_BYTES, MAX_SEALED_FILE_BYTES, mib
from ._build import arguments, checkers
from ._markdown import parsed
from ._sealed import sealed_text, unsealed
from ._spec import BankError, Spec, Where

if TYPE_CHECKING:
    from ..student.review import Review
    from ..student.widget import Question as Widget

__all__ = ["SEALED_SUFFIX", "Bank", "BankError", "load", "seal"]

SEALED_SUFFIX = ".gfq"


class Bank(Mapping[str, checks.Check]):
    """A lesson's questions by id, each checked when the bank was loaded."""

    def __init__(
        self,
        path: Path,
        specs: Sequence[Spec],
        checks: Sequence[checks.Check],
        source: str | None = None,
    ) -> None:
        self.path = path
        self._source = source or path.name  # the Markdown file, named in a sealed copy
        self._specs = {spec.qid: spec for spec in specs}
        self._checks = {check.qid: check for check in checks}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._specs)

    def __getitem__(self, qid: str) -> checks.Check:
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
        from ..student.questions import question_class

        # A kind's class takes its own options, checked as it is built: called as any callable.
        ask: Callable[..., Widget] = question_class(spec.kind)
        return ask(
            spec.qid,
            spec.prompt,
            example=spec.example or None,
            hints=spec.hints,
            **arguments(spec, spec.feedback),
        )

    def review(
        self,
        *,
        folders: Iterable[str | os.PathLike[str]] | None = None,
        today: date | None = None,
        tz: tzinfo | None = None,
    ) -> Review:
        """Ask again this bank's questions that are due for review today (see ``gf.review``)."""
        from ..student.review import ask_due

        makers = {qid: lambda _rng, qid=qid: self.ask(qid) for qid in self}
        return ask_due(makers, folders=folders, today=today, tz=tz)

    def sealed(self) -> str:
        """The sealed file's text; the same bank always seals to the same text."""
        return sealed_text(self.path, self._source, self._specs.values())


def load(path: str | os.PathLike[str]) -> Bank:
    """Read and check a bank: a ``.gfq`` file is a sealed one, anything else Markdown."""
    path = Path(path)
    text = _text(path, MAX_SEALED_FILE_BYTES if path.suffix == SEALED_SUFFIX else MAX_BANK_BYTES)
    if path.suffix == SEALED_SUFFIX:
        source, specs = unsealed(path, text)
        return _built(path, [(spec, None) for spec in specs], source)
    return _built(path, parsed(path, text))


def seal(source: str | os.PathLike[str], output: str | os.PathLike[str] | None = None) -> Path:
    """Check the bank at ``source`` and write its sealed copy (default: beside it, ``.gfq``)."""
    source = Path(source)
    target = source.with_suffix(SEALED_SUFFIX) if output is None else Path(output)
    if target.resolve() == source.resolve():
        raise BankError(source, None, None, "the sealed copy would overwrite its source")
    bank = load(source)
    target.write_text(bank.sealed(), encoding="utf-8")
    return target


def _text(path: Path, limit: int) -> str:
    """The file's text, read no further than ``limit`` bytes: a bigger file is refused."""
    with path.open("rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise BankError(
            path, None, None, f"this file is larger than {mib(limit)}, the most a bank may be"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BankError(path, None, None, f"this is not UTF-8 text ({error.reason})") from None


def _built(
    path: Path, found: Sequence[tuple[Spec, Where | None]], source: str | None = None
) -> Bank:
    """The bank, once every question in it builds: a failure is a ``BankError``."""
    return Bank(path, [spec for spec, _ in found], checkers(path, found), source)
