"""The sections on pretests, misconceptions and variants: the teacher's view alone.

Tags and variant labels come from the logs, which students can write: every one reaches
the page escaped, as text.
"""

from __future__ import annotations

import pandas as pd

from .._catalogue import terms
from .._pretests import ClassPretests
from ._format import _count, _e, _pct, _plain, _real, _table, _th
from ._terms import formats as formats_for

PRETEST_COLUMNS = ("pretest_correct", "posttest_correct", "pretest_gain", "pretest_errors_fixed")
PRETEST_TERMS = terms("questions", PRETEST_COLUMNS)
MISCONCEPTION_TERMS = terms(
    "misconceptions",
    ("tag", "questions", "students", "first_errors", "corrected", "returned", "still_open"),
)
VARIANT_TERMS = terms("variants", ("variant", "students", "attempts", "first_try_correct"))
OPEN_TERMS = terms("students", ("open_misconceptions",))


def _pretest_section(questions: pd.DataFrame, overall: ClassPretests | None) -> str:
    """The class's pretest figures, then each question's: empty without a pretest."""
    if overall is None or overall.pretests == 0:
        return ""
    cards = [
        (_count(overall.pretests), "pretest guesses"),
        (_count(overall.posttests), "with a post-test"),
        (_pct(overall.pretest_correct), PRETEST_TERMS["pretest_correct"][0].lower()),
        (_pct(overall.posttest_correct), PRETEST_TERMS["posttest_correct"][0].lower()),
        (_gain(overall.pretest_gain), PRETEST_TERMS["pretest_gain"][0].lower()),
        (_count(overall.pretest_errors_fixed), "pretest guesses fixed"),
    ]
    items = "".join(f"<li><b>{value}</b> {_e(label)}</li>" for value, label in cards)
    rows = []
    formats = formats_for("questions") | {"pretest_gain": _gain}
    shown = questions[questions["pretest_correct"].notna()].sort_values(
        ["question", "qversion"], kind="stable"
    )
    for row in shown.itertuples(index=False):
        cells = "".join(
            f'<td class="n">{formats[c](getattr(row, c))}</td>' for c in PRETEST_COLUMNS
        )
        rows.append(f'<tr><th scope="row">{_e(_plain(row.question))}</th>{cells}</tr>')
    header = '<th scope="col">Question</th>' + "".join(
        _th(*PRETEST_TERMS[c], numeric=True) for c in PRETEST_COLUMNS
    )
    return (
        '<section aria-labelledby="pretests"><h2 id="pretests">Pretests</h2>'
        "<p>A pretest asks before the teaching; its guess is never a first try, a wrong "
        "answer or a grade. Each student's post-test is their first practice answer to the "
        "same question afterwards, in this lesson or a later one. The whole class, every "
        "question pooled:</p>"
        f'<ul class="cards">{items}</ul>'
        + _table("Per question with a pretest.", header, rows)
        + "</section>"
    )


def _gain(value: object) -> str:
    """A normalised gain to two places: 0.33 of what was left to learn, not 0.333333."""
    return "—" if pd.isna(value) else f"{_real(value):.2f}"


def _misconception_section(misconceptions: pd.DataFrame | None) -> str:
    """One row per misconception tag, followed across questions and lessons."""
    if misconceptions is None or misconceptions.empty:
        return ""
    counts = ("students", "first_errors", "corrected", "returned", "still_open")
    rows = []
    for row in misconceptions.itertuples(index=False):
        places = " ".join(f"<code>{_e(q)}</code>" for q in _plain(row.questions).split(" ") if q)
        cells = "".join(f'<td class="n">{_count(getattr(row, c))}</td>' for c in counts)
        rows.append(
            f'<tr><th scope="row"><code>{_e(_plain(row.tag))}</code></th>'
            f"<td>{places}</td>{cells}</tr>"
        )
    header = (
        _th(*MISCONCEPTION_TERMS["tag"])
        + _th(*MISCONCEPTION_TERMS["questions"])
        + "".join(_th(*MISCONCEPTION_TERMS[c], numeric=True) for c in counts)
    )
    return (
        '<section aria-labelledby="misconceptions"><h2 id="misconceptions">Misconceptions'
        "</h2><p>Each misconception tag across every question and lesson that used it. A "
        "guess in a pretest is left out: before the teaching it is no misconception yet. "
        "Each student's open ones are listed in the Students table.</p>"
        + _table("Per tag, the most widespread first.", header, rows)
        + "</section>"
    )


def _variant_section(variants: pd.DataFrame | None) -> str:
    """Each variant's own figures, folded away: the questions table pools them."""
    if variants is None or variants.empty:
        return ""
    columns = ("students", "attempts", "first_try_correct")
    formats = formats_for("variants")
    rows = []
    for row in variants.itertuples(index=False):
        cells = "".join(f'<td class="n">{formats[c](getattr(row, c))}</td>' for c in columns)
        rows.append(
            f'<tr><th scope="row">{_e(_plain(row.question))}</th>'
            f"<td><code>{_e(_plain(row.variant))}</code></td>{cells}</tr>"
        )
    header = (
        '<th scope="col">Question</th>'
        + _th(*VARIANT_TERMS["variant"])
        + "".join(_th(*VARIANT_TERMS[c], numeric=True) for c in columns)
    )
    questions = variants["question"].nunique()
    return (
        '<section aria-labelledby="variants"><details><summary><h2 id="variants">'
        f"Variants</h2> ({len(variants):,} variants of {questions:,} "
        f"question{'s' if questions != 1 else ''})</summary>"
        "<p>Questions that gave each student their own numbers. The Questions table counts "
        "every variant of a question together; here is each variant on its own.</p>"
        + _table("Per question and variant.", header, rows)
        + "</details></section>"
    )
