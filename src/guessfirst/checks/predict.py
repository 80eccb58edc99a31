"""Predict questions: what does this code print? The attempt runs it, once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..i18n import text as _say
from . import _running
from ._base import InvalidResponse, Verdict
from ._kind import Kind, Option
from ._timed import _TimedCheck

_SPACES = re.compile(r"[^\S\r\n]+")


def _normalize_output(text: str) -> str:
    """Output as a student would type it: only line breaks and where the words are count.

    Each run of spaces or tabs counts as one space (indentation counts only as present or
    absent), trailing spaces and blank lines at the end do not count.
    """
    lines = [_SPACES.sub(" ", line).rstrip() for line in text.splitlines()]
    return "\n".join(lines).rstrip("\n")


class PredictCheck(_TimedCheck):
    """What does this code print? The student predicts before running it (PRIMM).

    The teacher's code runs at most once per question, the first time its output is
    needed, never when the lesson is built. A snippet that raises, overruns ``timeout`` or
    prints nothing is an authoring error (``QuestionError``), reported then: an error
    message is not what a prediction exercise asks for, and if it were, the teacher can
    print it from a ``try``. The code should print the same every run: each kernel runs
    it afresh.
    """

    KIND = Kind(
        name="predict",
        title="Predict",
        summary="What does this code print? The student predicts first; the attempt runs it.",
        options=(
            Option(
                "code",
                "str",
                "the snippet, run once at the first attempt",
                form="code",
                section="Code",
            ),
            Option("timeout", "float", "seconds the snippet may run", 2.0, form="number"),
        ),
        interaction="long-fill-in",
        placeholder="answer.placeholder.predict",
    )
    __slots__ = ("_code", "_hashing", "_keys", "_run")

    def __init__(
        self,
        qid: str,
        prompt: str,
        *,
        code: str,
        example: str | bytes | Sequence[str | bytes] = (),
        feedback: Mapping[str, str] | None = None,
        hints: Sequence[str] = (),
        timeout: float = 2.0,
    ) -> None:
        super().__init__(qid, prompt, example=example, feedback=feedback, hints=hints)
        self._timeout = self._checked_timeout(timeout)
        self._code = self._compiled(code)
        self._keys: dict[str, str] = {}
        for key in self._feedback:
            normalized = _normalize_output(key) if isinstance(key, str) else ""
            if not isinstance(key, str) or not normalized:
                raise self._fail(f"feedback key {key!r} must be a predicted output (text)")
            self._keys.setdefault(normalized, key)
        self._run: _running.Run | None = None
        self._hashing = False

    @property
    def code(self) -> str:
        return self._code

    @property
    def output(self) -> str:
        """What the code really prints; runs it the first time it is asked for."""
        if self._run is None:
            self._run = _running.run_code(
                self._code, timeout=self._timeout, filename=self._filename
            )
        return self._checked_output(self._run)

    def check(self, response: object) -> Verdict:
        if not isinstance(response, str):
            raise InvalidResponse(_say("input.predict.type_in_box"))
        normalized = _normalize_output(response)
        if not normalized:
            raise InvalidResponse(_say("input.predict.empty"))
        correct = normalized == _normalize_output(self.output)
        key = None if correct else self._keys.get(normalized)
        return self._verdict(correct, response, normalized, key)

    def answers(self) -> list[str]:
        """The real output, or the code while ``qversion`` is worked out (see ``_version``)."""
        return [self._code] if self._hashing else [self.output]

    def _version(self) -> str:
        """Hash the code in place of its output, so labelling an event never runs it.

        The code decides the output, so an edited snippet is a new version all the same.
        The base class's hash is reused so that every kind follows one format.
        """
        self._hashing = True
        try:
            return super()._version()
        finally:
            self._hashing = False

    def _rules(self) -> dict[str, object]:
        return {}

    @property
    def _filename(self) -> str:
        return f"<{self._qid}>"

    def _compiled(self, code: object) -> str:
        if not isinstance(code, str) or not code.strip():
            raise self._fail("code must be the Python source to run, as a string")
        try:
            compile(code, self._filename, "exec")
        except SyntaxError as err:
            raise self._fail(f"the code does not compile: {err.msg} (line {err.lineno})") from None
        return code

    def _checked_output(self, run: _running.Run) -> str:
        if run.timed_out:
            raise self._fail(f"the code {run.error}; it must finish quickly to be predicted")
        if run.error is not None:
            where = "" if run.line is None else f" at line {run.line}"
            raise self._fail(f"the code stops with {run.error}{where}; it must run to the end")
        real = _normalize_output(run.output)
        if not real:
            raise self._fail("the code prints nothing, so there is nothing to predict")
        if real in self._keys:
            raise self._never_shows(self._keys[real])
        return run.output
