"""Numbers of one's own: ``variant=`` with ``per_student=True`` gives each student theirs.

When neighbours compare answers, a class then talks about methods, not answers to copy.
Each student's numbers come from a ``random.Random`` seeded by a SHA-256 of their id and
the question id (never Python's salted ``hash()``), so they are the same on every run
and every machine. The card asks the question as written until it knows the student,
and the variant is applied then, before anything can be submitted.

Every student's events are filed under the question as written (its ``qversion``), so
the report pools them by question id; ``shown`` and ``attempt`` events name the numbers
asked in ``variant``: the student's check's own qversion, a short hash of those numbers.
The check keeps that qversion as its own, as the checking process keys checks by it.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import random
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from .. import checks
from ..i18n import text as _say
from ..kernel import Made

if TYPE_CHECKING:
    from .widget import Question

#: A teacher's variant: other arguments for the same question, from random numbers.
Variant = Callable[[random.Random], Mapping[str, object]]
#: The events that name the numbers asked: the contract with the report's variants table.
_NAMED = ("shown", "attempt")
#: Set while a review makes a question: the numbers come from the review's own seed.
_drawing: contextvars.ContextVar[random.Random | None] = contextvars.ContextVar(
    "drawing", default=None
)


@dataclass
class Numbers:
    """What a card asks for its student: the question as written, or their own numbers."""

    written: checks.Check
    variant: Variant | None = None
    drawn: object = None  # a review's random state: its numbers, whoever is known
    label: str | None = None  # the qversion of the numbers asked; None: as written


def numbers(card: Question, variant: Variant | None, per_student: bool) -> Numbers:
    """The card's numbers as it is made: own ones are refused early if the variant fails."""
    written = card._check
    if not per_student or variant is None:
        return Numbers(written)
    rng = _drawing.get()
    made = Numbers(written, variant, rng.getstate() if rng is not None else None)
    kind = getattr(card, "_made_with", (None,))[0]
    if not callable(getattr(kind, "_check_from", None)):
        raise checks.QuestionError(
            f"Question {written.qid!r}: per_student=True is for a kind made from its "
            "arguments (gf.Numeric, gf.Choice...), not for this one"
        )
    _checked_from(card, made, random.Random(0))  # noqa: S311 -- a trial, for the teacher
    return made


def seeded(student: str, qid: str) -> random.Random:
    """The student's own random numbers for question ``qid``: the same on every machine."""
    digest = hashlib.sha256(f"{student}\x1f{qid}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 -- a lesson's numbers


def ask_for(card: Question, student: str | None) -> None:
    """Ask ``student``'s own numbers (None: nobody is known, the question as written)."""
    made: Numbers = card._numbers
    if made.variant is None:
        return
    if student is None:
        check, made.label = made.written, None
    else:
        check = _checked_from(card, made, _rng(made, student))
        made.label = check.qversion
    _ask(card, check, student is None)


def filed_as(card: Question) -> tuple[str, str]:
    """The question id and qversion the card's events are logged under."""
    written = card._numbers.written
    return written.qid, written.qversion


def filed(
    card: Question, event_type: str, about: tuple[str, str] | None, fields: dict[str, object]
) -> tuple[tuple[str, str] | None, dict[str, object]]:
    """An event of this card's own question as the log takes it: under the question as
    written, and naming the numbers asked when it is a ``shown`` or an ``attempt``."""
    made: Numbers = card._numbers
    if made.variant is None or (about is not None and about != filed_as(card)):
        return about, fields
    if event_type in _NAMED and made.label is not None:
        fields = {**fields, "variant": made.label}
    return filed_as(card), fields


@contextlib.contextmanager
def drawn_from(rng: random.Random) -> Iterator[None]:
    """Questions made inside take their own numbers from ``rng``: a review's, for the day."""
    token = _drawing.set(rng)
    try:
        yield
    finally:
        _drawing.reset(token)


def called_with(made: Made, changes: Mapping[str, object]) -> tuple[list[Any], dict[str, Any]]:
    """The arguments a question was made with, with a variant's ``changes`` in them."""
    _kind, args, options = made
    given, changes = list(args), dict(changes)
    if "prompt" in changes and len(given) > 1:
        given[1] = changes.pop("prompt")
    return given, {**options, **changes}


def _rng(made: Numbers, student: str) -> random.Random:
    """The review's numbers when a review made the card, else the student's own."""
    if made.drawn is None:
        return seeded(student, made.written.qid)
    rng = random.Random()  # noqa: S311 -- its state is set next
    rng.setstate(cast("tuple[Any, ...]", made.drawn))
    return rng


def _checked_from(card: Question, made: Numbers, rng: random.Random) -> checks.Check:
    """The check of the variant's numbers drawn from ``rng``; a variant that gives no
    mapping or a question that cannot be is the teacher's to hear of."""
    assert made.variant is not None
    changes = made.variant(rng)
    if not isinstance(changes, Mapping):
        raise checks.QuestionError(
            f"Question {made.written.qid!r}: variant must return a dict of the arguments "
            f"that change (got {type(changes).__name__})"
        )
    kind = card._made_with[0]
    args, options = called_with(card._made_with, changes)
    check_from = cast("Callable[..., checks.Check]", getattr(kind, "_check_from"))  # noqa: B009
    return check_from(*args, **options)


def _ask(card: Question, check: checks.Check, waiting: bool) -> None:
    """Show ``check`` on the card: its prompt, or, until the student is known, a line
    saying their own numbers come with their name, and nothing to pick yet."""
    from . import rendering

    old, card._check = card._check, check
    card._limit += check.run_seconds() - old.run_seconds()
    checks.warm(check)
    prompt = _say("own_numbers.after_name") if waiting else card._prompt_markdown(check)
    with card.hold_sync():
        card.prompt_html = rendering.render_markdown(prompt)
        card.control_options = check.control_options()
        if waiting:  # the student's own options come with their name (see _students)
            card.choices = []
