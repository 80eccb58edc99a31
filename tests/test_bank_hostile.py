"""Damaged, oversized and hostile question banks: the teacher sees a BankError naming the
file and line, never a traceback, and a sealed bomb is refused before it fills the memory."""

from __future__ import annotations

import base64
import hashlib
import json
import string
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import guessfirst as gf
from guessfirst import bank
from guessfirst.bank import _bounds, _sealed, _spec


def write(folder: Path, text: str, name: str = "lesson.md") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def question(front: str, body: str = "What is it?") -> str:
    return f"---\n{front.strip()}\n---\n{body}\n"


def refusal(path: Path) -> bank.BankError:
    with pytest.raises(bank.BankError) as caught:
        gf.load(path)
    return caught.value


def forged(folder: Path, payload: bytes, name: str = "forged.gfq", **envelope: object) -> Path:
    """A sealed file of these bytes with a valid check: anyone can make one."""
    check = hashlib.sha256(payload).hexdigest()[:32]
    data = _sealed._scramble(zlib.compress(payload, 9), check)
    fields = {
        "format": "guessfirst sealed question bank",
        "version": 2,
        "sealed_from": "lesson.md",
        "questions": [],
        "check": check,
        "data": base64.b64encode(data).decode("ascii"),
        **envelope,
    }
    return write(folder, json.dumps(fields), name)


NUMERIC = "id: q\nkind: numeric\nanswer: 3"
SNIPPET = "Q?\n## Code\n```python\n{}\n```"
DEEP = "[" * 10_000 + "]" * 10_000
NESTED = "[" * 900 + "]" * 900  # short enough for a value, too deep for one

#: A hostile value, the line it is on, and words the error must say.
HOSTILE = [
    (question(f"id: q\nkind: choice\nchoices: {DEEP}\nanswer: a"), 4, "20,000 characters long"),
    (question(f"id: q\nkind: choice\nchoices: {NESTED}\nanswer: a"), 4, "nested 900 deep"),
    (question(f"id: q\nkind: choice\nchoices:\n  - {NESTED}\nanswer: a"), 5, "nested 900 deep"),
    (question(NUMERIC, f"Q?\n## Feedback for {NESTED}\nNo."), 7, "nested 900 deep"),
    (question(f"{NUMERIC}\nfade: {'9' * 5000}"), 5, "5,000 characters long"),
    (question(f"{NUMERIC}\nfade: {'9' * 7}"), 5, "at most 6 digits"),
    (question(f"{NUMERIC}\nmode: quiz\nkey: k\nattempts: {'9' * 2000}"), 7, "at most 6 digits"),
    (question(f"id: q\nkind: expression\nanswer: x\npoints: {'1' * 900}"), 5, "at most 6 digits"),
    (question("id: q\nkind: code\ntests:\n  - f(1) == 1\ntimeout: 1e999"), 6, "out of range"),
    (
        question("id: q\nkind: code\ntests:\n  - f(1) == 1\ntimeout: 1e300"),
        6,
        "at most 600 seconds",
    ),
    (question(f"{NUMERIC}\ntol: 1e99999999"), 5, "exponent has at most 4 digits"),
    (question(f"{NUMERIC}\nrtol: 1e-99999999"), 5, "exponent has at most 4 digits"),
    (question(f"{NUMERIC}\ntol: {'9' * 101}"), 5, "at most 100 characters"),
    (question(f"{NUMERIC}\ntol: inf"), 5, "tol must be a number"),
    (question(f"{NUMERIC}\nrtol: nan"), 5, "rtol must be a number"),
    (question(NUMERIC, f"Q?\n## Example\n### Step {'9' * 5000}\nOne."), 8, "step 1 of the"),
    (question(f"id: q\nkind: code\ntests:\n  - f({'-' * 100_000}1) == 1"), 5, "characters long"),
    (question(f"id: q\nkind: code\ntests:\n  - f({'-' * 1990}1) == 1"), 5, "is not a literal"),
    (question("id: q\nkind: predict", SNIPPET.format("x = " + "1+" * 9000 + "1")), 6, "too deeply"),
    (question("id: q\nkind: predict", SNIPPET.format("x = " + "-" * 15000 + "1")), 6, "too deeply"),
    (question("id: q\nkind: predict", SNIPPET.format("#" * 20_001)), 6, "20,001 characters"),
    (question("id: q\nkind: text\nmatch: " + "(" * 900 + "a" + ")" * 900), 4, "too deeply"),
    (question(f"id: {'q' * 5000}\nkind: numeric\nanswer: 3"), 2, "characters long"),
    (question(f"{NUMERIC}\nmode: quiz\nrelease: 9999-12-31T23:59-23:59"), 6, "out of range"),
]


@pytest.mark.parametrize(("text", "line", "words"), HOSTILE)
def test_a_hostile_value_is_a_bank_error_at_its_line(tmp_path, text, line, words):
    path = write(tmp_path, text)
    error = refusal(path)
    qid = None if line == 2 else "q"  # a refused id is no question's id yet
    assert (error.path, error.line, error.qid) == (str(path), line, qid), str(error)
    assert words in str(error)
    assert len(str(error)) < 500  # the value is quoted, not copied whole


def test_a_heading_with_a_long_run_of_spaces_is_read_in_linear_time(tmp_path):
    # A lazy heading pattern once took time growing with the square of the run's length.
    path = write(tmp_path, question(NUMERIC, "Q?\n## Hint" + " " * 200_000 + "x\nNo."))
    began = time.perf_counter()
    error = refusal(path)
    assert time.perf_counter() - began < 2
    assert error.line == 7 and "is not a section of a question" in str(error)


def test_a_key_name_of_any_length_is_quoted_short(tmp_path):
    error = refusal(write(tmp_path, question(f"{NUMERIC}\n{'a' * 5000}: 1")))
    assert error.line == 5 and "has no 'aaaa" in str(error) and len(str(error)) < 500


def test_a_bank_too_big_to_be_real_is_refused_before_it_is_read(tmp_path):
    path = write(tmp_path, question(NUMERIC, "Q" * _bounds.MAX_BANK_BYTES))
    error = refusal(path)
    assert (error.line, error.qid) == (None, None)
    assert str(error) == f"{path}: this file is larger than 5 MiB, the most a bank may be"


def test_a_bank_of_too_many_lines_questions_or_parts_names_the_line_past_the_bound(tmp_path):
    lines = refusal(write(tmp_path, question(NUMERIC) + "\n" * _bounds.MAX_LINES))
    assert lines.line == _bounds.MAX_LINES + 1 and "200,000" in str(lines)

    tiny = [question(f"id: q{n}\nkind: text\nanswer: a", "Q?") for n in range(10_001)]
    questions = refusal(write(tmp_path, "".join(tiny)))
    assert questions.line == 1 + 6 * 10_000 and "past the 10,000" in str(questions)

    hints = "Q?\n" + "## Hint\nh\n" * 30_000
    two = question("id: a\nkind: numeric\nanswer: 1", hints)
    parts = refusal(write(tmp_path, two + question("id: b\nkind: numeric\nanswer: 1", hints)))
    assert (parts.line, parts.qid) == (len(two.splitlines()) + 1, "b")
    assert "more than the 50,000 allowed" in str(parts)


# -- sealed files ------------------------------------------------------------------------


def test_a_zlib_bomb_is_refused_as_it_unpacks_without_filling_the_memory(tmp_path):
    # 64 KB unpacking to 64 MiB, its check valid: only unpacking could tell it is too big.
    payload = b'{"questions": [], "pad": "' + b"a" * (64 * 2**20) + b'"}'
    path = forged(tmp_path, payload)
    del payload
    assert path.stat().st_size < 2**20
    tracemalloc.start()
    try:
        error = refusal(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(error) == (
        f"{path}: this sealed bank unpacks to more than 5 MiB, the most guessfirst reads "
        "(ten times a large real bank), so it was not sealed by guessfirst: seal "
        "the bank again from its Markdown file"
    )
    assert peak < 20 * 2**20


def test_a_sealed_bank_unpacking_to_exactly_the_bound_still_loads(tmp_path):
    spec = _spec.Spec("q", "numeric", "Q?", "", {}, {"answer": "3"})
    plain = _sealed._canonical({"questions": [_sealed._as_json(spec)], "zpad": ""})
    padded = plain[:-2] + b"a" * (_bounds.MAX_BANK_BYTES - len(plain)) + b'"}'
    assert len(padded) == _bounds.MAX_BANK_BYTES
    assert gf.load(forged(tmp_path, padded, questions=["q"])).ids == ("q",)
    over = refusal(forged(tmp_path, padded[:-2] + b'a"}', questions=["q"]))
    assert "unpacks to more than 5 MiB" in str(over)


def test_a_sealed_file_nested_too_deep_or_too_big_is_refused(tmp_path):
    deep = forged(tmp_path, b'{"questions": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    assert "changed or damaged after it was sealed" in str(refusal(deep))

    envelope = write(tmp_path, '{"format": ' + "[" * 100_000 + "]" * 100_000 + "}", "e.gfq")
    assert "not a sealed guessfirst question bank" in str(refusal(envelope))

    numbers = write(tmp_path, '{"pad": [' + "1," * 2_000_000 + "1]}", "numbers.gfq")
    assert "not a sealed guessfirst question bank" in str(refusal(numbers))

    huge = write(tmp_path, " " * (_bounds.MAX_SEALED_FILE_BYTES + 1), "huge.gfq")
    assert str(refusal(huge)).endswith("this file is larger than 15 MiB, the most a bank may be")


#: A sealed question's option, a value no Markdown bank could give it, and words the error says.
SEALED_VALUES = [
    ("numeric", "tol", float("inf"), "tol must be a finite number"),
    ("numeric", "tol", float("nan"), "tol must be a finite number"),
    ("numeric", "tol", 10**400, "tol must be a finite number"),
    ("numeric", "fade", 10**100, "at most 6 digits"),
    ("numeric", "fade", True, "fade must be a whole number"),
    ("numeric", "answer", 3, "answer is a list of texts"),
    ("numeric", "confidence", "no", "confidence is true or false"),
    ("numeric", "key", "k" * 2001, "2,001 characters long"),
    ("choice", "choices", [["a"], ["b"]], "choices is a list of texts"),
    ("code", "timeout", 1e300, "timeout is at most 600 seconds"),
    ("predict", "code", 5, "the code is the text of a snippet"),
]


@pytest.mark.parametrize(("kind", "key", "value", "words"), SEALED_VALUES)
def test_a_sealed_value_is_held_to_the_rules_of_markdown(tmp_path, kind, key, value, words):
    options = {
        "numeric": {"answer": "3"},
        "choice": {"choices": ["a", "b"], "answer": "a"},
        "code": {"tests": ["f(1) == 1"]},
        "predict": {"code": "print(1)"},
    }[kind]
    spec = _spec.Spec("q", kind, "Q?", ("One.", "Two."), {}, {**options, key: value})
    path = write(tmp_path, bank.Bank(tmp_path / "lesson.md", [spec], []).sealed(), "q.gfq")
    error = refusal(path)
    assert (error.path, error.line, error.qid) == (str(path), None, "q")
    assert words in str(error)


def test_a_sealed_bank_of_too_many_parts_is_refused(tmp_path):
    hints = tuple("h" for _ in range(_bounds.MAX_PARTS + 1))
    spec = _spec.Spec("q", "numeric", "Q?", "", {}, {"answer": "3"}, hints)
    path = write(tmp_path, bank.Bank(tmp_path / "lesson.md", [spec], []).sealed(), "q.gfq")
    assert "50,001 list items, feedback sections, hints and steps" in str(refusal(path))


def test_a_bank_that_would_unpack_past_the_bound_is_not_sealed(tmp_path):
    # Control characters take 6 bytes each in JSON: 1 MiB of them seals to 6 MiB.
    path = write(tmp_path, question(NUMERIC, "Q" + "\x01" * 2**20))
    assert len(gf.load(path)) == 1
    with pytest.raises(bank.BankError, match=r"would unpack to .* more than the 5 MiB"):
        bank.seal(path)
    assert not path.with_suffix(".gfq").exists()


# -- any bank at all: hypothesis -----------------------------------------------------------

KEYS = sorted(
    {
        "id",
        "kind",
        *_spec.SHOWING,
        *(key for kind in _spec.kinds() for key in _spec.front_matter(kind)),
    }
)
#: Values known to make trouble somewhere: numbers Python refuses or chokes on, JSON, regexes.
TROUBLE = [
    "1e999", "-1e999", "1e99999999", "1e-99999999", "nan", "inf", "-0", "1/0", "0/0", "1_000",
    "9" * 5000, "[", "]", '"', '"unclosed', "[[[[", "[]", '[""]', "{}", "null", "true", "(",
    "((a)", "\\", "---", "***", "```", "## Hint", "### Step", "quiz", "practice",
    "2026-12-01T09:00+08:00", "9999-12-31T23:59-23:59", "0001-01-01T00:00+23:59",
    "mean([1, 2]) == 1.5", "f(1) == 1", "f(" + "[" * 150 + "]" * 150 + ") == 1",
    "f(" + "-" * 1500 + "1) == 1", "x**x**x**x", "9**9**9", "(" * 300 + ")" * 300,
]  # fmt: skip


def _run(mark: str, length: int) -> str:
    return mark * length


VALUES = st.one_of(
    st.text(max_size=20),
    st.sampled_from(TROUBLE),
    st.integers().map(str),
    st.floats().map(repr),
    st.builds(
        _run, st.sampled_from(["9", "[", "(", "-", " ", "\\", '"', "a"]), st.integers(1, 3000)
    ),
    st.builds(lambda n: "[" * n + "]" * n, st.integers(1, 1200)),
    st.lists(st.text(max_size=8), max_size=4).map(json.dumps),
)
LINES = st.lists(st.one_of(st.text(max_size=30), st.sampled_from(TROUBLE)), max_size=4)


@st.composite
def questions(draw: st.DrawFn) -> str:
    kind = draw(st.one_of(st.sampled_from(list(_spec.kinds())), VALUES))
    front = [f"id: {draw(st.one_of(st.just('q'), VALUES))}", f"kind: {kind}"]
    for key in draw(st.lists(st.one_of(st.sampled_from(KEYS), VALUES), max_size=6)):
        if draw(st.booleans()):
            front.append(f"{key}: {draw(VALUES)}")
        else:
            front += [f"{key}:", *(f"  - {item}" for item in draw(st.lists(VALUES, max_size=4)))]
    body = draw(LINES)
    for heading in draw(
        st.lists(
            st.sampled_from(["## Example", "## Hint", "## Code", "### Step", "## Feedback for"]),
            max_size=5,
        )
    ):
        if heading in ("### Step", "## Feedback for"):
            heading += " " + draw(VALUES)
        body += [heading, *draw(LINES)]
        if heading == "## Code":
            body += ["```python", *draw(LINES), "```"]
    return "---\n" + "\n".join(front) + "\n---\n" + "\n".join(body) + "\n"


def assert_loads_or_refuses(path: Path, text: str) -> bank.Bank | None:
    """The bank, or None when it is a BankError naming the file and a line of it."""
    try:
        return gf.load(path)
    except bank.BankError as error:
        assert error.path == str(path)
        assert error.line is None or 1 <= error.line <= max(len(text.splitlines()), 1)
        return None


HYPOTHESIS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(TROUBLE),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@HYPOTHESIS
@given(
    st.sampled_from(list(_spec.kinds())),
    st.dictionaries(st.sampled_from([*KEYS, "code"]), JSON, max_size=4),
    st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=2),
)
def test_any_sealed_question_loads_or_is_a_bank_error(tmp_path, kind, options, feedback):
    # A sealed file's check proves it unchanged, not harmless: anyone can seal one by hand.
    spec = _spec.Spec("q", kind, "Q?", "", feedback, options)
    try:
        text = bank.Bank(tmp_path / "lesson.md", [spec], []).sealed()
    except (ValueError, bank.BankError):  # an int JSON cannot write, or a shape it cannot
        assume(False)
    path = write(tmp_path, text, "lesson.gfq")
    assert_loads_or_refuses(path, text)


WORDS = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=12)
TEXT = (
    st.lists(
        st.text(alphabet=string.ascii_letters + string.digits + " .,?!$\\*()", max_size=40).map(
            str.strip
        ),
        min_size=1,
        max_size=3,
    )
    .map(lambda lines: "\n".join(lines) or "x")
    .filter(lambda text: text.strip())
)


@st.composite
def valid_questions(draw: st.DrawFn, number: int) -> str:
    """A question of any kind with any values a teacher may give it."""
    kind = draw(st.sampled_from(list(_spec.kinds())))
    front = [f"id: q{number}", f"kind: {kind}"]
    body = [draw(TEXT).replace("\n", " ")]
    if kind == "numeric":
        answer = draw(st.integers(-(10**6), 10**6))
        front += [f"answer: {answer}", f"tol: {draw(st.floats(0, 100)):.6g}"]
        body += [f"## Feedback for {answer + draw(st.integers(1000, 2000))}", draw(TEXT)]
    elif kind == "choice":
        choices = draw(st.lists(WORDS, min_size=2, max_size=5, unique_by=str.casefold))
        front += [f"choices: {json.dumps(choices)}", f"answer: {choices[0]}"]
        front.append(f"shuffle: {draw(st.sampled_from(['true', 'false']))}")
        body += [f"## Feedback for {choices[1]}", draw(TEXT)]
    elif kind == "text":
        front += [f"answer: {draw(WORDS)}", f"exact: {draw(st.sampled_from(['true', 'false']))}"]
    elif kind == "expression":
        a, b = draw(st.integers(1, 9)), draw(st.integers(1, 9))
        front += [f"answer: {a}*x + {b}", f"points: {draw(st.integers(0, 100))}"]
    elif kind == "predict":
        body += ["## Code", "```python", f"print({draw(st.integers())})", "```"]
        front.append(f"timeout: {draw(st.floats(0.1, 600)):.3g}")
    elif kind == "order":
        lines = draw(st.lists(WORDS, min_size=2, max_size=6, unique_by=str.strip))
        front.append(f"indent: {draw(st.sampled_from(['true', 'false']))}")
        body += ["## Items", *(f"- {line}" for line in lines)]
        body += ["## Feedback for " + json.dumps(lines[::-1]), draw(TEXT)]
    else:
        tests = [f"f({n}) == {2 * n}" for n in draw(st.lists(st.integers(), min_size=1))]
        front += ["tests:", *(f"  - {test}" for test in tests)]
        body += [f"## Feedback for {tests[0]}", draw(TEXT)]
    steps = draw(st.lists(TEXT, max_size=3))
    if steps:
        body.append("## Example")
        for step in steps:
            body += ["### Step", step]
        front.append(f"fade: {draw(st.integers(0, len(steps) - 1))}")
    for hint in draw(st.lists(TEXT, max_size=2)):
        body += ["## Hint", hint]
    if draw(st.booleans()):
        front += ["mode: quiz", f"key: {draw(WORDS)}", f"attempts: {draw(st.integers(1, 99))}"]
    if draw(st.booleans()):
        front.append("confidence: false")
    return "---\n" + "\n".join(front) + "\n---\n" + "\n".join(body) + "\n"


@st.composite
def valid_banks(draw: st.DrawFn) -> str:
    count = draw(st.integers(1, 4))
    return "".join(draw(valid_questions(number)) for number in range(count))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(valid_banks())
def test_a_valid_bank_loads_and_its_sealed_copy_is_the_same_bank(tmp_path, text):
    path = write(tmp_path, text)
    loaded = gf.load(path)
    again = gf.load(bank.seal(path, tmp_path / "lesson.gfq"))
    assert again.ids == loaded.ids and again._specs == loaded._specs
    assert [again[q].qversion for q in again] == [loaded[q].qversion for q in loaded]


#: Where a hostile value goes in a line of a valid question.
_SLOTS = ("key: ", "  - ", "## Feedback for ", "### Step")


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid question with a hostile value in one to three of its lines: it gets past
    the checks of the file's shape to those of each value."""
    lines = draw(valid_questions(draw(st.integers(0, 3)))).splitlines()
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        slot = next(
            (s for s in _SLOTS if line.startswith(s) or (s == "key: " and ": " in line)), None
        )
        if slot == "key: ":
            lines[at] = line.split(": ", 1)[0] + ": " + draw(VALUES)
        elif slot is not None:
            lines[at] = slot + " " + draw(VALUES) if slot == "### Step" else slot + draw(VALUES)
        elif draw(st.booleans()):
            lines.insert(at, f"{draw(st.sampled_from(KEYS))}: {draw(VALUES)}")
        else:
            lines[at] = draw(VALUES)
    return "\n".join(lines) + "\n"


@HYPOTHESIS
@given(st.lists(st.one_of(questions(), mutated()), min_size=1, max_size=3))
def test_any_markdown_bank_loads_or_is_a_bank_error_and_what_loads_seals(tmp_path, written):
    text = "".join(written)
    path = write(tmp_path, text)
    loaded = assert_loads_or_refuses(path, text)
    if loaded is not None:
        again = gf.load(bank.seal(path, tmp_path / "lesson.gfq"))
        assert again._specs == loaded._specs
        assert [again[q].qversion for q in again] == [loaded[q].qversion for q in loaded]


def depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((depth(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(item) for item in value.values()), default=0)
    return 0


def nest(value: object, levels: int) -> object:
    for level in range(levels):
        value = [value] if level % 2 else {"[{": value}
    return value


@settings(max_examples=200, deadline=None)
@given(
    st.builds(
        nest,
        st.recursive(
            st.text(alphabet='[]{}"\\,: ab', max_size=6) | st.integers(),
            lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner),
            max_leaves=20,
        ),
        st.integers(0, 40),
    )
)
def test_json_is_measured_for_depth_whatever_its_strings_hold(value):
    # Brackets, quotes and backslashes inside strings must not count as nesting.
    text = json.dumps(value)
    assert (_bounds.json_problem(text, 10**6) is None) == (depth(value) <= _bounds.MAX_DEPTH)
