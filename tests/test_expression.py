"""Expression questions: any equal form counts, and nothing a student types is run."""

from __future__ import annotations

import ast
import builtins
import random
import subprocess
import sys
from pathlib import Path

import pytest

from guessfirst.checks import InvalidResponse, QuestionError, Verdict
from guessfirst.checks.expression import ExpressionCheck

_MISSED_ONE = "Did you multiply the 1 by 2?"


def expand(**options: object) -> ExpressionCheck:
    settings = {"answer": "2x + 2", **options}
    return ExpressionCheck("expand", "Expand 2(x + 1).", **settings)


# -- what counts as the answer ---------------------------------------------------------


@pytest.mark.parametrize(
    "response",
    ["2(x+1)", "2x+2", "x*2+2", "2*x + 2", "2 x + 2", "(x+1)·2", "2×(x+1)", "x+x+2", "4(x+1)/2"],
)
def test_equal_forms_are_correct(response: str) -> None:
    assert expand().check(response) == Verdict(True, response, "2*x + 2", None, None)


@pytest.mark.parametrize("response", ["2x+1", "2x", "x+2", "2(x-1)", "4x+4", "x^2+2", "2"])
def test_other_expressions_are_wrong(response: str) -> None:
    verdict = expand().check(response)
    assert not verdict.correct
    assert verdict.misconception is None


@pytest.mark.parametrize(
    ("answer", "response"),
    [
        ("x^2 - 1", "(x+1)(x-1)"),
        ("x^2 - 1", "x²−1"),
        ("x^2 - 1", "x**2 - 1"),
        ("x^2 - 1", "x·x − 1"),
        ("x^2 - 1", "x⋅x-1"),
        ("x/2", "x ÷ 2"),
        ("x/2", "0.5x"),
        ("x/2", "1/2 x"),
        ("x/2", ".5x"),
        ("sqrt(x)", "√(x)"),
        ("sqrt(x)", "√x"),
        ("sqrt(x)", "x^(1/2)"),
        ("pi*r^2", "πr²"),
        ("pi*r^2", "pi r^2"),
        ("2*pi*r", "2pir"),
        ("exp(x)", "e^x"),
        ("1/x", "x⁻¹"),
        ("x^3", "x(x)(x)"),
        ("2xy", "2yx"),
        ("2xy", "2 x y"),
        ("(x+1)(x+2)", "(x+2)(x+1)"),
        ("(x+1)^2", "x^2+2x+1"),
        ("sin(2x)", "2sin(x)cos(x)"),
        ("1", "sin(x)^2 + cos(x)^2"),
        ("abs(x)", "sqrt(x^2)"),
        ("2", "log(100)"),
        ("2", "ln(e^2)"),
        ("3/10", "0.1 + 0.2"),
    ],
)
def test_students_may_write_it_their_way(answer: str, response: str) -> None:
    question = ExpressionCheck("q", "Simplify.", answer=answer, variables=["r", "x", "y"])
    assert question.check(response).correct


def test_any_of_several_answers_is_correct() -> None:
    factor = ExpressionCheck("factor", "Name a factor of x² − 1.", answer=["x - 1", "x + 1"])
    assert factor.check("1 + x").correct
    assert factor.check("-1 + x").correct
    assert not factor.check("x").correct
    assert factor.answers() == ["x - 1", "x + 1"]


def test_normalized_groups_equal_answers_for_the_report() -> None:
    question = expand()
    same = {question.check(text).normalized for text in ["2(x+3)", "2x+6", "6 + x*2"]}
    assert len(same) == 1
    assert question.check("2x+5").normalized not in same
    assert question.answers() == ["2*x + 2"]


# -- targeted feedback ------------------------------------------------------------------


@pytest.mark.parametrize("response", ["2x + 1", "1 + 2x", "x + x + 1", "2(x + 1/2)"])
def test_feedback_is_matched_by_equality_not_by_text(response: str) -> None:
    question = expand(feedback={"2x + 1": _MISSED_ONE, "x + 1": "Multiply both terms by 2."})
    verdict = question.check(response)
    assert not verdict.correct
    assert (verdict.misconception, verdict.message) == ("2x + 1", _MISSED_ONE)


def test_wrong_answer_without_feedback_has_no_message() -> None:
    verdict = expand(feedback={"2x + 1": _MISSED_ONE}).check("2x + 3")
    assert (verdict.correct, verdict.misconception, verdict.message) == (False, None, None)


# -- input that cannot be read --------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "response", "message"),
    [
        ({}, "2y + 2", "I don't know what `y` is here: use x."),
        ({"variables": ["x", "y"]}, "2z", "I don't know what `z` is here: use x or y."),
        ({"answer": "a+b+c"}, "d", "I don't know what `d` is here: use a, b or c."),
        ({"answer": "2xy"}, "2xz", "I don't know what `z` is here: use x or y."),
        (
            {"answer": "sqrt(2)/2"},
            "x",
            "I don't know what `x` is here: the answer needs no letters.",
        ),
        ({}, "sqrt + 2", "`sqrt` needs brackets, like sqrt(2)."),
        ({}, "", "Type an answer first."),
        ({}, "   ", "Type an answer first."),
        (
            {},
            "1/(x - x)",
            "That divides by zero, and nobody can do that. Check what is under the line.",
        ),
    ],
)
def test_unreadable_input_gets_a_kind_message(
    options: dict[str, object], response: str, message: str
) -> None:
    with pytest.raises(InvalidResponse) as caught:
        expand(**options).check(response)
    assert str(caught.value) == message


@pytest.mark.parametrize("response", [None, 3, ["2x+2"]])
def test_a_response_must_be_text(response: object) -> None:
    with pytest.raises(InvalidResponse, match="Type your answer in the box"):
        expand().check(response)


_HOSTILE = [
    "x.real",
    "(2).__class__",
    "__import__('os')",
    "__import__('os').system('ls')",
    "lambda: 1",
    "lambda x: x",
    "'x'",
    '"2"',
    "f'{x}'",
    "b'x'",
    "x[0]",
    "[x]",
    "{x}",
    "{x: 1}",
    "(x, x)",
    "x if x else 1",
    "not x",
    "x and 1",
    "x == 1",
    "x < 2",
    "x % 2",
    "x // 2",
    "x @ x",
    "~x",
    "x; x",
    "x = 1",
    "(x := 1)",
    "*x",
    "sin(x, 2)",
    "abs(x=1)",
    "eval('1')",
    "exec('1')",
    "open('x')",
    "print(x)",
    "globals()",
    "x # comment",
    "2 3",
    "sin x",
    "x^^2",
    "()",
    "(x",
    "x)",
    "2\\",
]

_TOO_BIG = [
    "9**9**9",
    "9^9^9",
    "2^1000",
    "10^101",
    "x^(1/1000)",
    "((x+1)^99)^99",
    "((9^99)^99)^99",
    "exp(1000)",
    "exp(exp(exp(x)))",
    "2^2^x",
    "x^x^x",
    "(x+1)^99 (x+2)^99",
    "1234567890123456789",
    "x" + "+x" * 100,
    "ln(0)",
    "-" * 150 + "x",
]


@pytest.mark.parametrize("response", _HOSTILE + _TOO_BIG)
def test_code_and_runaway_input_are_refused(response: str) -> None:
    with pytest.raises(InvalidResponse) as caught:
        expand().check(response)
    assert 0 < len(str(caught.value)) <= 120


def test_nothing_a_student_types_is_executed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With eval, exec, SymPy's string parser and bytecode compiling all booby-trapped,
    reading still works and attacks still fail, and no attack touched the disk."""
    import sympy.parsing.sympy_parser

    question = expand(feedback={"2x + 1": _MISSED_ONE}, points=3)
    tripped: list[str] = []

    def trap(name: str):
        def sprung(*args: object, **kwargs: object) -> None:
            tripped.append(name)
            raise AssertionError(f"{name} was called")

        return sprung

    real_compile = builtins.compile

    def parse_only(source: object, filename: object, mode: str, flags: int = 0, **rest: object):
        if not flags & ast.PyCF_ONLY_AST:
            tripped.append("compile")
        return real_compile(source, filename, mode, flags, **rest)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(builtins, "eval", trap("eval"))
    monkeypatch.setattr(builtins, "exec", trap("exec"))
    monkeypatch.setattr(builtins, "compile", parse_only)
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", trap("parse_expr"))

    assert question.check("2(x+1)").correct
    assert question.check("1 + 2x").misconception == "2x + 1"
    for attack in [
        "__import__('pathlib').Path('pwned').touch()",
        "open('pwned', 'w')",
        *_HOSTILE,
    ]:
        with pytest.raises(InvalidResponse):
            question.check(attack)
    assert tripped == []
    assert list(tmp_path.iterdir()) == []


# -- authoring -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"answer": "2x +"}, "cannot be read"),
        ({"answer": ""}, "cannot be read"),
        ({"answer": "9^9^9"}, "too big"),
        ({"answer": []}, "must be an expression"),
        ({"answer": 3}, "must be an expression"),
        ({"answer": [3]}, "must be an expression in a string"),
        ({"answer": "2y", "variables": ["x"]}, "I don't know what `y` is here"),
        ({"variables": "x"}, "must be a list of names"),
        ({"variables": ["x", "sin"]}, "'sin' cannot be a variable"),
        ({"variables": ["x", "2x"]}, "'2x' cannot be a variable"),
        ({"variables": ["x", "lambda"]}, "'lambda' cannot be a variable"),
        ({"feedback": {"2(x + 1)": "Well done?"}}, "would never show"),
        ({"feedback": {"x + x + 2": "Well done?"}}, "would never show"),
        ({"feedback": {"2x +": "Oops"}}, "feedback key '2x +' cannot be read"),
        ({"feedback": {"2y": "Oops"}}, "I don't know what `y` is here"),
        ({"points": -1}, "points must be a whole number"),
        ({"points": 101}, "points must be a whole number"),
        ({"points": 2.5}, "points must be a whole number"),
        ({"points": True}, "points must be a whole number"),
    ],
)
def test_authoring_mistakes_name_the_question(options: dict[str, object], problem: str) -> None:
    with pytest.raises(QuestionError) as caught:
        expand(**options)
    assert "'expand'" in str(caught.value)
    assert problem in str(caught.value)


def test_qversion_is_stable_across_constructions() -> None:
    assert expand().qversion == expand().qversion
    assert expand().kind == "expression"


def test_rewriting_the_answer_in_an_equal_form_keeps_the_qversion() -> None:
    assert expand(answer="2(x + 1)").qversion == expand().qversion


@pytest.mark.parametrize(
    "options",
    [
        {"answer": "2x + 3"},
        {"variables": ["x", "y"]},
        {"points": 5},
        {"feedback": {"2x + 1": _MISSED_ONE}},
    ],
)
def test_qversion_changes_with_what_decides_a_verdict(options: dict[str, object]) -> None:
    assert expand(**options).qversion != expand().qversion


# -- comparing at points ---------------------------------------------------------------

_UNPROVEN = "(sin(x)^2 + cos(x)^2)^3 (x + 1)"


@pytest.mark.parametrize(("points", "correct"), [(0, False), (5, True)])
def test_points_decide_what_simplifying_cannot(points: int, correct: bool) -> None:
    question = ExpressionCheck("q", "Simplify.", answer="x + 1", points=points)
    assert question.check(_UNPROVEN).correct is correct


@pytest.mark.parametrize("response", ["(sin(x)^2 + cos(x)^2)^3 (x + 2)", "sqrt(x^2) + 1"])
def test_points_do_not_accept_what_differs(response: str) -> None:
    assert not ExpressionCheck("q", "Simplify.", answer="x + 1", points=5).check(response).correct


def test_points_give_the_same_verdict_every_time() -> None:
    """|x| equals x at positive points only: one point makes the verdict hang on the draw."""

    def verdicts(seed: int) -> list[bool]:
        random.seed(seed)
        return [
            ExpressionCheck(f"q{n}", "Simplify.", answer="x", points=1).check("abs(x)").correct
            for n in range(16)
        ]

    first = verdicts(1)
    assert verdicts(2) == first
    assert set(first) == {True, False}


# -- cost ------------------------------------------------------------------------------


def test_sympy_is_imported_only_when_a_question_is_built() -> None:
    script = (
        "import sys, guessfirst, guessfirst.checks.expression as e\n"
        "print('sympy' in sys.modules)\n"
        "e.ExpressionCheck('q', 'p', answer='x')\n"
        "print('sympy' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "True"]


@pytest.mark.parametrize(
    "options",
    [{"answer": "2(x +"}, {"feedback": {"2x +": "Oops"}}, {"answer": "9^9^9"}],
)
def test_an_unreadable_authored_expression_is_told_in_sentences_ending_once(
    options: dict[str, object],
) -> None:
    with pytest.raises(QuestionError) as caught:
        expand(**options)
    message = str(caught.value)
    assert message.endswith(".")
    assert ".." not in message
