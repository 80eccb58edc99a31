"""Question checking: what a student's answer counts as, and what a teacher may author."""

from __future__ import annotations

import hashlib
import json
import re
from fractions import Fraction

import pytest

from guessfirst.checks import InvalidResponse, QuestionError, Verdict, parse_number
from guessfirst.checks.choice import ChoiceCheck
from guessfirst.checks.numeric import NumericCheck
from guessfirst.checks.text import TextCheck

# -- reading numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80", Fraction(80)),
        ("80.0", Fraction(80)),
        ("-2.5", Fraction(-5, 2)),
        ("+3", Fraction(3)),
        (".5", Fraction(1, 2)),
        ("  42  ", Fraction(42)),
        ("0.1", Fraction(1, 10)),
        ("\u22124", Fraction(-4)),
        ("\u22123/4", Fraction(-3, 4)),
        ("1,000", Fraction(1000)),
        ("12,345.5", Fraction(24691, 2)),
        ("1 000", Fraction(1000)),
        ("1\u2009000", Fraction(1000)),
        ("1\u00a0000", Fraction(1000)),
        ("1\u202f000", Fraction(1000)),
        ("3/4", Fraction(3, 4)),
        ("-3/4", Fraction(-3, 4)),
        ("3 / 4", Fraction(3, 4)),
        ("1 1/2", Fraction(3, 2)),
        ("-1 1/2", Fraction(-3, 2)),
        ("1,5", Fraction(3, 2)),
        ("0,75", Fraction(3, 4)),
        ("80 km/h", Fraction(80)),
        ("80km/h", Fraction(80)),
        ("12 square metres", Fraction(12)),
        ("75%", Fraction(75)),
        ("12 cm²", Fraction(12)),
        ("3/4 cup", Fraction(3, 4)),
    ],
)
def test_exact_forms_read_exactly(text: str, expected: Fraction) -> None:
    value = parse_number(text)
    assert value == expected
    assert isinstance(value, Fraction)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("8e1", 80), ("8E-1", 0.8), ("-2.5e2", -250), ("1,5e3", 1500)],
)
def test_exponent_forms(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "nan",
        "inf",
        "-inf",
        "1e999",
        "80 90",
        "80 - 90",
        "1.2.3",
        "1,000,5",
        "12,34,567",
        "--3",
        "3/",
        "/4",
        "%",
        "km/h 80",
        "80.",
        "e5",
        "1" * 31,
        "5 eggs and a bit",
        "about 5 or so",
    ],
)
def test_unreadable_numbers_are_refused_and_quoted(text: str) -> None:
    with pytest.raises(InvalidResponse) as caught:
        parse_number(text)
    assert f'"{text}"' in str(caught.value)


@pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
def test_blank_asks_for_an_answer(text: str) -> None:
    with pytest.raises(InvalidResponse, match=r"^Type an answer first\.$"):
        parse_number(text)


@pytest.mark.parametrize("text", ["3/0", "1 1/0", "-5 / 0"])
def test_division_by_zero_is_explained(text: str) -> None:
    with pytest.raises(InvalidResponse, match="zero"):
        parse_number(text)


def test_messages_suggest_what_to_type() -> None:
    with pytest.raises(InvalidResponse) as caught:
        parse_number("abc")
    assert str(caught.value) == (
        'I couldn\'t read "abc" as a number. Try something like 80, 0.75, 3/4 or 1,000.'
    )
    with pytest.raises(InvalidResponse, match="more than one number"):
        parse_number("80 90")


def test_long_input_is_shortened_in_the_message() -> None:
    with pytest.raises(InvalidResponse) as caught:
        parse_number("x" * 500)
    assert len(str(caught.value)) < 150


# -- numeric questions ----------------------------------------------------------------


def speed(**kwargs: object) -> NumericCheck:
    options: dict = {"answer": 80, "tol": 0.5, **kwargs}
    return NumericCheck("speed", "Average speed in km/h?", **options)


@pytest.mark.parametrize(
    ("response", "correct"),
    [("80", True), ("80.5", True), ("79.5", True), ("80.5001", False), ("79.4999", False)],
)
def test_absolute_tolerance_edges(response: str, correct: bool) -> None:
    assert speed().check(response).correct is correct


@pytest.mark.parametrize(
    ("response", "correct"), [("202", True), ("198", True), ("202.001", False)]
)
def test_relative_tolerance_edges(response: str, correct: bool) -> None:
    question = NumericCheck("big", "How many?", answer=200, rtol=0.01)
    assert question.check(response).correct is correct


def test_wider_of_the_two_tolerances_wins() -> None:
    question = NumericCheck("mix", "?", answer=1000, tol=1, rtol=0.01)
    assert question.check("1010").correct
    assert not question.check("1010.5").correct


def test_tolerance_is_the_decimal_the_teacher_wrote() -> None:
    # In binary floats 1.3 - 1 > 0.3, which would fail a student sitting exactly on the edge.
    question = NumericCheck("edge", "?", answer=1, tol=0.3)
    assert question.check("1.3").correct
    assert question.check("0.7").correct


def test_exact_answers_need_exact_responses_without_tolerance() -> None:
    third = NumericCheck("third", "?", answer=Fraction(1, 3), rtol=0)
    assert third.check("1/3").correct
    assert not third.check("0.333333333333").correct
    tenths = NumericCheck("tenths", "?", answer=0.3, rtol=0)
    assert tenths.check("0.3").correct
    assert tenths.check("3/10").correct


def test_float_noise_in_the_answer_is_forgiven_by_default() -> None:
    question = NumericCheck("sum", "0.1 + 0.2?", answer=0.1 + 0.2)
    assert question.check("0.3").correct


def test_string_answers_are_read_like_responses() -> None:
    question = NumericCheck("half", "?", answer="1/2")
    assert question.answers() == ["0.5"]
    assert question.check("0,5").correct


def test_a_percent_sign_is_a_unit_not_a_conversion() -> None:
    # The prompt says which unit it wants: "50 %" is 50 whatever the answer is.
    assert not NumericCheck("half", "?", answer=0.5).check("50 %").correct
    assert NumericCheck("pct", "In per cent?", answer=50).check("50 %").correct


def test_verdict_keeps_the_response_as_given() -> None:
    verdict = speed().check(" 80 km/h ")
    assert verdict == Verdict(True, " 80 km/h ", "80", None, None)


@pytest.mark.parametrize(
    ("response", "normalized"),
    [
        ("3/4", "0.75"),
        ("0.75", "0.75"),
        ("0,75", "0.75"),
        ("7.5e-1", "0.75"),
        ("75/100", "0.75"),
        ("80.0", "80"),
        ("8e1", "80"),
        ("1,000", "1000"),
        ("2/3", "2/3"),
        ("4/6", "2/3"),
        ("-1 1/2", "-1.5"),
        ("-0", "0"),
        ("1/8", "0.125"),
        ("1e20", "100000000000000000000"),
    ],
)
def test_same_number_groups_under_one_spelling(response: str, normalized: str) -> None:
    assert speed().check(response).normalized == normalized


def test_unreadable_response_is_not_an_attempt() -> None:
    with pytest.raises(InvalidResponse):
        speed().check("eighty")
    with pytest.raises(InvalidResponse):
        speed().check(["80"])


def test_numbers_from_python_are_read_too() -> None:
    assert speed().check(80).correct
    assert speed().check(Fraction(161, 2)).correct


def test_feedback_matches_within_tolerance() -> None:
    question = speed(feedback={180: "Multiplied?", "40": "Halved?"})
    near = question.check("180.4")
    assert (near.misconception, near.message) == ("180", "Multiplied?")
    assert question.check("40").misconception == "40"
    assert question.check("181").misconception is None
    assert question.check("100").message is None


def test_nearest_feedback_key_wins() -> None:
    question = NumericCheck("near", "?", answer=0, tol=2, feedback={10: "ten", 12: "twelve"})
    assert question.check("11.5").misconception == "12"
    assert question.check("10.5").misconception == "10"


def test_correct_response_never_gets_misconception() -> None:
    question = NumericCheck("q", "?", answer=80, tol=5, feedback={86: "close but off"})
    verdict = question.check("84.5")
    assert verdict.correct
    assert verdict.misconception is None


def test_misconception_is_the_key_as_the_teacher_wrote_it() -> None:
    question = NumericCheck("q", "?", answer=15, feedback={0.25: "hours", "3/4": "three"})
    assert question.check("1/4").misconception == "0.25"
    assert question.check("0.75").misconception == "3/4"


# -- choice questions -----------------------------------------------------------------

CAPITALS = ("Sydney", "Canberra", "Melbourne", "Perth")


def capital(**kwargs: object) -> ChoiceCheck:
    options: dict = {"choices": CAPITALS, "answer": "Canberra", **kwargs}
    return ChoiceCheck("capital", "Capital of Australia?", **options)


def test_single_choice() -> None:
    question = capital(feedback={"Sydney": "Biggest city, not the capital."})
    assert not question.multiple
    assert question.check("Canberra") == Verdict(True, "Canberra", "Canberra", None, None)
    wrong = question.check("Sydney")
    assert (wrong.correct, wrong.misconception) == (False, "Sydney")
    assert wrong.message == "Biggest city, not the capital."
    assert question.check("Perth").misconception is None


@pytest.mark.parametrize("response", ["Paris", "canberra", "", ["Canberra"], None, 2])
def test_single_choice_refuses_what_is_not_an_option(response: object) -> None:
    with pytest.raises(InvalidResponse, match=r"^Choose one of the options\.$"):
        capital().check(response)


def fractions(**kwargs: object) -> ChoiceCheck:
    options: dict = {
        "choices": ["4/6", "3/4", "6/9", "2/6"],
        "answer": ["6/9", "4/6"],
        "feedback": {"3/4": "Added, not multiplied.", "2/6": "Only the bottom.", "6/9": "Missed"},
        **kwargs,
    }
    return ChoiceCheck("equal", "Tick every fraction equal to 2/3.", **options)


def test_multiple_choice_correct_in_any_order() -> None:
    question = fractions()
    assert question.multiple
    assert question.answers() == ["4/6", "6/9"]
    verdict = question.check(["6/9", "4/6"])
    assert verdict.correct
    assert verdict.response == verdict.normalized == '["4/6", "6/9"]'


def test_multiple_choice_feedback_prefers_wrong_ticks_in_teacher_order() -> None:
    question = fractions()
    both = question.check(["2/6", "4/6", "3/4"])
    assert (both.correct, both.misconception) == (False, "3/4")
    assert both.response == '["4/6", "3/4", "2/6"]'
    assert question.check(["4/6"]).misconception == "6/9"
    assert question.check(["4/6", "6/9", "2/6"]).message == "Only the bottom."


def test_multiple_choice_response_keeps_non_ascii() -> None:
    question = ChoiceCheck("pens", "?", choices=["£2", "£3"], answer=["£2"])
    assert question.check(["£3"]).response == '["£3"]'


@pytest.mark.parametrize("response", [[], "4/6", ["4/6", "4/6"], ["1/2"], [4], None])
def test_multiple_choice_refuses_malformed_ticks(response: object) -> None:
    with pytest.raises(InvalidResponse, match="Tick"):
        fractions().check(response)


def test_a_set_answer_means_checkboxes() -> None:
    question = capital(answer={"Canberra"})
    assert question.multiple
    assert question.check(["Canberra"]).correct


def test_unshuffled_order_is_the_teachers() -> None:
    assert capital().order("ann") == list(CAPITALS)


def test_shuffle_is_reproducible_and_keeps_every_choice() -> None:
    first, second = capital(shuffle=True), capital(shuffle=True)
    for student in ("ann", "bo", "chen"):
        assert first.order(student) == second.order(student)
        assert sorted(first.order(student)) == sorted(CAPITALS)


def test_shuffle_differs_between_students() -> None:
    question = capital(shuffle=True)
    orders = {tuple(question.order(f"student-{n}")) for n in range(20)}
    assert len(orders) > 1


def test_shuffle_is_pinned_across_processes_and_versions() -> None:
    # A student must see the same order after a restart or an upgrade (checked on 3.9-3.13).
    assert capital(shuffle=True).order("ann") == ["Sydney", "Perth", "Canberra", "Melbourne"]


def test_shuffle_depends_on_the_question_too() -> None:
    orders = {
        tuple(
            ChoiceCheck(f"q{n}", "?", choices=CAPITALS, answer="Perth", shuffle=True).order("ann")
        )
        for n in range(20)
    }
    assert len(orders) > 1


# -- text questions -------------------------------------------------------------------


def city(**kwargs: object) -> TextCheck:
    options: dict = {"answer": "Canberra", **kwargs}
    return TextCheck("city", "Capital of Australia?", **options)


@pytest.mark.parametrize(
    "response", ["Canberra", "  canberra. ", "CANBERRA!", "canberra", "Ｃａｎｂｅｒｒａ"]
)
def test_text_forgives_case_space_and_final_stop(response: str) -> None:
    verdict = city().check(response)
    assert verdict.correct
    assert verdict.normalized == "canberra"
    assert verdict.response == response


@pytest.mark.parametrize("response", ["canberra..", "canbera", "Canberra city"])
def test_text_still_needs_the_answer(response: str) -> None:
    assert not city().check(response).correct


def test_text_collapses_inner_spaces_and_accepts_any_answer() -> None:
    question = TextCheck("nz", "?", answer=["New Zealand", "Aotearoa"])
    assert question.check("new    zealand").correct
    assert question.check("aotearoa").correct
    assert question.answers() == ["New Zealand", "Aotearoa"]


def test_exact_mode_only_strips_surrounding_space() -> None:
    question = city(exact=True)
    assert question.check("  Canberra ").correct
    assert not question.check("canberra").correct
    assert not question.check("Canberra.").correct


def test_regex_matches_the_whole_normalised_answer() -> None:
    question = TextCheck("denom", "?", match=r"denominators?")
    assert question.check("Denominator.").correct
    assert question.check("denominators").correct
    assert not question.check("the denominator").correct
    assert question.answers() == []


def test_regex_is_case_sensitive_in_exact_mode() -> None:
    question = TextCheck("sym", "Symbol for sodium?", match="Na", exact=True)
    assert question.check("Na").correct
    assert not question.check("NA").correct


def test_text_answer_or_regex_either_counts() -> None:
    question = TextCheck("either", "?", answer="four", match=r"\d")
    assert question.check("Four").correct
    assert question.check("4").correct


def test_text_feedback_compares_normalised() -> None:
    question = city(feedback={"Sydney": "Biggest city, not the capital."})
    verdict = question.check("  SYDNEY! ")
    assert (verdict.misconception, verdict.message) == ("Sydney", "Biggest city, not the capital.")
    assert city(feedback={"Sydney": "x"}).check("Perth").misconception is None


@pytest.mark.parametrize("response", ["", "   "])
def test_blank_text_is_not_an_attempt(response: str) -> None:
    with pytest.raises(InvalidResponse, match=r"^Type an answer first\.$"):
        city().check(response)


def test_text_refuses_non_text() -> None:
    with pytest.raises(InvalidResponse):
        city().check(["Canberra"])


# -- authoring mistakes ---------------------------------------------------------------

AUTHORING_MISTAKES = [
    (lambda: NumericCheck("q1", "   ", answer=1), "prompt is empty"),
    (lambda: NumericCheck("q1", "?", answer="eighty"), "'eighty' is not a number"),
    (lambda: NumericCheck("q1", "?", answer=float("nan")), "finite number"),
    (lambda: NumericCheck("q1", "?", answer=float("inf")), "finite number"),
    (lambda: NumericCheck("q1", "?", answer=True), "finite number"),
    (lambda: NumericCheck("q1", "?", answer=[1]), "finite number"),
    (lambda: NumericCheck("q1", "?", answer=1, tol=-1), "tolerance must not be negative"),
    (lambda: NumericCheck("q1", "?", answer=1, rtol=-0.1), "relative tolerance must not"),
    (lambda: NumericCheck("q1", "?", answer=1, tol=float("inf")), "finite number"),
    (lambda: NumericCheck("q1", "?", answer=1, rtol=float("nan")), "finite number"),
    (lambda: NumericCheck("q1", "?", answer=1, feedback={"lots": "x"}), "'lots' is not a"),
    (lambda: NumericCheck("q1", "?", answer=1, feedback={"1.0": "x"}), "never show"),
    (lambda: NumericCheck("q1", "?", answer=1, feedback={2: ""}), "non-empty message"),
    (lambda: NumericCheck("q1", "?", answer=1, feedback={2: None}), "non-empty message"),
    (lambda: NumericCheck("q1", "?", answer=1, feedback=[2]), "feedback must be a dict"),
    (lambda: NumericCheck("q1", "?", answer=1, example=5), "example must be"),
    (lambda: NumericCheck("q1", "?", answer=1, example=["a", 5]), "example part"),
    (lambda: ChoiceCheck("q1", "?", choices=["a"], answer="a"), "at least 2 choices"),
    (lambda: ChoiceCheck("q1", "?", choices="ab", answer="a"), "list of strings"),
    (lambda: ChoiceCheck("q1", "?", choices=["a", "a"], answer="a"), "'a' appears twice"),
    (lambda: ChoiceCheck("q1", "?", choices=["a", " "], answer="a"), "choice 2 is empty"),
    (lambda: ChoiceCheck("q1", "?", choices=["a", 2], answer="a"), "must be a string"),
    (lambda: ChoiceCheck("q1", "?", choices=["a", "b"], answer="c"), "'c' is not one"),
    (lambda: ChoiceCheck("q1", "?", choices=["a", "b"], answer=["a", "c"]), "'c' is not"),
    (lambda: ChoiceCheck("q1", "?", choices=["a", "b"], answer=[]), "no answer"),
    (lambda: ChoiceCheck("q1", "?", choices=["a", "b"], answer=None), "no answer"),
    (
        lambda: ChoiceCheck("q1", "?", choices=["a", "b"], answer="a", feedback={"c": "x"}),
        "'c' is not one of the choices",
    ),
    (
        lambda: ChoiceCheck("q1", "?", choices=["a", "b"], answer="a", feedback={"a": "x"}),
        "never show",
    ),
    (lambda: TextCheck("q1", "?"), "needs an answer or a match"),
    (lambda: TextCheck("q1", "?", answer=[]), "needs an answer or a match"),
    (lambda: TextCheck("q1", "?", answer=""), "accepted answer is empty"),
    (lambda: TextCheck("q1", "?", answer=["x", " . "]), "accepted answer is empty"),
    (lambda: TextCheck("q1", "?", answer=5), "string or a list"),
    (lambda: TextCheck("q1", "?", match="(unclosed"), "does not compile: missing )"),
    (lambda: TextCheck("q1", "?", answer="x", feedback={"X!": "y"}), "never show"),
    (lambda: TextCheck("q1", "?", match="ab+", feedback={"abbb": "y"}), "never show"),
    (lambda: TextCheck("q1", "?", answer="x", feedback={"": "y"}), "non-empty string"),
    (lambda: NumericCheck("q1", "?", answer=1, hints="Divide."), "hints must be a list"),
    (lambda: NumericCheck("q1", "?", answer=1, hints=5), "hints must be a list"),
    (lambda: ChoiceCheck("q1", "?", choices=["a", "b"], answer="a", hints=[" "]), "hint 1"),
    (lambda: TextCheck("q1", "?", answer="x", hints=["Look.", None]), "hint 2 must be"),
]


@pytest.mark.parametrize(("build", "problem"), AUTHORING_MISTAKES)
def test_authoring_mistakes_name_the_question(build, problem: str) -> None:
    with pytest.raises(QuestionError, match=r"^Question 'q1': ") as caught:
        build()
    assert problem in str(caught.value)


def test_message_for_a_negative_tolerance_reads_well() -> None:
    with pytest.raises(QuestionError) as caught:
        speed(tol=-1)
    assert str(caught.value) == "Question 'speed': tolerance must not be negative (got -1)."


def test_wrong_answer_lists_the_choices() -> None:
    with pytest.raises(QuestionError, match=re.escape("('Sydney', 'Canberra', 'Melbourne'")):
        capital(answer="Brisbane")


@pytest.mark.parametrize("qid", ["", "  ", None, 7])
def test_a_bad_id_is_shown_as_given(qid: object) -> None:
    with pytest.raises(QuestionError, match=re.escape(f"Question {qid!r}: the id must")):
        NumericCheck(qid, "?", answer=1)  # type: ignore[arg-type]


def test_correct_choice_may_carry_feedback_when_ticking_several() -> None:
    # With checkboxes a correct choice can be missed, so its feedback can show.
    assert fractions().feedback["6/9"] == "Missed"


def test_questions_are_read_only() -> None:
    question = fractions()
    with pytest.raises(AttributeError):
        question.qid = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        question.kind = "text"  # type: ignore[misc]
    question.feedback["3/4"] = "changed"
    assert question.feedback["3/4"] == "Added, not multiplied."


def test_hints_keep_the_teachers_order_on_every_kind() -> None:
    hints = ["Which is bigger, the distance or the time?", "Speed is km **per** hour."]
    assert speed(hints=hints).hints == tuple(hints)
    assert capital(hints=("It is not the biggest city.",)).hints == ("It is not the biggest city.",)
    assert city(hints=hints[:1]).hints == tuple(hints[:1])
    assert speed().hints == ()


def test_a_single_example_string_is_one_part() -> None:
    question = speed(example="Speed is distance over time.")
    assert question.example == ("Speed is distance over time.",)


# -- qversion -------------------------------------------------------------------------


def test_qversion_is_twelve_lowercase_hex() -> None:
    assert re.fullmatch(r"[0-9a-f]{12}", speed().qversion)


def test_qversion_hashes_the_documented_canonical_content() -> None:
    image = b"\x89PNG pixels"
    question = speed(answer="3/4", example=("Look:", image), feedback={"3/2": "Doubled?"})
    content = {
        "kind": "numeric",
        "prompt": "Average speed in km/h?",
        "answers": ["0.75"],
        "example": ["Look:", "sha256:" + hashlib.sha256(image).hexdigest()],
        "check": {"tol": "0.5", "rtol": "0.000000001", "feedback": [["3/2", "Doubled?"]]},
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert question.qversion == hashlib.sha256(canonical.encode()).hexdigest()[:12]


def test_qversion_is_stable_for_identical_content() -> None:
    assert speed().qversion == speed().qversion
    assert speed(answer="80").qversion == speed(answer=80.0).qversion
    assert capital().qversion == capital(choices=list(CAPITALS)).qversion


@pytest.mark.parametrize(
    "edit",
    [
        {"answer": 81},
        {"tol": 1},
        {"rtol": 0.01},
        {"example": "Distance over time."},
        {"feedback": {180: "Multiplied?"}},
    ],
)
def test_qversion_changes_when_content_changes(edit: dict) -> None:
    assert speed(**edit).qversion != speed().qversion


def test_qversion_changes_with_the_prompt() -> None:
    other = NumericCheck("speed", "Speed in km/h, please?", answer=80, tol=0.5)
    assert other.qversion != speed().qversion


def test_qversion_of_other_kinds_follows_their_rules() -> None:
    assert capital(shuffle=True).qversion != capital().qversion
    assert capital(answer=["Canberra"]).qversion != capital().qversion
    assert city(exact=True).qversion != city().qversion
    assert city(match="canberra( city)?").qversion != city().qversion


def test_hints_make_a_new_version_and_their_order_counts() -> None:
    first, second = "Distance or time: which is bigger?", "Divide."
    assert speed(hints=[first]).qversion != speed().qversion
    assert speed(hints=[first, second]).qversion != speed(hints=[second, first]).qversion
    assert capital(hints=[first]).qversion != capital().qversion
    assert city(hints=[first]).qversion != city().qversion


def test_a_question_without_hints_keeps_the_version_it_had_before_hints_existed() -> None:
    # Pinned from the code before hints were added: attempts logged then must still pool.
    numeric = NumericCheck(
        "speed",
        "How fast is the train, in km/h?",
        answer=80,
        example="Distance over time: 120 / 1.5 = 80.",
        feedback={"180": "You multiplied."},
    )
    choice = ChoiceCheck("pick", "Which?", choices=["a", "b"], answer="a")
    text = TextCheck("cap", "Capital of Australia?", answer="Canberra", hints=())
    assert (numeric.qversion, choice.qversion, text.qversion) == (
        "5983a78d5dd1",
        "7472282bc952",
        "2ec02001deee",
    )


def test_qversion_follows_image_bytes() -> None:
    one = speed(example=("Look:", b"\x89PNG one"))
    assert one.qversion == speed(example=("Look:", b"\x89PNG one")).qversion
    assert one.qversion != speed(example=("Look:", b"\x89PNG two")).qversion


def test_a_question_written_in_chinese_is_checked_as_a_student_in_hong_kong_types_it():
    capital = TextCheck("capital", "澳洲的首都是哪裏？", answer="坎培拉")
    for typed in ("坎培拉", " 坎培拉。", "坎培拉！", "\u3000坎培拉"):
        assert capital.check(typed).correct, typed
    assert not capital.check("悉尼").correct
