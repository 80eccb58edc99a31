"""The class view as one HTML page: large, warm, and with no name in it.

Like the report it runs no script (the same Content-Security-Policy), so "Let's look at
this one" is a popover the browser opens from a button: Enter opens it full screen,
Escape or its Back button closes it, and focus returns to the button. Words come from
the locale catalogue (``class.*``); every answer a student typed reaches the page escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from itertools import count
from typing import TYPE_CHECKING

from ....i18n import text
from .._class_rows import MIN_STUDENTS
from ._class_style import CLASS_CSS
from ._format import _e
from ._style import _CSP

if TYPE_CHECKING:
    from .._class_rows import ClassQuestion, Prompt, Shared


def render_class(
    questions: Sequence[ClassQuestion],
    *,
    lang: str,
    title: str | None = None,
    generated: datetime | None = None,
) -> str:
    """The page: a heading, one card per question, each shared answer's discussion view."""
    heading = title or text("class.title", lang)
    when = (generated or datetime.now(timezone.utc)).astimezone()
    numbers = count(1)
    cards = "".join(_card(question, lang, numbers) for question in questions)
    body = (
        f"<header><h1>{_e(heading)}</h1>"
        f'<p class="note">{_e(text("class.privacy", lang, count=MIN_STUDENTS))} '
        f"{_e(text('class.updated', lang, time=f'{when:%H:%M}'))}</p></header>"
        + (cards or f'<p class="big">{_e(text("class.no_answers", lang))}</p>')
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(heading)}</title><style>{CLASS_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def _card(question: ClassQuestion, lang: str, numbers: count[int]) -> str:
    """One question: its name, how many tried, its good errors, its shared answers."""
    name = _e(question.question)
    if question.version:
        version = text("class.version", lang, version=question.version)
        name += f' <span class="muted">{_e(version)}</span>'
    good = question.good_errors
    praise = (
        text(f"class.good_errors.{'one' if good == 1 else 'other'}", lang, count=good)
        if good
        else text("class.good_errors.none", lang)
    )
    tried = text(
        f"class.tried.{'one' if question.tried == 1 else 'other'}", lang, count=question.tried
    )
    answers = "".join(_answer(question, shared, lang, next(numbers)) for shared in question.shared)
    listed = (
        f'<h3>{_e(text("class.shared.title", lang))}</h3><ul class="answers">{answers}</ul>'
        if answers
        else ""
    )
    return (
        f'<section class="card"><h2>{name}</h2>'
        f'<p class="tried">{_e(tried)}</p>'
        f'<p class="good{"" if good else " quiet"}">{_e(praise)}</p>{listed}</section>'
    )


def _answer(question: ClassQuestion, shared: Shared, lang: str, number: int) -> str:
    """A shared wrong answer, how many gave it, and its discussion view in a popover."""
    look = f"look-{number}"
    students = text("class.shared.students", lang, count=shared.students)
    return (
        f'<li><span class="answer">{_e(shared.answer)}</span> '
        f'<span class="count">{_e(students)}</span> '
        f'<button type="button" class="look" popovertarget="{look}">'
        f"{_e(text('class.look', lang))}</button>"
        f"{_discussion(question, shared.answer, lang, look)}</li>"
    )


def _discussion(question: ClassQuestion, answer: str, lang: str, look: str) -> str:
    """The full-screen view for a class discussion: the prompt, the curious question, and
    the worked example only when the teacher opens it."""
    back = _e(text("class.back", lang))
    ask = _e(text("class.discuss", lang, answer="\x00")).replace(
        "\x00", f'<span class="answer">{_e(answer)}</span>'
    )
    return (
        f'<div id="{look}" class="discussion" popover role="dialog" '
        f'aria-labelledby="{look}-ask">'
        f'<button type="button" class="back" popovertarget="{look}" '
        f'popovertargetaction="hide" autofocus>{back}</button>'
        f'<p class="which">{_e(question.question)}</p>'
        f"{_prompt(question.prompt, lang)}"
        f'<p class="ask" id="{look}-ask">{ask}</p></div>'
    )


def _prompt(prompt: Prompt | None, lang: str) -> str:
    if prompt is None:
        return ""
    example = "".join(f'<p class="step">{_e(step)}</p>' for step in prompt.example)
    shown = (
        f'<details class="example"><summary>{_e(text("class.example", lang))}</summary>'
        f"{example}</details>"
        if example
        else ""
    )
    return f'<p class="prompt">{_e(prompt.text)}</p>{shown}'
