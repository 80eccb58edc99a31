"""Telling students the science: why the card asks for a guess first.

A guess that is checked teaches more than an answer read, and an error met where it is
safe is how that happens (Metcalfe 2017); a confident guess that turns out not quite
right is remembered best (the hypercorrection effect, Butterfield & Metcalfe 2001). A
student who knows this guesses more freely, so the first card a student meets in a
kernel, in a language they have not met guessfirst in yet, says it once
(``welcome_html``). It is general text, the same on every card and about no answer.

When they dismiss it ("Got it"), a ``welcomed`` event with the language goes to their own
log, so no later lesson (any of their log folders) shows it again. Dismissed before a
name is known, it is logged once the student is. Python decides: the browser only says
the student dismissed it. ``gf.why()`` shows it again at any time.
"""

from __future__ import annotations

import html
import logging
import weakref
from typing import TYPE_CHECKING, Any

from ..i18n import language, supported
from ..i18n import text as _say
from ..kernel import KERNEL
from ..log import context, eventlog

if TYPE_CHECKING:
    from .widget import Question

log = logging.getLogger(__name__)

#: The event a dismissal writes; its one field is ``lang``.
EVENT = "welcomed"
#: The explanation's sentences, in order, under its title ``science.title``.
SENTENCES = ("science.guess", "science.check", "science.confident", "science.good_error")

#: The cards that carried the welcome, each with whether it was dismissed before a student
#: was known (logged when one is). Only those in ``KERNEL.live`` count: one per kernel. A
#: restart forgets them, and its first card carries it again, unless the log says otherwise.
_carriers: weakref.WeakKeyDictionary[Question, bool] = weakref.WeakKeyDictionary()


def welcome_html(lang: str | None = None) -> str:
    """The explanation as HTML: a title and a few short sentences (the catalogue holds
    no markup, so its words go into HTML as they are)."""
    title = _say("science.title", lang)
    body = "".join(f"<p>{_say(key, lang)}</p>" for key in SENTENCES)
    return f'<h4 class="gf-welcome-title">{title}</h4>{body}'


def greet(card: Question) -> None:
    """A new card: it carries the welcome if no card of this kernel does yet, and shows
    it while the student has not dismissed it in the card's language."""
    card.observe(_student_changed, names=["needs_student"])
    card.on_msg(_on_msg)
    if not any(other in _carriers for other in KERNEL.live if other is not card):
        _carriers[card] = False
    _update(card)


def welcomed(student: str, lang: str) -> bool:
    """Whether ``student``'s own logs, in any of their lesson folders, hold a dismissal
    of the welcome in ``lang``."""
    for path in context.own_logs(student):
        if path.is_file() and any(
            event.get("type") == EVENT and event.get("lang") == lang
            for event in eventlog.read_events(path).events
        ):
            return True
    return False


def _update(card: Question) -> None:
    """Show the welcome on its card unless this student has dismissed it already."""
    if card not in _carriers:
        return
    student = card._student
    if student is None:
        show = not _carriers[card]
    elif _carriers[card]:  # dismissed before we knew who: it was this student
        _carriers[card] = False
        _record(card)
        show = False
    else:
        show = not welcomed(student, card.lang)
    card.welcome_html = welcome_html(card.lang) if show else ""


def _student_changed(change: Any) -> None:
    """A student was named, or left: the welcome follows who is at the keyboard."""
    _update(change["owner"])


def _on_msg(card: Question, content: object, _buffers: object) -> None:
    """The card's "Got it": the only message about the welcome. A failure is logged and
    the welcome simply stays; the lesson goes on."""
    if not isinstance(content, dict) or content.get("type") != EVENT:
        return
    try:
        _dismiss(card)
    except Exception as exc:
        log.error("guessfirst: the welcome could not be dismissed", exc_info=exc)


def _dismiss(card: Question) -> None:
    if card not in _carriers or not card.welcome_html:
        return
    if card._student is None:
        _carriers[card] = True
    else:
        _record(card)
    card.welcome_html = ""


def _record(card: Question) -> None:
    card._emit(EVENT, lang=card.lang)


#: ``gf.why()`` is drawn where the card's style sheet may not be: a style of its own.
_WHY_STYLE = "max-width:42rem;padding:0.5rem 1rem;border-left:4px solid #1565c0;line-height:1.5"


class Why:
    """The explanation shown in a notebook by ``gf.why()``: HTML, or plain text where
    no HTML is drawn."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def _repr_html_(self) -> str:
        lang = html.escape(self.lang, quote=True)
        opening = f'<section class="gf-why" lang="{lang}" style="{_WHY_STYLE}">'
        return f"{opening}{welcome_html(self.lang)}</section>"

    def __repr__(self) -> str:
        lines = [_say("science.title", self.lang), *(_say(key, self.lang) for key in SENTENCES)]
        return "\n".join(lines)


def why(lang: str | None = None) -> Why:
    """Show again why guessfirst asks for a guess first, in ``lang`` (by default the
    cards' language): display the result, or leave it last in a cell."""
    return Why(language() if lang is None else supported(lang))
