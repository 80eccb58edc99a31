"""Programming questions: predicting what code prints, and writing a function."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guessfirst.checks import InvalidResponse, QuestionError, Verdict
from guessfirst.checks.code import CaseResult, CodeCheck, CodeVerdict
from guessfirst.checks.predict import PredictCheck

LOOP = "for i in range(1, 4):\n    print(i, i * i)\n"
SQUARES = "1 1\n2 4\n3 9\n"


def predict(code: str = LOOP, **options: object) -> PredictCheck:
    return PredictCheck("squares", "What does this print?", code=code, **options)


def counting(path: Path) -> str:
    """A snippet that leaves a mark in ``path`` each time it runs."""
    return f"with open({str(path)!r}, 'a') as mark:\n    mark.write('x')\nprint('ran')\n"


# -- predict the output ---------------------------------------------------------------


@pytest.mark.parametrize(
    "prediction",
    [
        SQUARES,
        "1 1\n2 4\n3 9",
        "1 1   \n2 4\t\n3 9\n\n\n",
        "1    1\n2\t4\n3  9",
        "1 1\r\n2 4\r\n3 9\r\n",
    ],
)
def test_a_right_prediction_is_accepted_whatever_the_spacing(prediction: str) -> None:
    verdict = predict().check(prediction)
    assert verdict.correct
    assert verdict.response == prediction
    assert verdict.normalized == "1 1\n2 4\n3 9"


@pytest.mark.parametrize(
    "prediction",
    [
        "1 1 2 4 3 9",  # the line breaks count
        "1 1\n\n2 4\n3 9",  # so does a blank line inside
        "1 1\n2 4\n3 6",
        "11\n24\n39",  # and where the spaces are
        "1 1\n2 4",
    ],
)
def test_a_wrong_prediction_is_refused(prediction: str) -> None:
    assert not predict().check(prediction).correct


def test_the_real_output_is_what_the_code_prints() -> None:
    q = predict()
    assert q.output == SQUARES
    assert q.answers() == [SQUARES]
    assert q.code == LOOP
    assert q.kind == "predict"


def test_the_code_runs_once_and_not_when_the_lesson_is_built(tmp_path: Path) -> None:
    marks = tmp_path / "marks.txt"
    q = predict(counting(marks))
    assert q.qversion
    assert not marks.exists()
    assert q.check("ran").correct
    assert not q.check("run").correct
    assert q.output == "ran\n"
    assert q.answers() == ["ran\n"]
    assert marks.read_text() == "x"


def test_feedback_matches_a_wrong_prediction_after_normalising() -> None:
    q = predict(feedback={"1 2\n2 4\n3 6": "That is i * 2, not i * i."})
    verdict = q.check("1   2\n2 4 \n3 6\n\n")
    assert (verdict.correct, verdict.misconception, verdict.message) == (
        False,
        "1 2\n2 4\n3 6",
        "That is i * 2, not i * i.",
    )
    assert q.check("1 0\n2 0\n3 0").misconception is None


def test_feedback_on_the_real_output_is_refused_when_the_code_first_runs() -> None:
    q = predict(feedback={"1 1\n2 4\n3 9  ": "Never shown."})
    with pytest.raises(QuestionError, match=r"'squares'.*never show"):
        q.check("1 1")


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("total = 0\nprint(10 / total)\n", r"ZeroDivisionError: division by zero at line 2"),
        ("while True:\n    pass\n", r"took longer than 0\.2 s"),
        ("x = 1\n", r"prints nothing"),
    ],
)
def test_code_that_fails_is_reported_to_the_teacher_when_it_first_runs(
    code: str, problem: str
) -> None:
    q = predict(code, timeout=0.2)
    with pytest.raises(QuestionError, match=r"Question 'squares': the code .*" + problem):
        q.check("anything")
    with pytest.raises(QuestionError, match=problem):
        _ = q.output


def test_failing_code_is_not_run_again(tmp_path: Path) -> None:
    marks = tmp_path / "marks.txt"
    q = predict(counting(marks) + "1 / 0\n")
    for _ in range(2):
        with pytest.raises(QuestionError, match="ZeroDivisionError"):
            q.check("ran")
    assert marks.read_text() == "x"


def test_code_that_does_not_compile_is_refused_when_built() -> None:
    with pytest.raises(QuestionError, match=r"'squares'.*does not compile.*line 2"):
        predict("x = 1\nprint(x\n")


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"code": "   "}, "code must be"),
        ({"code": 42}, "code must be"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("inf")}, "timeout"),
        ({"feedback": {"  ": "Blank."}}, "feedback key"),
    ],
)
def test_authoring_mistakes_are_refused_when_built(options: dict, problem: str) -> None:
    spec: dict = {"code": LOOP, **options}
    with pytest.raises(QuestionError, match=r"'squares'.*" + problem):
        PredictCheck("squares", "What does this print?", **spec)


@pytest.mark.parametrize(
    ("response", "message"),
    [("", "first"), (" \n\t\n", "first"), (None, "Type what you think"), (12, "Type")],
)
def test_an_empty_or_unreadable_prediction_is_not_an_attempt(
    response: object, message: str
) -> None:
    with pytest.raises(InvalidResponse, match=message):
        predict().check(response)


def test_the_version_is_stable_follows_the_code_and_runs_nothing(tmp_path: Path) -> None:
    marks = tmp_path / "marks.txt"
    assert predict(counting(marks)).qversion == predict(counting(marks)).qversion
    assert not marks.exists()
    assert predict().qversion == predict().qversion
    assert predict().qversion != predict(LOOP.replace("i * i", "i ** 2")).qversion
    assert predict().qversion != predict(hints=["Count the lines."]).qversion


# -- write a function -----------------------------------------------------------------

ADD_TESTS = [((1, 2), 3), ((-1, 1), 0), ((0.1, 0.2), 0.3)]


def code(**options: object) -> CodeCheck:
    spec: dict = {"tests": ADD_TESTS, **options}
    return CodeCheck("add", "Write `add(a, b)`.", **spec)


def add(a: float, b: float) -> float:
    return a + b


def test_a_function_that_passes_every_case_is_correct() -> None:
    verdict = code().check(add)
    assert isinstance(verdict, Verdict)
    assert verdict.correct
    assert verdict.normalized == "passes"
    assert [case.passed for case in verdict.cases] == [True, True, True]
    assert verdict.cases[0] == CaseResult("add(1, 2)", "3", "3", "", True)


def test_the_student_sees_which_cases_failed_and_why() -> None:
    def add(a: int, b: int) -> int:
        return a * b

    verdict = code().check(add)
    assert not verdict.correct
    assert verdict.cases[0] == CaseResult("add(1, 2)", "3", "2", "", False)
    assert verdict.cases[1] == CaseResult("add(-1, 1)", "0", "-1", "", False)
    assert verdict.normalized == "fails f(1, 2); f(-1, 1); f(0.1, 0.2)"
    assert code(name="add").check(add).normalized == "fails add(1, 2); add(-1, 1); add(0.1, 0.2)"


def test_an_endless_loop_fails_its_case_and_the_next_case_still_runs() -> None:
    def add(a: int, b: int) -> int:
        while a == 1:
            pass
        return a + b

    verdict = code(timeout=0.2).check(add)
    assert verdict.cases[0] == CaseResult("add(1, 2)", "3", "took longer than 0.2 s", "", False)
    assert [case.passed for case in verdict.cases[1:]] == [True, True]


def test_an_exception_fails_only_its_case() -> None:
    def add(a: int, b: int) -> int:
        if a < 0:
            raise ValueError("no negative numbers, please")
        return a + b

    verdict = code().check(add)
    assert verdict.cases[1].got == "ValueError: no negative numbers, please"
    assert [case.passed for case in verdict.cases] == [True, False, True]


def test_printing_instead_of_returning_shows_what_was_printed() -> None:
    def add(a: int, b: int) -> None:
        print(a + b)

    case = code().check(add).cases[0]
    assert (case.got, case.output, case.passed) == ("None", "3\n", False)


def test_a_function_that_changes_its_argument_cannot_change_the_next_case() -> None:
    shopping = ["milk"]

    def with_eggs(items: list[str]) -> int:
        items.append("eggs")
        return len(items)

    q = CodeCheck("eggs", "Add eggs.", tests=[((shopping,), 2), ((shopping,), 2)])
    assert q.check(with_eggs).correct
    assert shopping == ["milk"]
    assert q.check(with_eggs).correct


@pytest.mark.parametrize(
    ("expected", "got", "correct"),
    [
        (0.3, 0.1 + 0.2, True),
        ([0.3, (0.6, 1)], [0.1 + 0.2, (0.2 * 3, 1)], True),
        ({"mean": 0.3}, {"mean": 0.1 + 0.2}, True),
        (0.0, 0.1 + 0.2 - 0.3, True),
        (3, 3.0, True),
        (0.3, 0.31, False),
        ([0.3], (0.3,), False),
        ([0.3, 1], [0.3], False),
        ("0.3", 0.3, False),
    ],
)
def test_floats_count_as_equal_when_they_are_very_close(
    expected: object, got: object, correct: bool
) -> None:
    q = CodeCheck("sum", "Work it out.", tests=[((), expected)])
    assert q.check(lambda: got).correct is correct


def test_a_value_that_is_not_a_function_is_not_an_attempt() -> None:
    with pytest.raises(InvalidResponse) as raised:
        code().check(add(1, 2))
    assert str(raised.value) == "Pass your function itself, like q.check(add), not add(1, 2)."


def test_the_function_source_is_the_response() -> None:
    verdict = code().check(add)
    assert verdict.response == "def add(a: float, b: float) -> float:\n    return a + b\n"
    assert isinstance(verdict, CodeVerdict)


def test_a_function_without_source_is_described_briefly() -> None:
    q = CodeCheck("length", "How long?", tests=[(("abc",), 3)])
    verdict = q.check(len)
    assert verdict.correct
    assert verdict.response == "<len: source not available>"
    assert verdict.cases[0].call == "len('abc')"


def test_the_name_shown_in_calls_can_be_given() -> None:
    verdict = code(name="plus").check(lambda a, b: a + b)
    assert verdict.cases[0].call == "plus(1, 2)"


def test_long_values_are_cut_for_the_student() -> None:
    q = CodeCheck("shout", "Shout it.", tests=[(("a" * 500,), "A" * 500)])
    case = q.check(str.lower).cases[0]
    assert len(case.call) < 100
    assert len(case.expected) < 100
    assert len(case.got) < 100
    assert "..." in case.got


def test_feedback_for_the_first_failing_case_that_has_some() -> None:
    q = code(feedback={1: "What is -1 + 1?", 2: "Floats?"})
    verdict = q.check(lambda a, b: round(a + b) if a > 0 else 5)
    assert (verdict.misconception, verdict.message) == ("1", "What is -1 + 1?")
    verdict = q.check(lambda a, b: int(a + b))
    assert (verdict.misconception, verdict.message) == ("2", "Floats?")
    assert q.check(add).message is None


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"tests": []}, "non-empty list"),
        ({"tests": "add"}, "non-empty list"),
        ({"tests": [((1, 2), 3, 4)]}, r"test 0 must be a pair"),
        ({"tests": [((1, 2), 3), 3]}, r"test 1 must be a pair"),
        ({"tests": [(5, 25)]}, r"test 0's arguments must be a tuple"),
        ({"feedback": {3: "Out of range."}}, r"feedback key 3 is not a test's index \(0 to 2\)"),
        ({"feedback": {-1: "Negative."}}, "not a test's index"),
        ({"feedback": {"(1, 2)": "A call."}}, "must be a test's index"),
        ({"feedback": {True: "A bool."}}, "must be a test's index"),
        ({"timeout": -2}, "timeout"),
        ({"name": "add numbers"}, "name must be"),
    ],
)
def test_authoring_mistakes_in_a_code_question_are_refused_when_built(
    options: dict, problem: str
) -> None:
    with pytest.raises(QuestionError, match=r"Question 'add': .*" + problem):
        code(**options)


def test_the_tests_do_not_show_in_the_question_repr() -> None:
    q = code(tests=[(("kiwi",), "secret-answer-9137")])
    assert "secret-answer-9137" not in repr(q)
    assert "kiwi" not in repr(q)


def test_answers_describe_the_tests() -> None:
    assert code(name="add").answers() == [
        "add(1, 2) == 3",
        "add(-1, 1) == 0",
        "add(0.1, 0.2) == 0.3",
    ]


def test_the_version_is_stable_and_follows_the_tests() -> None:
    assert code().qversion == code().qversion
    assert code().qversion != code(tests=[*ADD_TESTS, ((2, 2), 4)]).qversion
    assert code().qversion != code(tests=[((1, 2), 3), ((-1, 1), 0), ((0.1, 0.2), 0.31)]).qversion
    assert code().qversion != code(timeout=5).qversion
    assert code().qversion != code(name="plus").qversion


def test_the_version_is_the_same_in_every_kernel_even_with_sets() -> None:
    script = (
        "from guessfirst.checks.code import CodeCheck\n"
        "q = CodeCheck('words', 'Which words?', "
        "tests=[(('the cat and the hat',), {'the', 'cat', 'and', 'hat'})])\n"
        "print(q.qversion)\n"
    )
    versions = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(versions) == 1
