"""A misconception: a named way of going wrong, shared by every question that can show it.

A teacher writes ``feedback={180: gf.Misconception("multiply-not-divide", "Did you
multiply instead of divide?", step=2)}``. The tag, not the answer, is what the log
keeps, so the same way of thinking can be followed across questions and lessons; the
step ties it to the part of the worked example that untangles it. Plain data: checked
by the question it is given to, so an error can name that question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

#: Lower-case words of letters and digits joined by ``-``, ``_`` or ``.``: the same tag
#: is written the same way on every question, in every lesson.
_SLUG = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
#: Short enough to read in a table of the report, long enough to say what it is.
MAX_TAG_CHARS = 60


@dataclass(frozen=True)
class Misconception:
    """Targeted feedback that names the misconception behind a wrong answer.

    ``tag`` is a short slug (``"multiply-not-divide"``) that any question may reuse;
    ``message`` is the feedback the student reads (Markdown); ``step`` (1-based, optional)
    is the step of the worked example to look at, emphasised when the example opens.
    """

    tag: str
    message: str
    step: int | None = None


#: Makes a question's error from a problem, naming the question.
Fail = Callable[[str], Exception]


def tag_problem(tag: object) -> str | None:
    """Why ``tag`` cannot be a misconception's tag, or None when it can."""
    if not isinstance(tag, str) or not tag.strip():
        return (
            "a misconception's tag must be a non-empty text, like 'multiply-not-divide' "
            f"(got {tag!r})"
        )
    if len(tag) > MAX_TAG_CHARS:
        return f"the misconception tag {tag[:20]!r}… is longer than {MAX_TAG_CHARS} characters"
    if not _SLUG.fullmatch(tag):
        return (
            f"the misconception tag {tag!r} must be lower-case words of letters and digits "
            "joined by '-', like 'multiply-not-divide'"
        )
    return None


def checked(
    feedback: Mapping[object, object], steps: int, fail: Fail
) -> tuple[dict[object, object], dict[object, Misconception]]:
    """The messages by answer, and the misconceptions among them, once each is valid
    (a plain message is left for the question to check, as before misconceptions).

    ``steps`` is how many steps the worked example has. One tag means one step within a
    question: two steps for one way of going wrong would point the student two ways.
    """
    messages: dict[object, object] = {}
    tags: dict[object, Misconception] = {}
    steps_of: dict[str, int | None] = {}
    for key, value in feedback.items():
        if not isinstance(value, Misconception):
            messages[key] = value  # plain text, as the question checks it
            continue
        problem = tag_problem(value.tag)
        if problem is not None:
            raise fail(f"feedback for {key!r}: {problem}")
        if not isinstance(value.message, str) or not value.message.strip():
            raise fail(f"the feedback for {key!r} must be a non-empty message")
        _check_step(key, value, steps, fail)
        if steps_of.setdefault(value.tag, value.step) != value.step:
            raise fail(
                f"the misconception {value.tag!r} is tied to step {steps_of[value.tag]} and "
                f"to step {value.step}: give it one step"
            )
        messages[key] = value.message
        tags[key] = value
    return messages, tags


def _check_step(key: object, value: Misconception, steps: int, fail: Fail) -> None:
    step = value.step
    if step is None:
        return
    if isinstance(step, bool) or not isinstance(step, int):
        raise fail(f"feedback for {key!r}: step must be a whole number, like step=2 (got {step!r})")
    if not steps:
        raise fail(
            f"feedback for {key!r}: step={step} needs a worked example written as a list of steps"
        )
    if not 1 <= step <= steps:
        raise fail(
            f"feedback for {key!r}: step={step} is not a step of the worked example, "
            f"which has {steps} step{'s' if steps != 1 else ''} (1 to {steps})"
        )


def payload(tags: Mapping[object, Misconception]) -> list[list[object]]:
    """The misconceptions as content for a question's version: a changed tag or step
    changes the version, so attempts under the old tag are never pooled with the new."""
    return sorted(([str(key), m.tag, m.step] for key, m in tags.items()), key=str)
