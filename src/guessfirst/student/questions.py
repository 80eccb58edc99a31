"""The kinds of question a teacher writes: each kind's widget class, made from its declaration.

A kind is declared once, on its check (``guessfirst.checks``); :func:`question_class`
makes the class a teacher calls from that declaration (``gf.Numeric(id, prompt,
answer=..., tol=...)``), with the signature and help its options describe. Signatures
follow one pattern (id, prompt, what counts as right, then example, feedback, hints,
then how the card asks), so lessons read alike whatever the kind. A kind whose card does
more (a snippet in the prompt, a program's output after the attempt) adds a card class
here, a ``Question`` subclass declared with ``kind=``; what the card shows, and when, is
in ``widget``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from .. import checks
from ..checks.code import CodeVerdict
from ..checks.predict import PredictCheck
from ..i18n import text as _say
from . import tracker
from .widget import Question, card_class

if TYPE_CHECKING:
    from ..checks.code import CaseResult

#: What every kind takes after what counts as right, before how the card asks.
_CONTENT = (
    inspect.Parameter("example", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="object"),
    inspect.Parameter(
        "feedback", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="Mapping | None"
    ),
    inspect.Parameter(
        "hints", inspect.Parameter.KEYWORD_ONLY, default=(), annotation="Sequence[str]"
    ),
)


@functools.cache
def question_class(name: str) -> type[Question]:
    """The class a teacher calls for kind ``name``, made once from its declaration."""
    check_class = checks.check_class(name)
    card = card_class(name)
    if card is not Question and "__init__" in vars(card):  # a card with its own arguments
        return card
    kind = check_class.KIND
    own = {option.name for option in kind.options} | {p.name for p in _CONTENT}

    def build(id: str, prompt: str, **given: Any) -> tuple[checks.Check, dict[str, Any]]:
        """The check the arguments describe, and what is left: how the card asks."""
        content = {key: given.pop(key) for key in list(given) if key in own}
        content["example"] = _prepared(content.get("example"))
        return check_class(id, prompt, **content), given

    def __init__(self: Question, id: str, prompt: str, **given: Any) -> None:
        check, asking = build(id, prompt, **given)
        super(made, self).__init__(check, **asking)

    def check_from(id: str, prompt: str, **given: Any) -> checks.Check:
        return build(id, prompt, **given)[0]

    # What help(), completion and the docs show; the class's own is without self. A
    # function's attributes are its __dict__, and a class's are the namespace it is made with.
    signature = _signature(kind)
    vars(__init__)["__signature__"] = signature
    namespace = {
        "__init__": __init__,
        "__doc__": _doc(kind, card),
        "__module__": "guessfirst",
        "__qualname__": kind.title,
        "__signature__": signature.replace(parameters=list(signature.parameters.values())[1:]),
        # Another student's numbers are another check of the same kind (see _own_numbers).
        "_check_from": staticmethod(check_from),
    }
    # type() says only "a class"; this one subclasses the card, so it is a Question.
    made = cast("type[Question]", type(kind.title, (card,), namespace))
    return made


def _signature(kind: checks.Kind) -> inspect.Signature:
    """id, prompt, the kind's options, the content every kind takes, then the card's."""
    positional = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)] + [
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="str")
        for name in ("id", "prompt")
    ]
    options = [
        inspect.Parameter(
            option.name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=option.type,
            **({} if option.required else {"default": option.default}),
        )
        for option in kind.options
    ]
    asking = list(inspect.signature(Question.__init__).parameters.values())[2:]
    return inspect.Signature([*positional, *options, *_CONTENT, *asking])


def _doc(kind: checks.Kind, card: type[Question]) -> str:
    """The kind's summary, what its card adds, and each option: what ``help()`` shows."""
    own = card.__doc__ if card is not Question else None
    lines = [inspect.cleandoc(own) if own else kind.summary, ""]
    lines += [f"``{option.name}`` ({option.type}): {option.doc}." for option in kind.options]
    lines += ["", "Every kind also takes ``example``, ``feedback`` and ``hints``, then how the"]
    lines += ["card asks (see ``guessfirst.student.widget.QuestionOptions``)."]
    return "\n".join(lines)


class _PredictCard(Question, kind="predict"):
    """What does this code print? The student predicts first; the attempt runs the code.

    The prediction and the real output are then shown side by side, compared line by
    line with spacing ignored. The code runs in this kernel, once, under ``timeout``.
    """

    @classmethod
    def _prompt_markdown(cls, check: checks.Check) -> str:
        assert isinstance(check, PredictCheck)
        code = check.code
        fence = "`" * max(3, _longest_run(code, "`") + 1)
        return f"{check.prompt}\n\n{fence}python\n{code.rstrip()}\n{fence}\n"

    def _outcome(self, verdict: checks.Verdict) -> str:
        return _side_by_side(verdict.response, self._output())

    def _restored_outcome(self, done: tracker.Progress) -> str:
        if not done.last_response:
            return ""
        return _side_by_side(done.last_response, self._output())

    def _output(self) -> str:
        """What the snippet prints: it runs once, at the first attempt, never before."""
        check = self._check
        assert isinstance(check, PredictCheck)
        return check.output


class _CodeCard(Question, kind="code"):
    """Write a function in a cell; ``q.check(fn)`` runs the teacher's ``tests`` on it.

    ``tests`` are ``(arguments, expected)`` pairs: ``((1, 2), 3)`` means ``fn(1, 2) == 3``.
    Each check is an attempt whose response is the function's source; the worked example
    opens after the first one, and the student sees which cases failed and why.
    """

    def _made(self) -> None:
        self.instructions = _how_to_check(None)

    def _repr_mimebundle_(
        self, **kwargs: object
    ) -> tuple[dict[str, object], dict[str, object]] | None:
        # By now the teacher's cell has bound the question to a name the student can use.
        self.instructions = _how_to_check(_name_of(self))
        bundle: tuple[dict[str, object], dict[str, object]] | None
        bundle = super()._repr_mimebundle_(**kwargs)
        return bundle

    def check(
        self, function: Callable[..., object], confidence: float | str | None = None
    ) -> checks.Verdict | None:
        """Run the tests on ``function``: the code question's Submit."""
        return self.submit(function, confidence)

    def _outcome(self, verdict: checks.Verdict) -> str:
        assert isinstance(verdict, CodeVerdict)
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


# A question in parts has a card of its own; importing it here registers it.
from . import multi as _multi  # noqa: E402, F401
