"""What a bank's two formats share: a question as written, where, and what each kind takes.

The Markdown reader makes these and the sealed reader makes them again, so both hold a
question to the rules its kind declares (``checks.Kind``), and a sealed copy is held to
the rules its source was.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .. import checks

#: What every kind takes: how the card asks, and when its worked example opens.
SHOWING = ("confidence", "mode", "attempts", "release", "key", "fade")
#: How a bank writes each of those (see ``checks.Option.form``).
SHOWING_FORMS = {
    "confidence": "bool",
    "mode": "text",
    "attempts": "whole",
    "release": "text",
    "key": "text",
    "fade": "whole",
}


def kinds() -> dict[str, checks.Kind]:
    """The kinds a bank can hold, by name, as each declares itself."""
    found = (check.KIND for check in checks.kinds().values())
    return {kind.name: kind for kind in found if kind.in_banks}


def front_matter(kind: str) -> tuple[str, ...]:
    """What a kind takes in its front matter, besides id, kind and ``SHOWING``."""
    return kinds()[kind].bank_options


def sections(kind: str) -> tuple[str, ...]:
    """Options written as a section of the question's body, not in its front matter."""
    return kinds()[kind].bank_sections


def required(kind: str) -> tuple[str, ...]:
    """What a bank's question of this kind must give, in the front matter or a section."""
    declared = kinds()[kind]
    return tuple(name for name in declared.required if declared.option(name).in_banks)


@functools.cache
def forms() -> dict[str, tuple[str, str]]:
    """How a bank writes each option, by name: ``(form, what one item is called)``."""
    found = {key: (form, "") for key, form in SHOWING_FORMS.items()}
    for kind in kinds().values():
        for option in kind.options:
            if option.in_banks:
                found.setdefault(option.name, (option.form, option.item))
    return found


class BankError(checks.QuestionError):
    """A bank that cannot be used, located as ``file:line: question 'id': problem``."""

    __module__ = "guessfirst.bank"  # where teachers import it from, and tracebacks name it

    def __init__(self, path: object, line: int | None, qid: str | None, problem: str) -> None:
        self.path, self.line, self.qid, self.problem = str(path), line, qid, problem
        where = self.path if line is None else f"{self.path}:{line}"
        about = "" if qid is None else f" question {qid!r}:"
        super().__init__(f"{where}:{about} {problem}")


@dataclass(frozen=True)
class Spec:
    """One question as written, in the form both the Markdown and the sealed file hold.

    ``example`` is one text, or a tuple of steps; ``options`` hold values as written
    (a release time and code tests stay text), made into Python values when it is built.
    """

    qid: str
    kind: str
    prompt: str
    example: str | tuple[str, ...]
    feedback: dict[str, str]
    options: dict[str, object]
    hints: tuple[str, ...] = ()


@dataclass
class Where:
    """The lines of one question in its Markdown file, for error messages.

    ``keys`` has the line of each front matter key, and of a ``## Code`` section as "code".
    """

    start: int
    close: int = 0
    keys: dict[str, int] = field(default_factory=dict)
    items: dict[str, list[int]] = field(default_factory=dict)
    feedback: dict[str, int] = field(default_factory=dict)
