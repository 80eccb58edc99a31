"""Question banks as a teacher writes them and a student's notebook loads them."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import guessfirst as gf
from guessfirst import bank
from guessfirst.bank import _sealed, _spec
from guessfirst.log import eventlog

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"

LESSON = r"""# Lesson 3 (my notes: students never see this)

---
id: speed
kind: numeric
answer: 80
tol: 0.5
---
A train covers 120 km in 1.5 hours. Its speed, in km/h?

## Example

Speed is distance over time: $v = \frac{120}{1.5} = 80$ km/h, which we call eighty.

```python
---
## Not a section: this is code
print(120 / 1.5)
```

## Hint

Which is bigger, the distance or the time?

## Feedback for 180

Did you multiply instead of divide?

## Hint

Speed is kilometres **per** hour: how far in one hour?

---
id: ratio
kind: choice
# the colon and comma are why these are quoted
choices:
  - "ratio 3:4"
  - "ratio 4:3, reversed"
  - ratio 1:1
answer: ratio 3:4
confidence: false
---
Three cats to four dogs: which ratio?

## Feedback for ratio 4:3, reversed

The order of the words decides the order of the numbers.

---
id: equal
kind: choice
choices: ["4/6", "3/4", "6/9"]
answer: ["4/6", "6/9"]
shuffle: true
---
Tick every fraction equal to $\frac{2}{3}$.

---
id: capital
kind: text
answer:
  - Canberra
match: canb?err?a
---
The capital of Australia?

## Example

### Why not Sydney

Canberra was built as a compromise between Sydney and Melbourne.
"""


def write(tmp_path: Path, text: str, name: str = "lesson3.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def question(front: str, body: str = "What is it?") -> str:
    return f"---\n{front.strip()}\n---\n{body}\n"


def refusal(tmp_path: Path, text: str) -> bank.BankError:
    path = write(tmp_path, text)
    with pytest.raises(bank.BankError) as caught:
        gf.load(path)
    return caught.value


# -- reading ----------------------------------------------------------------------------


def test_a_bank_holds_every_kind_as_the_teacher_wrote_it(tmp_path):
    loaded = gf.load(write(tmp_path, LESSON))
    assert loaded.ids == ("speed", "ratio", "equal", "capital")
    assert len(loaded) == 4 and list(loaded) == list(loaded.ids) and "ratio" in loaded
    speed = loaded["speed"]
    assert speed.prompt == "A train covers 120 km in 1.5 hours. Its speed, in km/h?"
    assert speed.answers() == ["80"] and speed.check("80.4 km/h").correct
    assert speed.check("180").message == "Did you multiply instead of divide?"
    assert r"$v = \frac{120}{1.5} = 80$" in speed.example[0]
    assert "## Not a section: this is code\nprint(120 / 1.5)\n```" in speed.example[0]
    assert speed.hints == (
        "Which is bigger, the distance or the time?",
        "Speed is kilometres **per** hour: how far in one hour?",
    )
    assert "Which is bigger" not in speed.example[0]
    assert loaded["ratio"].choices == ("ratio 3:4", "ratio 4:3, reversed", "ratio 1:1")
    assert loaded["ratio"].example == () and loaded["ratio"].hints == ()
    assert loaded["equal"].multiple and loaded["equal"].answers() == ["4/6", "6/9"]
    assert loaded["capital"].check("canbera").correct
    assert loaded["capital"].example[0].startswith("### Why not Sydney")
    assert all("my notes" not in loaded[qid].prompt for qid in loaded)


def test_a_bank_question_is_the_question_written_in_python(tmp_path):
    # Moving a question into a bank must not split its logged attempts in the report.
    loaded = gf.load(write(tmp_path, LESSON))
    example = loaded["speed"].example[0]
    made = gf.Numeric(
        "speed",
        "A train covers 120 km in 1.5 hours. Its speed, in km/h?",
        answer=80,
        tol=0.5,
        example=example,
        feedback={180: "Did you multiply instead of divide?"},
        hints=loaded["speed"].hints,
    )
    assert made._check.qversion == loaded["speed"].qversion


def at(error: bank.BankError, path: Path, line: int | None, qid: str | None) -> bool:
    where = f"{path}:{line}:" if line else f"{path}:"
    return str(error).startswith(where + (f" question {qid!r}:" if qid else ""))


NUMERIC = "id: q\nkind: numeric\nanswer: 3"
CHOICE = "id: q\nkind: choice\nchoices:\n  - a\n  - b\nanswer: a"

#: A mistake, the line it is on, and words the error must say about it.
MISTAKES = [
    (question(NUMERIC + "\ntols: 1"), 5, "no 'tols'"),
    (question("id: q\nkind: choice\nchoices: [a, b]\nanswer: a"), 4, "valid JSON"),
    (question("id: q\nkind: choice\nchoices: [1, 2]\nanswer: a"), 4, "quoted text"),
    (question(CHOICE + "\ntol: 1"), 8, "no 'tol'"),
    (question("id: q\nkind: number\nanswer: 3"), 3, "kind must be one of"),
    (question("id: q\nkind: numeric"), 1, "no answer"),
    (question("id: q\nkind: text"), 1, "no answer (or match)"),
    (question(NUMERIC + "\nanswer: 4"), 5, "given twice (also at line 4)"),
    (question("id: q\nkind: numeric\nanswer:"), 4, "'answer' has no value"),
    (question(NUMERIC + "\ntol: half"), 5, "tol must be a number"),
    (question(NUMERIC + "\ntol: -1"), 5, "must not be negative"),
    (question("id: q\nkind: numeric\nanswer: three"), 4, "'three' is not a number"),
    (question("id: q\nkind: choice\nchoices:\n  - a\n  - b\nanswer: c"), 7, "not one of"),
    (question("id: q\nkind: choice\nchoices:\n  - a\n  - a\nanswer: a"), 4, "appears twice"),
    (question("id: q\nkind: choice\nchoices:\n  - a\nanswer: a"), 4, "at least 2 choices"),
    (question("id: q\nkind: choice\nchoices: a\nanswer: a"), 4, "choices is a list"),
    (question("id: q\nkind: choice\nchoices:\n  - [a]\nanswer: a"), 5, "valid JSON"),
    (question(CHOICE + "\nshuffle: yes"), 8, "true or false"),
    (question("id: q\nkind: text\nmatch: (unclosed"), 4, "does not compile"),
    (question("id: q\nkind: text\nmatch: [a, b]"), 4, "valid JSON"),
    (question('id: q\nkind: text\nmatch: ["a", "b"]'), 4, "one piece of text"),
    (question("id: q\nkind: text\nanswer: Paris\nexact: maybe"), 5, "true or false"),
    (question(NUMERIC + "\nThree."), 5, "expected 'key: value'"),
    (question("kind: numeric\nanswer: 3"), 1, "needs an id"),
    (question(NUMERIC, ""), 5, "the prompt is empty"),
    (question(NUMERIC, "Q?\n## Exmaple\n3"), 7, "## Exmaple"),
    (question(NUMERIC, "Q?\n## Example\n3\n## Example\n4"), 9, "second"),
    (question(NUMERIC, "Q?\n## Example\n\n## Feedback for 4\nNo"), 7, "example is empty"),
    (question(NUMERIC, "Q?\n## Feedback for\nNo"), 7, "which answer"),
    (question(NUMERIC, "Q?\n## Hint\nDivide.\n## Hint\n\n## Example\n3"), 9, "hint is empty"),
    (question(NUMERIC, "Q?\n## Hints\nDivide."), 7, "use ## Example, ## Hint or ##"),
    (question(NUMERIC, "Q?\n## Feedback for 3.0\nNo"), 7, "never show"),
    (question(NUMERIC, "Q?\n## Feedback for 2\nTwo\n## Feedback for 4\n"), 9, "non-empty"),
    (question(NUMERIC, "Q?\n## Feedback for 2\nA\n## Feedback for 2\nB"), 9, "also at line 7"),
    (question(CHOICE, "Q?\n## Feedback for c\nC"), 10, "not one of the choices"),
    (question("id: q\nkind: text\nanswer: Paris", "Q?\n## Feedback for paris.\nP"), 7, "never"),
]


@pytest.mark.parametrize(("text", "line", "words"), MISTAKES)
def test_every_mistake_names_file_line_question_and_what_is_wrong(tmp_path, text, line, words):
    error = refusal(tmp_path, text)
    qid = None if "needs an id" in words else "q"
    assert at(error, tmp_path / "lesson3.md", line, qid), str(error)
    assert words in str(error)
    assert (error.line, error.qid) == (line, qid)


def test_a_repeated_id_points_at_both_questions(tmp_path):
    text = LESSON + "\n" + question("id: ratio\nkind: numeric\nanswer: 1")
    error = refusal(tmp_path, text)
    lines = text.splitlines()
    first, second = (n for n, line in enumerate(lines, start=1) if line == "id: ratio")
    assert at(error, tmp_path / "lesson3.md", second, "ratio")
    assert f"already used by the question at line {first}" in str(error)


def test_the_structure_of_the_file_is_checked_too(tmp_path):
    path = tmp_path / "lesson3.md"
    unclosed = refusal(tmp_path, "---\nid: q\nkind: numeric\nanswer: 3\n")
    assert at(unclosed, path, 1, None) and "never closed by ---" in str(unclosed)
    fence = refusal(tmp_path, question("id: q\nkind: numeric\nanswer: 3", "Q?\n```\n---"))
    assert at(fence, path, 7, None) and "code block is never closed" in str(fence)
    empty = refusal(tmp_path, "Just notes, no questions.\n")
    assert at(empty, path, None, None) and "no questions" in str(empty)
    latin = write(tmp_path, "", "latin.md")
    latin.write_bytes(question("id: caf\xe9\nkind: numeric\nanswer: 3").encode("latin-1"))
    with pytest.raises(bank.BankError, match="not UTF-8"):
        gf.load(latin)


def test_a_bank_error_is_a_question_error(tmp_path):
    with pytest.raises(gf.QuestionError):
        gf.load(write(tmp_path, question("id: q\nkind: numeric\nanswer: x")))


# -- sealing ----------------------------------------------------------------------------


@pytest.fixture
def sealed(tmp_path: Path) -> Path:
    return bank.seal(write(tmp_path, LESSON))


def test_a_sealed_bank_loads_as_the_same_bank(tmp_path, sealed):
    source = gf.load(tmp_path / "lesson3.md")
    assert sealed == tmp_path / "lesson3.gfq"
    again = gf.load(sealed)
    assert again.ids == source.ids
    assert again._specs == source._specs
    assert [again[q].qversion for q in again] == [source[q].qversion for q in source]
    assert sealed.read_text(encoding="utf-8") == source.sealed() == again.sealed()


SECRETS = [
    "Did you multiply instead of divide?",
    "Speed is distance over time",
    "print(120 / 1.5)",
    "ratio 3:4",
    "The order of the words",
    "Canberra",
    "canb?err?a",
    "compromise between Sydney",
    "Which is bigger, the distance",
    "kilometres **per** hour",
]


def readable(data: bytes) -> list[bytes]:
    """Every way an editor, grep or a curious student could read the sealed bytes."""
    views = [data]
    envelope = json.loads(data)
    views += [json.dumps(value).encode() for value in envelope.values()]
    blob = base64.b64decode(envelope["data"])
    views.append(blob)
    for start in range(len(blob)):
        try:
            views.append(zlib.decompressobj().decompress(blob[start:]))
        except zlib.error:
            continue
    return views


def test_a_sealed_bank_shows_no_answer_feedback_or_example(sealed):
    envelope = json.loads(sealed.read_text(encoding="utf-8"))
    assert envelope["questions"] == ["speed", "ratio", "equal", "capital"]
    for view in readable(sealed.read_bytes()):
        assert not [secret for secret in SECRETS if secret.encode() in view]


def test_notes_before_the_first_question_are_not_sealed(tmp_path):
    path = write(tmp_path, "Secret plan: answer is 80.\n" + LESSON)
    loaded = gf.load(bank.seal(path, tmp_path / "out.gfq"))
    assert loaded.ids == gf.load(path).ids
    assert "Secret plan" not in (tmp_path / "out.gfq").read_text()


CHANGES = {
    "a character of the data": lambda e: {**e, "data": e["data"][:40] + "A" + e["data"][41:]},
    "the check": lambda e: {**e, "check": "0" * 32},
    "the list of ids": lambda e: {**e, "questions": ["speed"]},
    "data that is not base64": lambda e: {**e, "data": "not base64!"},
    "a data field that is missing": lambda e: {k: v for k, v in e.items() if k != "data"},
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_changed_sealed_bank_says_so(sealed, change):
    envelope = json.loads(sealed.read_text(encoding="utf-8"))
    sealed.write_text(json.dumps(CHANGES[change](envelope)), encoding="utf-8")
    with pytest.raises(bank.BankError) as caught:
        gf.load(sealed)
    assert str(caught.value).startswith(f"{sealed}: this sealed bank was changed or damaged")
    assert "guessfirst seal lesson3.md" in str(caught.value)


def test_a_file_that_is_not_a_sealed_bank_says_so(sealed):
    text = sealed.read_text(encoding="utf-8")
    sealed.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(bank.BankError, match="not a sealed guessfirst question bank"):
        gf.load(sealed)
    newer = {**json.loads(text), "version": 3}
    sealed.write_text(json.dumps(newer), encoding="utf-8")
    with pytest.raises(bank.BankError, match=r"version 3.*upgrade guessfirst"):
        gf.load(sealed)


def test_sealing_never_overwrites_the_source(tmp_path):
    path = write(tmp_path, LESSON, "lesson3.gfq")
    with pytest.raises(bank.BankError, match="would overwrite its source"):
        bank.seal(path)
    assert path.read_text(encoding="utf-8") == LESSON


#: ``guessfirst seal`` of OLD_BANK before question banks knew more than three kinds.
OLD_BANK = r"""---
id: half
kind: numeric
answer: 1/2
---
What is half of one?

## Example

One cut into two equal pieces: each is $\frac{1}{2}$.

## Feedback for 2

That is one doubled.
"""
OLD_SEALED = """{
 "format": "guessfirst sealed question bank",
 "version": 1,
 "sealed_from": "old.md",
 "questions": [
  "half"
 ],
 "check": "6a21957c1e1e6796c3140bb25e5244a2",
 "data": "oA5vCkgyPrR1ZDEENb5nAA+mlEilv5qmd9VInQmvBAiPUhmFnsyrn2N8/kSJdNeKLA3f6yz58lGRrAoq+LQfWQC\
Qy3dcjV03CnkXKYzKIQWLFnX07wuZJgf9EJr6HSYTssfIc7TIvpD0C/o149CmrSkCdqfwMp9QxnrHoyAkSpyMzKCbzSDai+z4Qmx\
t5g086TfryxkPL2X/z04fMPD5XegIMKHWxOkD6A=="
}
"""


def test_a_bank_of_the_first_three_kinds_seals_to_the_same_bytes_as_before(tmp_path):
    # Students whose guessfirst reads only version 1 can still open a re-sealed old bank.
    old = write(tmp_path, OLD_BANK, "old.md")
    assert gf.load(old).sealed() == OLD_SEALED
    sealed = gf.load(write(tmp_path, OLD_SEALED, "old.gfq"))
    assert sealed._specs == gf.load(old)._specs
    assert sealed["half"].check("0.5").correct


def test_a_bank_sealed_before_hints_existed_still_loads(tmp_path, sealed):
    # A copy sealed then has no "hints" key at all; it still opens, with no hints.
    old = gf.load(write(tmp_path, OLD_SEALED, "old.gfq"))
    assert old.ids == ("half",) and old["half"].hints == ()
    envelope = json.loads(sealed.read_text(encoding="utf-8"))
    plain = zlib.decompress(
        _sealed._scramble(base64.b64decode(envelope["data"]), envelope["check"])
    )
    specs = json.loads(plain)["questions"]
    assert [("hints" in spec) for spec in specs] == [True, False, False, False]


def test_the_sealed_lesson_in_notebooks_is_sealed_from_its_markdown():
    # Editing bank-lesson.md without sealing it again would leave students the old questions.
    source = gf.load(NOTEBOOKS / "bank-lesson.md")
    assert (NOTEBOOKS / "bank-lesson.gfq").read_text(encoding="utf-8") == source.sealed()
    assert {source[q].kind for q in source} == set(_spec.kinds())


# -- asking -----------------------------------------------------------------------------


def test_asking_shows_the_widget_and_its_attempts_are_logged(fresh_kernel, sealed):
    loaded = gf.load(sealed)
    q = loaded.ask("speed")
    assert isinstance(q, gf.Numeric)
    assert repr(q) == "Numeric('speed'): A train covers 120 km in 1.5 hours. Its speed, in km/h?"
    assert q.example_html == ""  # the gate holds for a bank's questions too
    verdict = q.submit("180", confidence="Certain")
    assert verdict is not None and not verdict.correct
    assert "Did you multiply" in q.feedback_html
    assert "<math" in q.example_html and "<pre" in q.example_html
    events = eventlog.read_events(eventlog.log_path(fresh_kernel, "ana")).events
    attempt = next(e for e in events if e["type"] == "attempt")
    assert attempt["question"] == "speed" and attempt["misconception"] == "180"
    assert attempt["qversion"] == loaded["speed"].qversion
    assert q.hint() == "Which is bigger, the distance or the time?"
    assert "<strong>per</strong>" not in str(q.hints_html)
    assert q.hint() == "Speed is kilometres **per** hour: how far in one hour?"
    assert "<strong>per</strong>" in q.hints_html[1]


def test_asking_keeps_each_kind_and_its_options(sealed):
    loaded = gf.load(sealed)
    ratio = loaded.ask("ratio")
    assert isinstance(ratio, gf.Choice) and not ratio.ask_confidence
    equal = loaded.ask("equal")
    assert equal.multiple and equal.submit(["4/6", "6/9"]).correct
    capital = loaded.ask("capital")
    assert isinstance(capital, gf.Text) and capital.submit("canberra.").correct


def test_asking_for_a_question_the_bank_does_not_have_lists_the_ones_it_has(sealed):
    with pytest.raises(KeyError, match=r"no question 'sped'.*speed, ratio, equal, capital"):
        gf.load(sealed).ask("sped")


def test_loading_a_bank_does_not_load_the_widgets(sealed):
    code = (
        "import sys, guessfirst as gf\n"
        "gf.load(sys.argv[1])\n"
        "heavy = {'anywidget', 'ipywidgets', 'guessfirst.student.widget', 'markdown_it', 'nh3'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(sealed)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


# -- expressions, predictions, code, quizzes and faded examples ---------------------------

NEWER = r"""---
id: expand
kind: expression
answer: 3*x + 12
variables:
  - x
---
Expand $3(x + 4)$.

## Example

The 3 multiplies each term: $3 \times x + 3 \times 4$.

## Feedback for 3*x + 4

The 3 multiplies everything inside the bracket.

---
id: loop
kind: predict
timeout: 5
---
What does this code print?

## Code

```python
total = 0
for n in range(1, 4):
    total = total + n
    print(total)
```

## Feedback for "1\n2\n3"

That is each n, not the running total.

## Example

`range(1, 4)` stops before 4, and the running total is printed after each addition.

---
id: mean
kind: code
tests:
  - mean([2, 4, 6]) == 4
  - mean([5]) == 5
  - mean([1, 2]) == 1.5
---
Write a function `mean(numbers)` that returns the average of a list of numbers.

## Feedback for mean([1,2])==1.5

Is the answer rounded down somewhere?

## Example

Add them up and divide by how many there are: `sum(numbers) / len(numbers)`.

---
id: area
kind: numeric
answer: 30
fade: 1
---
A triangle has a base of 10 cm and a height of 6 cm. What is its area, in cm²?

## Example

### Step 1

The area of a triangle is half of base times height.

### Step

Put in the numbers: $\frac{1}{2} \times 10 \times 6$.

### Step 3

Work it out: that makes **thirty square centimetres**.

---
id: percent
kind: numeric
answer: 12
mode: quiz
attempts: 2
key: barn-owl-42
---
What is 15% of 80?

## Example

Ten percent of 80 is eight and five percent is four: twelve in all.

## Feedback for 120

Fifteen percent is less than a quarter of 80.
"""

STEPS = (
    "The area of a triangle is half of base times height.",
    r"Put in the numbers: $\frac{1}{2} \times 10 \times 6$.",
    "Work it out: that makes **thirty square centimetres**.",
)


@pytest.fixture
def newer(tmp_path: Path) -> Path:
    return bank.seal(write(tmp_path, NEWER, "newer.md"))


def test_each_newer_kind_loads_from_markdown_and_from_its_sealed_copy(tmp_path, newer):
    source = gf.load(tmp_path / "newer.md")
    again = gf.load(newer)
    assert again.ids == source.ids == ("expand", "loop", "mean", "area", "percent")
    assert again._specs == source._specs
    assert [again[q].qversion for q in again] == [source[q].qversion for q in source]
    assert [again[q].kind for q in again] == ["expression", "predict", "code", "numeric", "numeric"]
    assert again["expand"].answers() == ["3*x + 12"]
    assert again["loop"].prompt == "What does this code print?"  # the card adds the snippet
    assert again["loop"].code.startswith("total = 0\nfor n in range(1, 4):\n    total")
    assert again["mean"].answers() == [
        "mean([2, 4, 6]) == 4",
        "mean([5]) == 5",
        "mean([1, 2]) == 1.5",
    ]
    assert again["area"].example == STEPS
    assert json.loads(newer.read_text(encoding="utf-8"))["version"] == 2


def half(numbers):
    return sum(numbers) // len(numbers)


def mean(numbers):
    return sum(numbers) / len(numbers)


#: A wrong then a right answer to each newer kind, and the feedback the wrong one gets.
ANSWERS = [
    ("expand", "3x + 4", "3(x+4)", "The 3 multiplies everything"),
    ("loop", "1\n2\n3", "1\n3\n6", "That is each n"),
    ("mean", half, mean, "Is the answer rounded down"),
]


@pytest.mark.parametrize(("qid", "wrong", "right", "words"), ANSWERS)
def test_a_newer_kind_asked_from_a_sealed_bank_checks_and_logs(
    fresh_kernel, newer, qid, wrong, right, words
):
    loaded = gf.load(newer)
    q = loaded.ask(qid)
    assert q.kind == loaded[qid].kind and q.example_html == ""
    first = q.submit(wrong, confidence="Certain")
    assert first is not None and not first.correct
    assert words in q.feedback_html and q.example_html
    assert q.submit(right).correct and q.status == "correct"
    attempts = [e for e in events(fresh_kernel) if e["type"] == "attempt"]
    assert [(e["question"], e["correct"]) for e in attempts] == [(qid, False), (qid, True)]
    assert {e["qversion"] for e in attempts} == {loaded[qid].qversion}


def test_a_prediction_is_compared_with_what_the_snippet_really_prints(newer):
    q = gf.load(newer).ask("loop")
    assert "range" in q.prompt_html  # the snippet is shown under the prompt
    q.submit("1\n2\n3")
    assert "<pre>1\n3\n6</pre>" in q.outcome_html and "<pre>1\n2\n3</pre>" in q.outcome_html


def test_a_failed_code_test_is_shown_with_the_name_the_tests_call(newer):
    q = gf.load(newer).ask("mean")
    q.check(half)
    assert "mean([1, 2])" in q.outcome_html and "1.5" in q.outcome_html
    assert q.feedback_html.count("rounded down") == 1


def test_a_bank_question_of_a_newer_kind_is_the_question_written_in_python(newer):
    # Tests as lines and feedback per test as written: the same question as in Python.
    loaded = gf.load(newer)
    code = gf.Code(
        "mean",
        loaded["mean"].prompt,
        tests=[(([2, 4, 6],), 4), (([5],), 5), (([1, 2],), 1.5)],
        name="mean",
        feedback={2: "Is the answer rounded down somewhere?"},
        example=loaded["mean"].example,
    )
    area = gf.Numeric("area", loaded["area"].prompt, answer=30, example=list(STEPS), fade=1)
    assert code._check.qversion == loaded["mean"].qversion
    assert area._check.qversion == loaded["area"].qversion


def events(log_dir: Path) -> list[dict]:
    return eventlog.read_events(eventlog.log_path(log_dir, "ana")).events


def from_browser(q: gf.Question, content: dict) -> None:
    q._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def test_a_quiz_in_a_bank_hides_its_example_until_the_teachers_key(fresh_kernel, newer):
    q = gf.load(newer).ask("percent")
    q.submit("120", confidence="Certain")
    assert (q.mode, q.status, q.attempts_left) == ("quiz", "saved", 1)
    assert q.example_html == "" and "Fifteen percent" not in q.feedback_html
    assert "barn-owl-42" not in json.dumps(q.get_state())

    from_browser(q, {"type": "key", "key": "barn-owl-42"})
    assert "Ten percent of 80" in q.example_html and q.status == "wrong"
    reveal = next(e for e in events(fresh_kernel) if e["type"] == "reveal")
    assert reveal["by"] == "key"


@pytest.mark.parametrize(
    ("release", "opened"), [("2020-01-06T09:00+08:00", True), ("2999-12-01T09:00Z", False)]
)
def test_a_quiz_in_a_bank_opens_at_its_release_time(tmp_path, release, opened):
    front = f"id: q\nkind: numeric\nanswer: 3\nmode: quiz\nrelease: {release}"
    q = gf.load(write(tmp_path, question(front, "Q?\n## Example\nThree, worked out."))).ask("q")
    q.submit("4")
    assert ("Three, worked out." in q.example_html) is opened
    assert bool(q.release_text) is not opened


def test_a_faded_example_written_in_steps_is_blank_after_the_attempt(fresh_kernel, newer):
    q = gf.load(newer).ask("area")
    q.submit("60")
    assert "half of base times height" in q.example_html
    assert "Put in the numbers" in q.example_html
    assert "thirty square centimetres" not in json.dumps(q.get_state())
    assert (q.steps_left, q.next_step) == (1, 3)
    assert q.fill_step("half of 60 is 30") == STEPS[2]
    assert "thirty square centimetres" in q.faded_steps[0]["html"]
    reveal = next(e for e in events(fresh_kernel) if e["type"] == "reveal")
    assert reveal["fade"] == 1


NEWER_SECRETS = [
    "3*x + 12",
    "3*x + 4",
    "The 3 multiplies",
    "print(total)",  # the snippet itself is sealed too,
    "1\n3\n6",  # and its output is nowhere, not even worked out
    "1\\n3\\n6",
    "1\\n2\\n3",
    "That is each n",
    "mean([2, 4, 6]) == 4",
    "== 1.5",
    "rounded down",
    "sum(numbers) / len(numbers)",
    "half of base times height",
    "thirty square centimetres",
    "barn-owl-42",
    "Ten percent of 80",
    "Fifteen percent",
]


def test_a_sealed_bank_shows_no_test_output_step_or_quiz_key(newer):
    for view in readable(newer.read_bytes()):
        assert not [secret for secret in NEWER_SECRETS if secret.encode() in view]


EXPRESSION = "id: q\nkind: expression\nanswer: 2*x"
PREDICT = "id: q\nkind: predict"
CODE = "id: q\nkind: code\ntests:\n  - mean([2, 4]) == 3"
SNIPPET = "Q?\n## Code\n```python\nprint(1)\n```"
STEPPED = "Q?\n## Example\n### Step\nOne.\n### Step\nTwo."

#: Mistakes in the newer kinds, quizzes and faded examples, as in MISTAKES.
NEWER_MISTAKES = [
    (question(NUMERIC + "\nmode: quiz"), 5, "a quiz needs release: (a date and time) or key:"),
    (question(NUMERIC + "\nmode: exam"), 5, "mode must be one of"),
    (question(NUMERIC + "\nmode: quiz\nkey: owl\nattempts: 0"), 7, "attempts must be a whole"),
    (question(NUMERIC + "\nmode: quiz\nkey: owl\nattempts: two"), 7, "must be a whole number"),
    (question(NUMERIC + "\nkey: owl"), 5, "attempts, release and key are for mode: quiz"),
    (question(NUMERIC + "\nmode: quiz\nrelease: 2026-12-01T09:00"), 6, "no offset from UTC"),
    (question(NUMERIC + "\nmode: quiz\nrelease: next monday"), 6, "like 2026-12-01T09:00+08:00"),
    (question(NUMERIC + "\nmode: quiz\nrelease: 2026-02-30T09:00Z"), 6, "not a real time"),
    (
        question(NUMERIC + "\nfade: 2", STEPPED),
        5,
        "fade=2 would blank every step of a 2-step example; write the example as ### Step",
    ),
    (question(NUMERIC + "\nfade: 1", "Q?\n## Example\nAll in one."), 5, "fade=1 would blank"),
    (question(NUMERIC + "\nfade: -1", STEPPED), 5, "fade must be a whole number of steps"),
    (question(NUMERIC, "Q?\n### Step\nOne."), 7, "belongs in the ## Example"),
    (question(NUMERIC, "Q?\n## Example\n### Step 2\nOne."), 8, "step 1 of the example, not 2"),
    (question(NUMERIC, "Q?\n## Example\nFirst.\n### Step\nOne."), 8, "before the first ### Step"),
    (question(NUMERIC, "Q?\n## Example\n### Step\n\n### Step\nTwo."), 8, "this step is empty"),
    (question(EXPRESSION + "\nvariables: x"), 5, "variables is a list"),
    (question(EXPRESSION + '\nvariables: ["if"]'), 5, "'if' cannot be a variable"),
    (question(EXPRESSION + "\npoints: 1000"), 5, "points must be a whole number from 0 to 100"),
    (question("id: q\nkind: expression\nanswer: 2*x +"), 4, "the answer '2*x +' cannot be read"),
    (question(EXPRESSION, "Q?\n## Feedback for x + x\nNo."), 7, "would never show"),
    (question(PREDICT), 1, "needs a ## Code section"),
    (question(PREDICT, "Q?\n## Code\n```python\nprint(1\n```"), 6, "does not compile"),
    (question(PREDICT, SNIPPET + "\n```\nprint(2)\n```"), 10, "this is a second one"),
    (question(PREDICT, "Q?\n## Code\nRun this:\n```\nprint(1)\n```"), 7, "nothing else"),
    (question(PREDICT, "Q?\n## Code\n"), 6, "has no fenced code block"),
    (question(PREDICT, SNIPPET + "\n## Code\n```\nprint(2)\n```"), 10, "a second ## Code"),
    (question(PREDICT + "\ncode: print(1)", SNIPPET), 4, "goes in a ## Code section"),
    (question(PREDICT + "\ntimeout: 0", SNIPPET), 4, "timeout must be a positive number"),
    (question(NUMERIC, SNIPPET), 7, "only a predict question has a ## Code section"),
    (question("id: q\nkind: code"), 1, "the front matter has no tests"),
    (question("id: q\nkind: code\ntests: mean([1]) == 1"), 4, "tests is a list"),
    (question("id: q\nkind: code\ntests:\n  - mean == 4"), 5, "name(arguments) == expected"),
    (question("id: q\nkind: code\ntests:\n  - mean([1]) != 1"), 5, "name(arguments) == expected"),
    (question("id: q\nkind: code\ntests:\n  - x.mean([1]) == 1"), 5, "name(arguments) =="),
    (question("id: q\nkind: code\ntests:\n  - mean(x=[1]) == 1"), 5, "name(arguments) =="),
    (question("id: q\nkind: code\ntests:\n  - mean([1]) == 1 == 1"), 5, "name(arguments) =="),
    (question("id: q\nkind: code\ntests:\n  - mean([1]) ==="), 5, "name(arguments) =="),
    (question("id: q\nkind: code\ntests:\n  - mean(*[1]) == 1"), 5, "*[1] is not a literal"),
    (question("id: q\nkind: code\ntests:\n  - mean([1]) == x"), 5, "x is not a literal"),
    (question(CODE + "\n  - average([5]) == 5"), 6, "the same function, mean"),
    (question(CODE, "Q?\n## Feedback for mean([9]) == 9\nNo."), 8, "not one of the tests"),
    (question(CODE, "Q?\n## Feedback for mean\nNo."), 8, "not one of the tests"),
    (
        question(
            CODE, "Q?\n## Feedback for mean([2, 4]) == 3\nA\n## Feedback for mean([2,4])==3\nB"
        ),
        10,
        "twice for the same test",
    ),
    (question(CODE + "\ntimeout: -1"), 6, "timeout must be a positive number"),
]


@pytest.mark.parametrize(("text", "line", "words"), NEWER_MISTAKES)
def test_every_newer_mistake_names_file_line_question_and_what_is_wrong(
    tmp_path, text, line, words
):
    error = refusal(tmp_path, text)
    assert at(error, tmp_path / "lesson3.md", line, "q"), str(error)
    assert words in str(error)
    assert (error.line, error.qid) == (line, "q")


CALLS = [
    "mean(open('pwned', 'w')) == 1",
    "mean(__import__('os').getcwd()) == 1",
    "mean([1]) == open('pwned', 'w')",
    "mean(lambda: open('pwned', 'w')) == 1",
    "mean([1, open('pwned', 'w')]) == 1",
]


@pytest.mark.parametrize("call", CALLS)
def test_a_code_test_that_is_not_literals_is_refused_without_running(tmp_path, monkeypatch, call):
    monkeypatch.chdir(tmp_path)
    error = refusal(tmp_path, question(f"id: q\nkind: code\ntests:\n  - {call}"))
    assert error.line == 5 and "is not a literal" in str(error)
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("call", CALLS)
def test_a_sealed_code_test_that_is_not_literals_is_refused_without_running(
    tmp_path, monkeypatch, call
):
    # A sealed file is data: one written by hand, check and all, is read as data too.
    monkeypatch.chdir(tmp_path)
    spec = _spec.Spec("q", "code", "Mean?", "", {}, {"tests": [call]})
    forged = bank.Bank(tmp_path / "forged.md", [spec], []).sealed()
    with pytest.raises(bank.BankError, match="is not a literal") as caught:
        gf.load(write(tmp_path, forged, "forged.gfq"))
    assert str(caught.value).startswith(f"{tmp_path / 'forged.gfq'}: question 'q':")
    assert not (tmp_path / "pwned").exists()


def test_the_manuals_example_of_the_newer_kinds_loads(tmp_path):
    page = (NOTEBOOKS.parent / "docs" / "banks.md").read_text(encoding="utf-8")
    example = page.split("`````markdown\n")[1].split("\n`````")[0]
    loaded = gf.load(bank.seal(write(tmp_path, example, "lesson4.md")))
    assert {loaded[qid].kind for qid in loaded} == {
        "expression",
        "predict",
        "code",
        "numeric",
        "order",
    }
