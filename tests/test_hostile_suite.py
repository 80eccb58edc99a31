"""Thousands of generated answers per kind of question, as a class trying to break a lesson.

Each answer must come back (a verdict, or a message when it is not an answer at all),
never raise, add exactly one attempt when it is an attempt, and leave a log that
verifies. How long the slowest took is what ``bench/bench_hostile.py`` prints; here it
only has to come back within the time limit and a generous margin.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import guessfirst as gf
from guessfirst.kernel import KERNEL
from guessfirst.log import eventlog

pytestmark = pytest.mark.hostile

#: Examples per kind: GUESSFIRST_HOSTILE_EXAMPLES overrides (the bench asks for more).
EXAMPLES = int(os.environ.get("GUESSFIRST_HOSTILE_EXAMPLES", "2000"))
#: Beyond a check's own time limit: forking, logging and a busy machine.
MARGIN = 5.0
#: Answers per log file: a class's logs are small, and a small file keeps the suite quick.
_PER_FILE = 200

_ANY_CHAR = st.characters(codec=None, exclude_categories=())
_TEXT = st.one_of(
    st.text(_ANY_CHAR, max_size=40),
    st.text(_ANY_CHAR, max_size=3).map(lambda run: run * 30_000),
    st.sampled_from(["", " ", "\x00", "\ud800", "<script>alert(1)</script>", '=cmd|"/c calc"!A0']),
)
_NUMBERISH = st.from_regex(
    r"[-+−]?\d{0,40}([.,]\d{0,40})?([eE][-+]?\d{1,6})?( ?\d{1,3}/\d{0,30})? ?(%|km/h|°)?",
    fullmatch=True,
)


def _formula(leaf: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A grammar of what a student might type for an expression, pathological ones included."""
    number = st.one_of(st.integers(0, 10**6).map(str), st.sampled_from(["0.5", "99", "1e3", ".5"]))
    atom = st.one_of(leaf, number, st.sampled_from(["x", "y", "e", "pi", "π", "√x", "x²"]))

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "^", "**", " ", ""]), inner).map(
                lambda t: f"({t[0]}){t[1]}({t[2]})"
            ),
            st.tuples(
                st.sampled_from(["sin", "cos", "tan", "exp", "ln", "log", "sqrt", "abs", ""]),
                inner,
            ).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(inner, st.integers(-200, 200)).map(lambda t: f"({t[0]})^{t[1]}"),
        )

    return st.recursive(atom, grow, max_leaves=12)


_FORMULA = st.one_of(_formula(st.just("x")), _TEXT)


def _loops() -> None:
    while True:
        pass


class _Awkward:
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no comparing me")

    def __repr__(self) -> str:
        raise RuntimeError("no showing me")


_FUNCTIONS: list[Callable[..., object]] = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda *args: _loops(),
    lambda a, b: print("x" * 1_000_000),
    lambda a, b: 1 / 0,
    lambda a, b: _Awkward(),
    lambda a, b: [a] * 10**6,
    lambda a, b: exec("raise SystemExit"),
]

KINDS: dict[str, tuple[Callable[[], gf.Question], st.SearchStrategy[object]]] = {
    "numeric": (
        lambda: gf.Numeric("n", "2 + 2?", answer=4, feedback={5: "Off by one?"}),
        st.one_of(_NUMBERISH, _TEXT),
    ),
    "choice": (
        lambda: gf.Choice("c", "Pick", choices=["a", "b", "c"], answer=["a", "b"]),
        st.one_of(st.lists(st.sampled_from(["a", "b", "c", "d", ""]), max_size=6), _TEXT),
    ),
    "text": (
        lambda: gf.Text("t", "Say hello", answer=["hello"], match=r"(h|hh)+ello+$"),
        _TEXT,
    ),
    "expression": (
        lambda: gf.Expression("e", "Write 2(x + 1)", answer="2*x + 2", feedback={"2x+1": "?"}),
        _FORMULA,
    ),
    "predict": (lambda: gf.Predict("p", "What prints?", code="print(1)\nprint(2)"), _TEXT),
    "code": (
        lambda: gf.Code("f", "Write add", tests=[((1, 2), 3), ((0, 0), 0)], timeout=0.05),
        st.sampled_from(_FUNCTIONS),
    ),
    "multi": (
        lambda: gf.Multi(
            "m",
            "Two parts",
            parts=[gf.Text("a", "Say hi", answer="hi"), gf.Expression("b", "2x?", answer="2x")],
        ),
        st.tuples(st.sampled_from(["a", "b"]), st.one_of(_TEXT, _FORMULA)),
    ),
}


class _Class:
    """One student's questions at a time, a fresh student (and log file) every few hundred."""

    def __init__(self, kind: str, log_dir: Path) -> None:
        self.kind, self.log_dir, self.answers, self.student = kind, log_dir, 0, ""
        self.question: gf.Question | None = None
        self.worst = 0.0

    def next(self) -> gf.Question:
        if self.question is None or self.answers % _PER_FILE == 0:
            self.student = f"{self.kind}-{self.answers // _PER_FILE}"
            os.environ["GUESSFIRST_STUDENT"] = self.student
            KERNEL.shown.clear()
            KERNEL.defined.clear()
            self.question = KINDS[self.kind][0]()
        self.answers += 1
        return self.question

    def attempts(self) -> int:
        path = eventlog.log_path(self.log_dir, self.student)
        return sum(e["type"] == "attempt" for e in eventlog.read_events(path).events)

    def files(self) -> list[Path]:
        return sorted(self.log_dir.glob(f"{self.kind}-*.jsonl"))


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_answer_stops_the_lesson(kind, fresh_kernel):
    lesson = _Class(kind, fresh_kernel)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(answer=KINDS[kind][1], confidence=st.sampled_from([None, "Certain", 0.0, 0.5]))
    def answer_once(answer: object, confidence: object) -> None:
        q = lesson.next()
        before = lesson.attempts()
        started = time.monotonic()
        if kind == "multi":
            part, typed = answer
            verdict = q.submit(typed, confidence, part=part)
        else:
            verdict = q.submit(answer, confidence)
        took = time.monotonic() - started
        lesson.worst = max(lesson.worst, took)
        assert took < q._limit + MARGIN
        after = lesson.attempts()
        if verdict is None:  # not an answer of this kind: a message, and nothing counted
            assert after == before
            assert q.input_error or any(part["input_error"] for part in getattr(q, "parts", []))
        else:
            assert after == before + 1

    answer_once()
    for path in lesson.files():
        assert eventlog.verify(path) == [], path
    print(f"{kind}: {lesson.answers} answers, slowest {lesson.worst:.3f} s")
