"""The help behind the gate: the worked example, its faded steps, and the hints.

None of it becomes a trait before the student's first attempt (or a quiz's opening);
what is open comes from the log, never from what a browser asks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from . import _recall

if TYPE_CHECKING:
    from .widget import Question


class Fade(TypedDict, total=False):
    """What a reveal event says of fading: the steps the example left blank, if any."""

    fade: int


def open_example(card: Question) -> None:
    """Show the worked example; with fading, its last steps stay blank until filled in.

    After an attempt that named a misconception, the feedback says when the student met
    it before, and the step the teacher tied it to is emphasised (see ``_recall``).
    """
    from . import rendering

    recalled = _recall.take(card)
    if recalled is not None:
        card.feedback_html += recalled.html
    parts = card._check.example
    if not parts:
        return
    worked = len(parts) - card._fade
    focus = recalled.step if recalled is not None else None
    if not card.example_html or focus is not None:
        card.example_html = rendering.render_example(parts[:worked], focus=focus)
    filled = card._progress.steps
    if len(card.faded_steps) < len(filled):
        card.faded_steps = [
            {"n": n, "html": rendering.render_example(parts[n - 1 : n]), "yours": filled[n]}
            for n in range(worked + 1, worked + 1 + len(filled))
            if n in filled
        ]
    card.steps_left = card._fade - len(card.faded_steps)
    card.next_step = worked + len(card.faded_steps) + 1 if card.steps_left else 0


def step_to_fill(card: Question, text: str) -> int | None:
    """The place in the example of the faded step ``text`` fills, or None when no step
    waits (the example is not open yet, or every step is shown) or the text is empty."""
    shown = len(card._check.example) - card._fade + len(card._progress.steps)
    if (
        card._recorder is None
        or not card.example_html
        or shown >= len(card._check.example)
        or not text.strip()
    ):
        return None
    return shown


def fade_field(card: Question) -> Fade:
    """``fade`` on a reveal event: how many steps the example left for the student."""
    return {"fade": card._fade} if card._fade else {}


def open_hints(card: Question) -> None:
    """Render the hints the log says are open, and offer the rest: only after an attempt."""
    from . import rendering

    hints = card._check.hints
    opened = min(card._progress.hints, len(hints))
    if len(card.hints_html) < opened:
        fresh = hints[len(card.hints_html) : opened]
        card.hints_html = [*card.hints_html, *(rendering.render_markdown(h) for h in fresh)]
    card.hints_left = len(hints) - opened
