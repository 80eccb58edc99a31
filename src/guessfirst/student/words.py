"""What the card says after an attempt: plain when right, curious and never shaming when not.

Every sentence comes from the catalogue (``i18n``), whose texts hold no markup (a test of
the catalogue says so), so they go into HTML as they are, around the student's own words,
which are escaped here.
"""

from __future__ import annotations

from .. import checks
from ..i18n import text as _say
from . import tracker

#: "Fairly sure" and above: an error made sure of is the most worth learning from.
_SURE = 2 / 3

#: What a wrong attempt hears, by attempt: curious first, then pointing to the example.
_CURIOUS = ("feedback.wrong.first_try", "feedback.wrong.second_try", "feedback.wrong.later_tries")


def after_attempt(
    verdict: checks.Verdict,
    confidence: float | None,
    attempt: int,
    errors: int,
    *,
    example_open: bool = True,
) -> str:
    """The words after an attempt: plain when right, curious (never shaming) when not.

    ``example_open`` is False for a part of a question whose worked example waits for
    the other parts: the words then say when it will open.
    """
    from . import rendering

    if verdict.correct:
        right = f"<strong>{_say('feedback.correct.title')}</strong>"
        if errors:
            return f"<p>{right} {_say('feedback.correct.after_errors')}</p>"
        if not example_open:
            return f"<p>{right}</p>"
        return f"<p>{right} {_say('feedback.correct.first_try')}</p>"
    quoted = verdict.shown if verdict.shown is not None else verdict.response
    answer = f"<q>{rendering.escape(_shown_response(quoted))}</q>"
    parts = [f"<p>{_say(_CURIOUS[min(attempt, len(_CURIOUS)) - 1], answer=answer)}</p>"]
    if verdict.message:
        parts.append(
            f'<p class="gf-targeted">{rendering.render_markdown(verdict.message, inline=True)}</p>'
        )
    if confidence is not None and confidence >= _SURE:
        parts.append(f"<p>{_say('feedback.wrong.sure')}</p>")
    parts.append(
        f"<p>{_say('feedback.wrong.next' if example_open else 'feedback.wrong.next_part')}</p>"
    )
    return "".join(parts)


def unjudged(verdict: checks.Verdict) -> str:
    """What an answer hears when it could not be checked: never that it was wrong."""
    return _say("input.timeout" if verdict.reason == "timeout" else "input.unchecked")


def used_up(attempts: int) -> str:
    return _say("quiz.used_up.one" if attempts == 1 else "quiz.used_up.other", count=attempts)


def saved(done: tracker.Progress, left: int, shown: str | None = None) -> str:
    """A quiz answer kept, without a word on whether it is right; ``shown`` is the answer
    as the card shows it, when the log keeps it otherwise (``Check.shown_response``)."""
    from . import rendering

    quoted = (done.last_response or "") if shown is None else shown
    answer = f"<q>{rendering.escape(_shown_response(quoted))}</q>"
    key = "quiz.saved.last" if not left else ("quiz.saved.one" if left == 1 else "quiz.saved.other")
    return f"<p>{_say(key, answer=answer, count=left)}</p>"


def last_time(done: tracker.Progress, shown: str | None = None) -> str:
    """What the last answer was, and whether it was right; ``shown`` as in ``saved``."""
    from . import rendering

    quoted = (done.last_response or "") if shown is None else shown
    answer = f"<q>{rendering.escape(_shown_response(quoted))}</q>"
    if done.solved and done.last_correct:
        key = "feedback.last_time.right"
    elif done.solved:
        key = "feedback.last_time.right_before"
    else:
        key = "feedback.last_time.not_yet"
    return f"<p>{_say(key, answer=answer)}</p>"


#: The longest answer the card quotes back: the rest of a pasted essay adds nothing.
_QUOTED_CHARS = 200


def _shown_response(response: str) -> str:
    """A several-choice response is stored as a JSON list; show it as a plain list.

    Anything else the student typed is quoted as typed, cut to a readable length.
    """
    if response.startswith("[") and response.endswith("]"):
        import json

        try:
            items = json.loads(response)
        except (ValueError, RecursionError):  # "[[[[…" typed by a student is not a list
            items = None
        if isinstance(items, list):
            response = ", ".join(str(item) for item in items)
    return response if len(response) <= _QUOTED_CHARS else response[: _QUOTED_CHARS - 1] + "…"
