"""What the card's browser side may ask, and the answer to each request.

Python decides; the browser asks. A request names what the student did (submit, hint,
reflect, identify, retry...); whatever fails in answering it, the card hears of it and
the lesson goes on (a raise would leave the card waiting, with no word).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import text as _say
from ._confidence import level_at
from ._judging import log, one_line
from ._quiz_mode import open_if_released, try_key
from ._students import identify, switch_student

if TYPE_CHECKING:
    from .widget import Question


def answer_request(card: Question, content: object) -> None:
    """Do what one message from the card asks, if it is a request the card may make."""
    if not isinstance(content, dict):
        return
    kind = content.get("type")
    if kind == "submit" and card._student is not None:
        card._submit_from_browser(content)
    elif kind == "confidence":
        card._picked = level_at(content.get("confidence"))
    elif kind == "hint":
        card.hint()
    elif kind == "reflect" and isinstance(content.get("text"), str):
        card.reflect(content["text"])
    elif kind == "identify":
        identify(card, content.get("student"))
    elif kind == "switch" and card.student_label:
        switch_student(card)
    elif kind == "step" and isinstance(content.get("text"), str):
        card.fill_step(content["text"])
    elif kind == "open":
        open_if_released(card)
        card.seq += 1
    elif kind == "key" and isinstance(content.get("key"), str):
        try_key(card, content["key"])
    elif kind == "retry" and card._recorder is not None:
        card._recorder.retry()
        card.seq += 1


def submit_from_browser(card: Question, content: dict[str, Any]) -> None:
    """The Submit button: an answer (text, or the values picked) and a confidence."""
    response = content.get("response")
    if not isinstance(response, (str, list)):
        card.seq += 1
        return
    card.submit(response, level_at(content.get("confidence")))


def fail_softly(card: Question, exc: Exception) -> None:
    """Tell the student something went wrong on the kernel's side, and log it if the
    log can take it: the teacher sees it in the logs, the student gets on."""
    log.error("guessfirst: a request from the card failed", exc_info=exc)
    if card._student is not None and card._recorder is not None:
        try:
            card._recorder.write(
                card._event("error", detail=one_line(f"{type(exc).__name__}: {exc}", 500))
            )
        except Exception as again:  # the log itself is what failed: the message still shows
            log.error("guessfirst: the failure could not be logged", exc_info=again)
    with card.hold_sync():
        card.input_error = _say("input.failed")
        card.seq += 1
