"""The sections about learning: questions, spaced review, confidence, wrong answers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .._catalogue import _LATER
from .._review import FLAG_ERROR_RATE, FLAG_MIN_REVIEWED
from ._charts import _confidence_chart, _question_chart, _reviews_note, _reviews_only
from ._format import _count, _e, _key, _pct, _plain, _table, _td, _th, _versions
from ._terms import (
    _FIRST_TRY_COLUMNS,
    _TERMS,
    CONFIDENCE_TERMS,
    RETENTION_TERMS,
    REVIEW_TERMS,
    WRONG_TERMS,
)
from ._terms import formats as formats_for


def _question_section(questions: pd.DataFrame) -> str:
    head = '<section aria-labelledby="questions"><h2 id="questions">Questions</h2>'
    if questions.empty:
        return head + "<p>No attempts yet.</p></section>"
    versions = _versions(questions)
    chart = _question_chart(questions, versions)
    columns = [
        "attempted",
        "students_shown",
        "first_try_correct",
        "first_try_error",
        "corrected",
        "attempts_to_correct",
        "hypercorrection",
        "high_confidence_errors",
        "reflections",
        "students_hinted",
        "students_reviewing",
        *REVIEW_TERMS,
    ]
    formats = formats_for("questions")
    rows = []
    for version, row in zip(versions, questions.itertuples(index=False), strict=True):
        label = _e(_plain(row.question))
        if version:
            label += f' <span class="muted">version {_e(version)}</span>'
        cells = "".join(_question_cell(row, column, formats) for column in columns)
        rows.append(f'<tr><th scope="row">{label}</th><td>{_e(row.kind)}</td>{cells}</tr>')
    header = '<th scope="col">Question</th><th scope="col">Kind</th>' + "".join(
        _th(*_TERMS[column], numeric=column != "review_flag") for column in columns
    )
    caption = "Every question version, the most missed first. Hover a heading for its definition."
    if any(_reviews_only(row) for row in questions.itertuples(index=False)):
        caption += (
            " A version answered only in reviews (a variant a review asked) has no first "
            "tries: it shows how many students reviewed it instead."
        )
    return f"{head}{chart}{_table(caption, header, rows)}</section>"


def _question_cell(row: Any, column: str, formats: dict[str, Callable[[object], str]]) -> str:
    """A cell of the Questions table; a version only reviews asked has one cell, its review
    count, where the first-try figures would be."""
    if column not in _FIRST_TRY_COLUMNS or not _reviews_only(row):
        return _td(column, getattr(row, column), formats)
    if column != _FIRST_TRY_COLUMNS[0]:
        return ""
    return f'<td colspan="{len(_FIRST_TRY_COLUMNS)}" class="muted">{_reviews_note(row)}</td>'


def _review_section(retention: pd.DataFrame, zone: str) -> str:
    head = (
        '<section aria-labelledby="review"><h2 id="review">Spaced review</h2>'
        "<p>How first-try errors held up when their question came back in a review "
        f"{_LATER}, once per student and question, whatever its version. Days are calendar "
        f"dates in {_e(zone)}.</p>"
    )
    if not retention["reviewed"].any():
        return head + f"<p>No first-try error has been reviewed {_LATER} yet.</p></section>"
    verdicts = []
    for flag, advice in (("reteach", "teach it again"), ("productive", "worth keeping")):
        named = [_e(_plain(q)) for q in retention.loc[retention["review_flag"] == flag, "question"]]
        if named:
            verdicts.append(
                f"<p><strong>{flag.capitalize()}</strong> ({advice}): {', '.join(named)}.</p>"
            )
    if not verdicts:
        verdicts.append(
            f"<p>No verdict yet: one needs at least {FLAG_MIN_REVIEWED} students reviewed and a "
            f"first-try error of {FLAG_ERROR_RATE:.0%} or more.</p>"
        )
    columns = ["attempted", "first_try_error", *REVIEW_TERMS]
    formats = formats_for("retention")
    rows = "".join(
        f'<tr><th scope="row">{_e(_plain(row.question))}</th>'
        + "".join(_td(column, getattr(row, column), formats) for column in columns)
        + "</tr>"
        for row in retention.itertuples(index=False)
    )
    header = '<th scope="col">Question</th>' + "".join(
        _th(*{**REVIEW_TERMS, **RETENTION_TERMS}[column], numeric=column != "review_flag")
        for column in columns
    )
    table = _table(
        "Every question, all its versions together, the most missed first.", header, rows
    )
    return head + "".join(verdicts) + table + "</section>"


_LEVELS = ("Just guessing", "Unsure", "Fairly sure", "Certain")


_NOT_GIVEN = "not given"


def _confidence_section(confidence: pd.DataFrame) -> str:
    head = (
        '<section aria-labelledby="confidence"><h2 id="confidence">Confidence and '
        "correctness</h2><p>How sure students said they were at their first attempt, and "
        "how that attempt went. Confident errors that get corrected are the "
        "<em>hypercorrection</em> effect: a surprise is remembered.</p>"
    )
    counts = _confidence_counts(confidence)
    if counts["first"].sum() == 0:
        return head + "<p>No attempts yet.</p></section>"
    figure = _confidence_chart(counts)
    columns = ["first", "right", "wrong", "fixed", "open"]
    rows = "".join(
        f'<tr><th scope="row">{_e(level)}</th>'
        + "".join(f'<td class="n">{row[c]:,}</td>' for c in columns)
        + f'<td class="n">{_pct(row["fixed"] / row["wrong"] if row["wrong"] else np.nan)}</td></tr>'
        for level, row in counts.iterrows()
    )
    header = (
        '<th scope="col">Confidence</th>'
        + "".join(_th(*CONFIDENCE_TERMS[c], numeric=True) for c in columns)
        + _th("Corrected", "Later corrected ÷ wrong, for this confidence.", numeric=True)
    )
    table = _table(
        "First attempts by confidence. Confidences between the four steps count with the "
        "nearest one.",
        header,
        rows,
    )
    return f"{head}{figure}{table}</section>"


def _confidence_counts(confidence: pd.DataFrame) -> pd.DataFrame:
    """The engine's counts per confidence step, named, with every step and "not given"."""
    names = [*_LEVELS, _NOT_GIVEN]
    steps = confidence["step"].fillna(len(_LEVELS)).astype(int)
    counts = (
        confidence[["first", "right", "fixed"]]
        .set_axis(steps)
        .reindex(range(len(names)), fill_value=0)
        .set_axis(pd.Index(names, name="level"))
        .astype(int)
    )
    counts["wrong"] = counts["first"] - counts["right"]
    counts["open"] = counts["wrong"] - counts["fixed"]
    return counts


ANSWERS_PER_QUESTION = 5


def _wrong_section(wrong: pd.DataFrame, questions: pd.DataFrame) -> str:
    head = (
        '<section aria-labelledby="wrong"><h2 id="wrong">Top wrong answers</h2>'
        f"<p>Up to {ANSWERS_PER_QUESTION} per question, the most common first. The bar "
        "is the share of the students who attempted the question.</p>"
    )
    if wrong.empty:
        return head + "<p>No wrong answers yet.</p></section>"
    groups: dict[tuple[object, object], list] = {}
    top = wrong.groupby(["question", "qversion"], sort=False).head(ANSWERS_PER_QUESTION)
    for row in top.itertuples(index=False):
        groups.setdefault((row.question, row.qversion), []).append(row)
    attempted = {(r.question, r.qversion): r.attempted for r in questions.itertuples(index=False)}
    order = [key for key in attempted if key in groups]
    order += [key for key in groups if key not in attempted]
    versions = Counter(question for question, _ in {*attempted, *groups})
    columns = ["students", "attempts", "misconception", "example"]
    header = _th(*WRONG_TERMS["answer"]) + "".join(
        _th(*WRONG_TERMS[c], numeric=c in ("students", "attempts")) for c in columns
    )
    parts = [head]
    for key in order:
        question, qversion = key
        total = attempted.get(key) or max(int(row.students) for row in groups[key])
        name = _e(_plain(question))
        if versions[question] > 1:
            name += f' <span class="muted">version {_e(_plain(qversion))}</span>'
        rows = []
        for row in groups[key]:
            share = int(row.students) / total if total else 0
            rows.append(
                f'<tr><th scope="row" class="answer">{_e(_plain(row.answer))}</th>'
                f'<td class="n"><span class="bar" aria-hidden="true" '
                f'style="width:{4 * share:.2f}rem"></span>{_count(row.students)}</td>'
                f'<td class="n">{_count(row.attempts)}</td>'
                f"<td>{_key(row.misconception)}</td>"
                f'<td class="answer">{_e(_plain(row.example))}</td></tr>'
            )
        parts.append(
            f"<h3>{name}</h3>" + _table(f"{_count(total)} students attempted it.", header, rows)
        )
    parts.append("</section>")
    return "".join(parts)
