"""Questions in parts: each part checked by a check of its own kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..i18n import text as _say
from ._base import Check, InvalidResponse, Verdict
from ._kind import Kind, Option

if TYPE_CHECKING:
    pass


class MultiCheck(Check):
    """A question in parts (a, b, c), each checked by its own question of any kind.

    Each part is gated on its own; the one worked example covers them all. A part's
    attempts are its own: the widget logs them under ``<id>/<part id>``.
    """

    KIND = Kind(
        name="multi",
        title="Multi",
        summary="A question in parts (a, b, c), each a question of its own kind.",
        options=(
            Option("parts", "Sequence[Question]", "the parts, each a question", in_banks=False),
        ),
        interaction="other",
        control="parts",
        in_banks=False,
        in_parts=False,
    )
    __slots__ = ("_parts",)

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        parts: Sequence[Check],
        example: str | bytes | Sequence[str | bytes] = (),
        hints: Sequence[str] = (),
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=None, hints=hints)
        if isinstance(parts, (str, bytes)) or not isinstance(parts, Sequence) or not parts:
            raise self._fail("parts must be a list of questions, one for each part")
        for part in parts:
            if not isinstance(part, Check) or isinstance(part, MultiCheck):
                raise self._fail(f"a part must be a single question (got {type(part).__name__})")
            if not part.KIND.in_parts:
                raise self._fail(f"a {part.kind} question cannot be a part: ask it on its own")
        ids = [part.qid for part in parts]
        repeated = sorted({qid for qid in ids if ids.count(qid) > 1})
        if repeated:
            raise self._fail(f"each part needs its own id; repeated: {', '.join(repeated)}")
        self._parts = tuple(parts)

    @property
    def parts(self) -> tuple[Check, ...]:
        return self._parts

    def check(self, response: object) -> Verdict:
        """Check one part: ``response`` is ``(part id, that part's response)``."""
        if not (isinstance(response, tuple) and len(response) == 2):
            raise InvalidResponse(_say("input.type_in_box"))
        qid, answer = response
        part = next((part for part in self._parts if part.qid == qid), None)
        if part is None:
            raise InvalidResponse(_say("input.type_in_box"))
        return part.check(answer)

    def answers(self) -> list[str]:
        return [f"{part.qid}: {answer}" for part in self._parts for answer in part.answers()]

    def run_seconds(self) -> float:
        return max(part.run_seconds() for part in self._parts)

    def _rules(self) -> dict[str, object]:
        return {"parts": [[part.kind, part.qversion] for part in self._parts]}
