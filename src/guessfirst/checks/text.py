"""Text questions: a short written answer, or one a pattern matches."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..i18n import text as _say
from ._base import Check, InvalidResponse, Verdict
from ._kind import Kind, Option

if TYPE_CHECKING:
    import regex

#: How long a teacher's ``match`` pattern may try one answer; past it, the check overran.
MATCH_SECONDS = 1.0


class TextCheck(Check):
    """A short written answer: one of the accepted answers, or a ``match`` pattern.

    By default capitals, spacing, compatibility characters and one final "." or "!" (or
    "。") do not count, so "  canberra. " is "Canberra"; ``exact=True`` ignores only
    surrounding space.
    """

    KIND = Kind(
        name="text",
        title="Text",
        summary="A short written answer: any of ``answer``, or a ``match`` regular expression.",
        options=(
            Option(
                "answer", "str | Sequence[str] | None", "the accepted answers", None, form="answer"
            ),
            Option("match", "str | None", "a regular expression an answer may match", None),
            Option("exact", "bool", "count capitals, spacing and a final stop", False, form="bool"),
        ),
        interaction="fill-in",
        placeholder="answer.placeholder.text",
        one_of=("answer", "match"),
    )
    __slots__ = ("_accepted", "_answers", "_exact", "_pattern")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        answer: str | Sequence[str] | None = None,
        match: str | None = None,
        exact: bool = False,
        example: str | bytes | Sequence[str | bytes] = (),
        feedback: Mapping[str, str] | None = None,
        hints: Sequence[str] = (),
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=feedback, hints=hints)
        self._exact = bool(exact)
        self._answers = self._checked_answers(answer)
        self._pattern = self._compiled(match)
        if not self._answers and self._pattern is None:
            raise self._fail("needs an answer or a match pattern")
        self._accepted = frozenset(self._normalize(text) for text in self._answers)
        for key in self._feedback:
            if not isinstance(key, str) or not self._normalize(key):
                raise self._fail(f"feedback key {key!r} must be a non-empty string")
            if self._accepts(self._normalize(key)):
                raise self._never_shows(key)

    def check(self, response: object) -> Verdict:
        if not isinstance(response, str):
            raise InvalidResponse(_say("input.type_in_box"))
        if not response.strip():
            raise InvalidResponse(_say("input.empty"))
        normalized = self._normalize(response)
        correct = self._accepts(normalized)
        key = None
        if not correct:
            key = next(
                (
                    k
                    for k in self._feedback
                    if isinstance(k, str) and self._normalize(k) == normalized
                ),
                None,
            )
        return self._verdict(correct, response, normalized, key)

    def answers(self) -> list[str]:
        """The accepted answers as the teacher wrote them, without surrounding space."""
        return list(self._answers)

    def _rules(self) -> dict[str, object]:
        pattern = None if self._pattern is None else self._pattern.pattern
        return {"match": pattern, "exact": self._exact}

    def _normalize(self, text: str) -> str:
        if self._exact:
            return text.strip()
        folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
        return folded[:-1].rstrip() if folded.endswith((".", "!", "。")) else folded

    def _accepts(self, normalized: str) -> bool:
        if normalized in self._accepted:
            return True
        if self._pattern is None:
            return False
        # The stdlib's re holds the interpreter while it backtracks, so nothing could stop
        # a pattern like (a+)+b on a long answer; regex stops itself, and lets go meanwhile.
        return (
            self._pattern.fullmatch(normalized, timeout=MATCH_SECONDS, concurrent=True) is not None
        )

    def _checked_answers(self, answer: object) -> tuple[str, ...]:
        if answer is None:
            return ()
        given = [answer] if isinstance(answer, str) else answer
        if not isinstance(given, (list, tuple)):
            raise self._fail(f"the answer must be a string or a list of strings (got {answer!r})")
        for text in given:
            if not isinstance(text, str) or not self._normalize(text):
                raise self._fail(f"an accepted answer is empty or not a string (got {text!r})")
        return tuple(text.strip() for text in given)

    def _compiled(self, match: object) -> regex.Pattern[str] | None:
        if match is None:
            return None
        if not isinstance(match, str) or not match:
            raise self._fail(f"match must be a regular expression string (got {match!r})")
        import regex

        try:
            return regex.compile(match, 0 if self._exact else regex.IGNORECASE)
        except regex.error as err:
            raise self._fail(f"the match pattern {match!r} does not compile: {err}") from None
