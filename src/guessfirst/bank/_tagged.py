"""A feedback section that names its misconception, as a bank writes it.

The first line of a ``## Feedback for <answer>`` section may name the misconception the
answer shows, and the step of the worked example it is tied to::

    ## Feedback for 180

    ### Misconception: multiply-not-divide (step 2)

    Did you multiply instead of divide?

The line stays in the section's text, in a sealed copy too, and is read here when the
question is built, into the same ``gf.Misconception`` a notebook writes; the question
then checks the tag and the step as it checks one written in Python.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..checks._misconception import Misconception
from ._bounds import MAX_WHOLE_DIGITS, shown

_MARKER = re.compile(r" {0,3}###[ \t]+misconception\b[ \t]*:?(.*)", re.IGNORECASE)
_NAMED = re.compile(r"[ \t]*(\S+?)(?:[ \t]*\([ \t]*step[ \t]+(\d+)[ \t]*\))?[ \t]*", re.IGNORECASE)
_LIKE = "### Misconception: multiply-not-divide (step 2)"


def has_tag(message: str) -> bool:
    """Whether a feedback section opens by naming its misconception."""
    first = message.lstrip("\n").split("\n", 1)[0]
    return _MARKER.fullmatch(first) is not None


def tagged(key: str, message: str) -> str | Misconception:
    """The section's message, or the misconception it names with the rest as its message.

    Raises ValueError, saying how to write the line, when the line cannot be read.
    """
    first, _, rest = message.lstrip("\n").partition("\n")
    marker = _MARKER.fullmatch(first)
    if marker is None:
        return message
    named = _NAMED.fullmatch(marker[1])
    if named is None or (named[2] is not None and len(named[2]) > MAX_WHOLE_DIGITS):
        raise ValueError(
            f"feedback for {shown(key)}: write its misconception as {_LIKE} "
            f"(got {shown(first.strip())})"
        )
    step = int(named[2]) if named[2] is not None else None
    return Misconception(named[1], rest.strip("\n"), step)


def messages(feedback: Mapping[str, str]) -> dict[str, str | Misconception]:
    """Every section's message, a tagged one as its misconception."""
    return {key: tagged(key, message) for key, message in feedback.items()}
