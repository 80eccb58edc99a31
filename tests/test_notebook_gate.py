"""The gate, end to end: a notebook executed and saved with its widget state.

What a saved .ipynb holds beyond the teacher's own cell sources (outputs, widget state,
metadata) is what any student opening the file would get. Before an attempt, no accepted
answer, targeted feedback or worked example may be in it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from widget_state import ASSETS

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"

SECRETS = {
    "numeric answer": "7391.25",
    "text answer": "quokkaberg",
    "worked example": "SECRET-EXAMPLE marmalade theorem",
    "targeted feedback": "SECRET-FEEDBACK you swapped the digits",
    # Letters beside the digits: a bare number could turn up inside any hex id of the state.
    "expression answer": "4817*x",
    "program output": "zq18519",
    "expected value": "kx90817",
}

SENTINEL_QUESTIONS = f'''
import guessfirst as gf

def numeric():
    return gf.Numeric("n", "How many?", answer={SECRETS["numeric answer"]},
                      example="{SECRETS["worked example"]} (numeric)",
                      feedback={{1000: "{SECRETS["targeted feedback"]}"}})

def text():
    return gf.Text("t", "Which town?", answer="{SECRETS["text answer"]}",
                   example="{SECRETS["worked example"]} (text)")

def choice():
    return gf.Choice("c", "Which?", choices=["alpha", "beta"], answer="beta",
                     example="{SECRETS["worked example"]} (choice)",
                     feedback={{"alpha": "{SECRETS["targeted feedback"]} (choice)"}})

def expression():
    return gf.Expression("e", "Simplify.", answer="{SECRETS["expression answer"]} - 29",
                         example="{SECRETS["worked example"]} (expression)",
                         feedback={{"x": "{SECRETS["targeted feedback"]} (expression)"}})

def predict():
    return gf.Predict("p", "What does it print?", code="print('zq' + str(6173 * 3))",
                      example="{SECRETS["worked example"]} (predict)")

def code():
    return gf.Code("k", "Write f(x).", tests=[((2,), "{SECRETS["expected value"]}")],
                   example="{SECRETS["worked example"]} (code)")

def quiz():
    return gf.Numeric("qz", "How many?", answer={SECRETS["numeric answer"]},
                      example="{SECRETS["worked example"]} (quiz)",
                      feedback={{1000: "{SECRETS["targeted feedback"]} (quiz)"}},
                      mode="quiz", key="owl")

def multi():
    return gf.Multi("m", "Two parts.", parts=[
        gf.Numeric("a", "How many?", answer={SECRETS["numeric answer"]},
                   feedback={{1000: "{SECRETS["targeted feedback"]} (multi)"}}),
        gf.Text("b", "Which town?", answer="{SECRETS["text answer"]}"),
    ], example="{SECRETS["worked example"]} (multi)")

def faded():
    return gf.Numeric("fd", "How many?", answer=3, fade=1,
                      example=["Worked first step.", "{SECRETS["worked example"]} (faded)"])
'''


def _execute(nb: nbformat.NotebookNode, folder: Path) -> nbformat.NotebookNode:
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        store_widget_state=True,
    )
    client.execute()
    saved = folder / "saved.ipynb"
    nbformat.write(nb, saved)
    return nbformat.read(saved, as_version=4)


def _beyond_sources(nb: nbformat.NotebookNode) -> str:
    """Everything the saved file holds except the cells' own sources."""
    stripped = json.loads(json.dumps(nb))
    for cell in stripped["cells"]:
        cell["source"] = ""
    return json.dumps(stripped, ensure_ascii=False)


def _widget_states(nb: nbformat.NotebookNode) -> list[dict]:
    saved = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return [model["state"] for model in saved.get("state", {}).values()]


@pytest.fixture
def sentinel_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "sentinel_questions.py").write_text(SENTINEL_QUESTIONS)
    monkeypatch.setenv("GUESSFIRST_STUDENT", "gate-tester")
    monkeypatch.setenv("GUESSFIRST_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    return tmp_path


def _sentinel_notebook(*extra: str) -> nbformat.NotebookNode:
    kinds = ["numeric", "text", "choice", "expression", "predict", "code", "quiz", "faded", "multi"]
    cells = ["import sentinel_questions as s", *(f"s.{kind}()" for kind in kinds), *extra]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])


def test_saved_notebook_holds_no_answer_before_an_attempt(sentinel_folder: Path):
    saved = _execute(_sentinel_notebook(), sentinel_folder)
    states = _widget_states(saved)
    assert {s.get("qid") for s in states} >= {"n", "t", "c", "e", "p", "k", "qz", "fd", "m"}
    text = _beyond_sources(saved)
    for what, secret in SECRETS.items():
        assert secret not in text, f"the {what} leaked into the saved notebook"
    for state in states:
        if "qid" in state:
            assert state["example_html"] == "" and state["feedback_html"] == ""
            assert all(set(c) == {"value", "html"} for c in state["choices"])


def test_the_same_search_finds_the_example_once_the_student_has_tried(sentinel_folder: Path):
    # The control for the test above: the search can see an unlocked example.
    nb = _sentinel_notebook("q = s.numeric(); q.submit('1000'); q")
    text = _beyond_sources(_execute(nb, sentinel_folder))
    assert SECRETS["worked example"] in text
    assert SECRETS["targeted feedback"] in text
    assert SECRETS["text answer"] not in text


def test_a_closed_quiz_and_a_faded_step_stay_out_of_the_saved_notebook_after_an_attempt(
    sentinel_folder: Path,
):
    nb = _sentinel_notebook(
        "q = s.quiz(); q.submit('1000'); q",
        "f = s.faded(); f.submit('2'); f",
        "p = s.predict(); p.submit('0'); p",
        "m = s.multi(); m.submit('1000', part='a'); m",
    )
    text = _beyond_sources(_execute(nb, sentinel_folder))
    assert "(quiz)" not in text and "(faded)" not in text
    assert "(multi)" in text  # part (a)'s targeted feedback, after its attempt ...
    assert SECRETS["worked example"] + " (multi)" not in text  # ... but not the example yet
    assert "Worked first step." in text  # the search sees what the attempt did open
    assert SECRETS["program output"] in text


def test_the_demo_lesson_saves_no_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GUESSFIRST_STUDENT", "gate-tester")
    monkeypatch.setenv("GUESSFIRST_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("GUESSFIRST_LANG", "en")
    lesson = nbformat.read(NOTEBOOKS / "fractions-and-rates.ipynb", as_version=4)
    work = tmp_path / "lesson"
    work.mkdir()
    (work / "fractions_and_rates_questions.py").write_text(
        (NOTEBOOKS / "fractions_and_rates_questions.py").read_text()
    )
    saved = _execute(lesson, work)
    text = _beyond_sources(saved)

    sys.path.insert(0, str(work))
    try:
        import fractions_and_rates_questions as questions
    finally:
        sys.path.remove(str(work))
    states = {s["qid"]: s for s in _widget_states(saved) if s.get("qid")}
    assert len(states) == len(questions.ALL)
    for make in questions.ALL:
        check = make()._check
        own = {k: v for k, v in states[check.qid].items() if k not in ASSETS}
        assert own["example_html"] == "" and own["feedback_html"] == ""
        for part in check.example:
            for line in str(part).splitlines():
                if len(line.strip()) >= 20:
                    assert line.strip() not in text, f"{check.qid}: example leaked"
        for message in check.feedback.values():
            assert message not in text, f"{check.qid}: feedback leaked"
        if check.kind == "text":
            for answer in check.answers():
                assert answer not in json.dumps(own), f"{check.qid}: answer leaked"

    # Where no widget runs (GitHub, nbconvert), each card's cell reads as an instruction.
    shown = [
        output["data"]["text/plain"]
        for cell in saved.cells
        for output in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in output.get("data", {})
    ]
    assert len(shown) == len(questions.ALL)
    assert "Run this cell to answer: Work out 1/2 + 1/3. You can answer with a fraction" in shown[1]
    for text in shown:
        assert text.startswith("Run this cell to answer: ")
        assert "$" not in text and "\\" not in text and "**" not in text


@pytest.mark.parametrize("lesson", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_the_shipped_lessons_carry_no_saved_widget_state(lesson: Path):
    # Saved state is what a student's browser would load before running anything.
    assert "widgets" not in nbformat.read(lesson, as_version=4).metadata


@pytest.mark.parametrize("lesson", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_the_shipped_lessons_are_saved_unrun(lesson: Path):
    # An output saved in the file is what GitHub shows of it, and may be stale or wrong.
    code = [c for c in nbformat.read(lesson, as_version=4).cells if c.cell_type == "code"]
    assert code
    assert all(c.outputs == [] and c.execution_count is None for c in code)
