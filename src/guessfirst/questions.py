"""The kinds of question a teacher writes: each is the gated widget around one checker.

Signatures follow one pattern (id, prompt, what counts as right, then example, feedback,
hints, then practice or quiz), so lessons read alike whatever the kind. Checking lives in
``checking``, ``expression`` and ``programs``; what the card shows, and when, in ``widget``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from types import ModuleType
from typing import TYPE_CHECKING, ClassVar

from . import checking, tracker
from .i18n import text as _say
from .widget import Question, QuestionOptions

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .programs import CaseResult


class Numeric(Question):
    """A number, checked within an absolute ``tol`` or relative ``rtol``."""

    _placeholder: ClassVar[str] = "answer.placeholder.numeric"

    def __init__(
        self,
        id: str,
        prompt: str,
        *,
        answer: int | float | str | Fraction,
        tol: float = 0.0,
        rtol: float = 1e-9,
        example: object = None,
        feedback: dict[object, str] | None = None,
        hints: Sequence[str] = (),
        **options: Unpack[QuestionOptions],
    ) -> None:
        check = checking.NumericQuestion(
            id,
            prompt,
            answer=answer,
            tol=tol,
            rtol=rtol,
            example=_prepared(example),
            feedback=feedback,
            hints=hints,
        )
        super().__init__(check, **options)


class Choice(Question):
    """Pick one choice, or tick several when ``answer`` is a list."""

    def __init__(
        self,
        id: str,
        prompt: str,
        *,
        choices: Sequence[str],
        answer: str | Sequence[str],
        shuffle: bool = False,
        example: object = None,
        feedback: dict[str, str] | None = None,
        hints: Sequence[str] = (),
        **options: Unpack[QuestionOptions],
    ) -> None:
        check = checking.ChoiceQuestion(
            id,
            prompt,
            choices=choices,
            answer=answer,
            shuffle=shuffle,
            example=_prepared(example),
            feedback=feedback,
            hints=hints,
        )
        super().__init__(check, **options)


class Text(Question):
    """A short written answer: any of ``answer``, or a ``match`` regular expression."""

    _placeholder: ClassVar[str] = "answer.placeholder.text"

    def __init__(
        self,
        id: str,
        prompt: str,
        *,
        answer: str | Sequence[str] | None = None,
        match: str | None = None,
        exact: bool = False,
        example: object = None,
        feedback: dict[str, str] | None = None,
        hints: Sequence[str] = (),
        **options: Unpack[QuestionOptions],
    ) -> None:
        check = checking.TextQuestion(
            id,
            prompt,
            answer=answer,
            match=match,
            exact=exact,
            example=_prepared(example),
            feedback=feedback,
            hints=hints,
        )
        super().__init__(check, **options)


class Expression(Question):
    """A formula, such as ``2(x+1)``, right when it equals ``answer`` for every value."""

    _placeholder: ClassVar[str] = "answer.placeholder.expression"

    def __init__(
        self,
        id: str,
        prompt: str,
        *,
        answer: str | Sequence[str],
        variables: Sequence[str] | None = None,
        points: int = 0,
        example: object = None,
        feedback: Mapping[str, str] | None = None,
        hints: Sequence[str] = (),
        **options: Unpack[QuestionOptions],
    ) -> None:
        from .expression import ExpressionQuestion

        check = ExpressionQuestion(
            id,
            prompt,
            answer=answer,
            variables=variables,
            points=points,
            example=_prepared(example),
            feedback=feedback,
            hints=hints,
        )
        super().__init__(check, **options)


class Predict(Question):
    """What does this code print? The student predicts first; the attempt runs the code.

    The prediction and the real output are then shown side by side, compared line by
    line with spacing ignored. The code runs in this kernel, once, under ``timeout``.
    """

    _placeholder: ClassVar[str] = "answer.placeholder.predict"

    def __init__(
        self,
        id: str,
        prompt: str,
        *,
        code: str,
        timeout: float = 2.0,
        example: object = None,
        feedback: Mapping[str, str] | None = None,
        hints: Sequence[str] = (),
        **options: Unpack[QuestionOptions],
    ) -> None:
        from .programs import PredictQuestion

        check = PredictQuestion(
            id,
            prompt,
            code=code,
            timeout=timeout,
            example=_prepared(example),
            feedback=feedback,
            hints=hints,
        )
        super().__init__(check, **options)

    @classmethod
    def _prompt_markdown(cls, check: checking.Question) -> str:
        assert isinstance(check, _programs().PredictQuestion)
        code = check.code
        fence = "`" * max(3, _longest_run(code, "`") + 1)
        return f"{check.prompt}\n\n{fence}python\n{code.rstrip()}\n{fence}\n"

    def _outcome(self, verdict: checking.Verdict) -> str:
        return _side_by_side(verdict.response, self._output())

    def _restored_outcome(self, done: tracker.Progress) -> str:
        if not done.last_response:
            return ""
        return _side_by_side(done.last_response, self._output())

    def _output(self) -> str:
        """What the snippet prints: it runs once, at the first attempt, never before."""
        check = self._check
        assert isinstance(check, _programs().PredictQuestion)
        return check.output


class Code(Question):
    """Write a function in a cell; ``q.check(fn)`` runs the teacher's ``tests`` on it.

    ``tests`` are ``(arguments, expected)`` pairs: ``((1, 2), 3)`` means ``fn(1, 2) == 3``.
    Each check is an attempt whose response is the function's source; the worked example
    opens after the first one, and the student sees which cases failed and why.
    """

    def __init__(
        self,
        id: str,
        prompt: str,
        *,
        tests: Sequence[tuple[tuple, object]],
        timeout: float = 2.0,
        name: str | None = None,
        example: object = None,
        feedback: Mapping[int, str] | None = None,
        hints: Sequence[str] = (),
        **options: Unpack[QuestionOptions],
    ) -> None:
        from .programs import CodeQuestion

        check = CodeQuestion(
            id,
            prompt,
            tests=tests,
            timeout=timeout,
            name=name,
            example=_prepared(example),
            feedback=feedback,
            hints=hints,
        )
        super().__init__(check, **options)
        self.instructions = _how_to_check(None)

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        # By now the teacher's cell has bound the question to a name the student can use.
        self.instructions = _how_to_check(_name_of(self))
        return super()._repr_mimebundle_(**kwargs)

    def check(
        self, function: Callable[..., object], confidence: float | str | None = None
    ) -> checking.Verdict | None:
        """Run the tests on ``function``: the code question's Submit."""
        return self.submit(function, confidence)

    def _outcome(self, verdict: checking.Verdict) -> str:
        assert isinstance(verdict, _programs().CodeVerdict)
        return _cases_table(verdict.cases)


def _name_of(value: object) -> str | None:
    """A name the notebook's own code binds to ``value``, if there is one."""
    try:
        from IPython import get_ipython

        names = get_ipython().user_ns
    except Exception:  # not in IPython
        return None
    return next(
        (name for name, bound in names.items() if bound is value and not name.startswith("_")),
        None,
    )


def _how_to_check(name: str | None) -> str:
    if name:
        return _say("code.how_to_check.named", name=name)
    return _say("code.how_to_check.unnamed")


def _prepared(example: object) -> tuple[str | bytes, ...]:
    from . import rendering

    return rendering.prepare_example(example)


def _longest_run(text: str, char: str) -> int:
    longest = run = 0
    for c in text:
        run = run + 1 if c == char else 0
        longest = max(longest, run)
    return longest


def _side_by_side(prediction: str, output: str) -> str:
    """The student's prediction beside the program's real output, both as plain text."""
    from .rendering import escape

    columns = (
        (_say("code.compare.prediction"), prediction),
        (_say("code.compare.printed"), output),
    )
    cells = "".join(
        f"<div><strong>{title}</strong><pre>{escape(text.rstrip()) or ' '}</pre></div>"
        for title, text in columns
    )
    return f'<div class="gf-compare">{cells}</div>'


def _programs() -> ModuleType:
    """The programs module, imported when a program question is first made."""
    from . import programs

    return programs


def _cases_table(cases: Sequence[CaseResult]) -> str:
    """Every test case with what was expected and what came back; student text escaped."""
    from .rendering import escape

    rows = []
    for case in cases:
        mark = _say("code.cases.passed" if case.passed else "code.cases.failed")
        rows.append(
            f"<tr><td><code>{escape(case.call)}</code></td>"
            f"<td><code>{escape(case.expected)}</code></td>"
            f"<td><code>{escape(case.got)}</code></td>"
            f"<td>{mark}</td></tr>"
        )
    titles = ("call", "expected", "got", "result")
    head = "<tr>" + "".join(f"<th>{_say(f'code.cases.{title}')}</th>" for title in titles) + "</tr>"
    return f'<table class="gf-cases"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
