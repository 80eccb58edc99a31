"""What a bank's two formats share: a question as written, where, and what each kind takes.

The Markdown reader makes these and the sealed reader makes them again, so which options
a kind takes is written once, here, and a sealed copy is held to the rules its source was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import checking

#: What each kind of question takes in its front matter, besides id, kind and SHOWING.
OPTIONS = {
    "numeric": ("answer", "tol", "rtol"),
    "choice": ("choices", "answer", "shuffle"),
    "text": ("answer", "match", "exact"),
    "expression": ("answer", "variables", "points"),
    "predict": ("timeout",),
    "code": ("tests", "timeout"),
}
#: What every kind takes: how the card asks, and when its worked example opens.
SHOWING = ("confidence", "mode", "attempts", "release", "key", "fade")
#: Options written as a section of the question's body, not in its front matter.
SECTIONS = {"predict": ("code",)}
REQUIRED = {
    "numeric": ("answer",),
    "choice": ("choices", "answer"),
    "text": (),
    "expression": ("answer",),
    "predict": (),
    "code": ("tests",),
}


class BankError(checking.QuestionError):
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
