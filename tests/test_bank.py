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
from guessfirst import bank, eventlog

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
    (question(NUMERIC, "Q?\n## Hints\nDivide."), 7, "use ## Example, ## Hint or"),
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
    newer = {**json.loads(text), "version": 2}
    sealed.write_text(json.dumps(newer), encoding="utf-8")
    with pytest.raises(bank.BankError, match=r"version 2.*upgrade guessfirst"):
        gf.load(sealed)


def test_sealing_never_overwrites_the_source(tmp_path):
    path = write(tmp_path, LESSON, "lesson3.gfq")
    with pytest.raises(bank.BankError, match="would overwrite its source"):
        bank.seal(path)
    assert path.read_text(encoding="utf-8") == LESSON


def test_a_bank_sealed_before_hints_existed_still_loads(sealed):
    # A copy sealed then has no "hints" key at all; it still opens, with no hints.
    old = gf.load(NOTEBOOKS / "bank-lesson.gfq")
    assert len(old) > 0 and all(old[qid].hints == () for qid in old)
    envelope = json.loads(sealed.read_text(encoding="utf-8"))
    plain = zlib.decompress(bank._scramble(base64.b64decode(envelope["data"]), envelope["check"]))
    specs = json.loads(plain)["questions"]
    assert [("hints" in spec) for spec in specs] == [True, False, False, False]


def test_the_sealed_lesson_in_notebooks_is_sealed_from_its_markdown():
    # Editing bank-lesson.md without sealing it again would leave students the old questions.
    source = gf.load(NOTEBOOKS / "bank-lesson.md")
    assert (NOTEBOOKS / "bank-lesson.gfq").read_text(encoding="utf-8") == source.sealed()
    assert {source[q].kind for q in source} == {"numeric", "choice", "text"}


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
        "heavy = {'anywidget', 'ipywidgets', 'guessfirst.widget', 'markdown_it', 'nh3'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(sealed)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
