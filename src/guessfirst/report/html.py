"""The teacher's report as one self-contained HTML document.

The file is mailed around, opened from a USB stick and printed, so it carries its own CSS
and hand-drawn SVG charts and asks the network for nothing. It runs no script at all, and
its Content-Security-Policy forbids any: every value that came from a log (ids, answers,
misconception keys, file names) is student-controlled and only ever reaches the page
escaped, as text.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd

from . import _flags
from ._engine import Activity, Logs, activity, confidence_table
from ._review import (
    FLAG_ERROR_RATE,
    FLAG_MIN_REVIEWED,
    PRODUCTIVE_RETENTION,
    RETEACH_RETENTION,
    REVIEW_DELAY_DAYS,
)

PROBLEM_ROWS = 200
ANSWERS_PER_QUESTION = 5
NAMED_STUDENTS = 50

_CHAIN_KINDS = frozenset({"edited-or-reordered", "removed"})
_LEVELS = ("Just guessing", "Unsure", "Fairly sure", "Certain")
_NOT_GIVEN = "not given"
_LABEL_CHARS = 26
_CSP = "default-src 'none'; style-src 'unsafe-inline'"

#: What a first try is, as docs/EVENTS.md ("First tries") defines it, in a reader's words.
_FIRST_TRY = (
    "their first try: of their attempts at this version outside a review that got a verdict, "
    "the one with the smallest number"
)
QUESTION_TERMS: dict[str, tuple[str, str]] = {
    "attempted": (
        "Attempted",
        "Students with at least one attempt at this question version outside a review, "
        "including one that could not be checked in time.",
    ),
    "students_shown": ("Shown", "Students this question version was displayed to."),
    "students_hinted": (
        "Hinted",
        "Students who opened at least one hint (hints open only after a first attempt).",
    ),
    "first_try_correct": (
        "First try correct",
        f"Share of the students who attempted it whose first try was correct: {_FIRST_TRY}. "
        "A review is never a first try, nor is an answer that got no verdict.",
    ),
    "first_try_error": ("First-try error", "1 − first try correct: the first try was wrong."),
    "corrected": (
        "Corrected",
        "Of the students whose first try was wrong, the share who answered correctly at a "
        "later attempt (in a review too). Blank when nobody's first try was wrong.",
    ),
    "attempts_to_correct": (
        "Attempts to correct",
        "Median attempt number of the correcting attempt, over the corrected students.",
    ),
    "hypercorrection": (
        "Hyper\u00adcorrection",
        "Corrected among first errors made with confidence ≥ 0.75 (Certain) minus corrected "
        "among first errors made with confidence ≤ 0.25 (Just guessing), in percentage "
        "points. Blank unless each group has at least 3 students. Above 0: confident "
        "errors were corrected more often.",
    ),
    "high_confidence_errors": (
        "Confident errors",
        "Students whose wrong first try came with confidence ≥ 0.75.",
    ),
    "reflections": ("Reflections", "Number of reflections students wrote on this question."),
    "students_reviewing": (
        "In reviews",
        "Students who answered this version in a review. A review may ask a variant of a "
        "question, whose count it then starts; it is still a retrieval days later, never a "
        "first try, so it counts here and in the Spaced review, not in the first-try figures.",
    ),
}
#: The Questions table's columns that read first tries: a version only ever answered in
#: reviews has none, and shows its review count in their place.
_FIRST_TRY_COLUMNS = (
    "first_try_correct",
    "first_try_error",
    "corrected",
    "attempts_to_correct",
    "hypercorrection",
    "high_confidence_errors",
)
_LATER = f"at least {REVIEW_DELAY_DAYS} calendar day{'s' if REVIEW_DELAY_DAYS > 1 else ''} later"
REVIEW_TERMS: dict[str, tuple[str, str]] = {
    "reviewed": (
        "Reviewed",
        f"First-try errors that the student met again in a review {_LATER}. A review of any "
        "version of the question counts: what is remembered is the question, not one wording.",
    ),
    "delayed_retention": (
        "Delayed retention",
        f"Of the reviewed first-try errors, the share whose first review {_LATER} was correct. "
        "Blank when none was reviewed.",
    ),
    "return_errors": (
        "Return errors",
        "Reviewed first-try errors the student corrected on the day they made them (a correct "
        "attempt, in a review or not, or a corrected event, that same day), yet got wrong at "
        f"their first review {_LATER}: the correction did not last.",
    ),
    "returned_same": (
        "Same error back",
        "Return errors whose wrong review answer was the first error's answer again: compared "
        "as the question normalised them when both attempts carry that, otherwise trimmed and "
        "case-folded.",
    ),
    "review_flag": (
        "Verdict",
        f"productive: first-try error ≥ {FLAG_ERROR_RATE:.0%} and delayed retention ≥ "
        f"{PRODUCTIVE_RETENTION:.0%}: the errors were worth making, keep the question. "
        f"reteach: first-try error ≥ {FLAG_ERROR_RATE:.0%} and delayed retention below "
        f"{RETEACH_RETENTION:.0%}: the errors came back, teach it again. Either needs at least "
        f"{FLAG_MIN_REVIEWED} students reviewed; blank otherwise.",
    ),
}
#: The spaced review table counts each question once, over all its versions.
RETENTION_TERMS: dict[str, tuple[str, str]] = {
    "attempted": (
        "Attempted",
        "Students with at least one attempt outside a review, at any version of this question.",
    ),
    "first_try_error": (
        "First-try error",
        "Share of them whose first try was wrong: their earliest attempt at any version "
        "outside a review that got a verdict.",
    ),
}
_TERMS = {**QUESTION_TERMS, **REVIEW_TERMS}
STUDENT_TERMS: dict[str, tuple[str, str]] = {
    "attempted": (
        "Attempted",
        "Questions this student attempted at least once outside a review, one per version.",
    ),
    "first_try_correct": ("First try correct", "Questions whose first try was correct."),
    "corrected": (
        "Good errors",
        "Questions whose first try was wrong and that the student later answered correctly.",
    ),
    "not_corrected": (
        "Errors still open",
        "Questions whose first try was wrong and that have no correct attempt since.",
    ),
    "reflections": ("Reflections", "Reflections this student wrote."),
    "hints": ("Hints", "Hints this student opened (only possible after a first attempt)."),
}
#: The students table's column where the hub service has a copy of some students' events.
HUB_TERMS: dict[str, tuple[str, str]] = {
    "hub_confirmed": (
        "Confirmed by the hub",
        "Share of this student's events that the school's hub service received as they were "
        "written. Blank: the service has no copy of this student's events.",
    ),
}
WRONG_TERMS: dict[str, tuple[str, str]] = {
    "answer": (
        "Wrong answer",
        "A wrong response after the question's own normalisation, so answers that only "
        "differ in spacing or case count as one.",
    ),
    "students": ("Students", "Distinct students who gave this answer."),
    "attempts": ("Attempts", "Attempts with this answer, repeats included."),
    "misconception": (
        "Misconception",
        "The key of the teacher's targeted feedback that matched this answer.",
    ),
    "example": ("Example", "One response with this answer exactly as a student typed it."),
}
CONFIDENCE_TERMS: dict[str, tuple[str, str]] = {
    "first": ("First tries", "Students' first try at a question, one per question version."),
    "right": ("Right", "The first try was correct."),
    "wrong": ("Wrong", "The first try was wrong."),
    "fixed": ("Later corrected", "Wrong at the first try, correct at a later attempt."),
    "open": ("Still open", "Wrong at the first try, with no correct attempt since."),
}
PROBLEM_TERMS: dict[str, str] = {
    "not-json": "The line is not a JSON object (for example cut off or garbled); skipped.",
    "missing-field": "The line lacks a field every event needs; skipped.",
    "unknown-version": "The line is in a format version this reader does not know; skipped.",
    "truncated-line": "The last line was only half written; skipped.",
    "too-long": "The line is longer than 64 KiB; skipped.",
    "edited-or-reordered": "The hash chain breaks here: a line was edited or lines were moved.",
    "removed": "The hash chain breaks here: lines before this one were removed.",
}

_CSS = """
:root { color-scheme: light dark; --bg: #fff; --fg: #1d2125; --muted: #5c636a;
  --line: #d5d9dd; --band: #f3f5f7; --err: #c2410c; --fix: #1d64c0; --ok: #2f7d32;
  --open: #b42318; --warn-bg: #fff4e0; --warn-fg: #7a3e00; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16191d; --fg: #e7eaee; --muted: #a4adb6; --line: #3a4048; --band: #1f2328;
    --err: #f08a4b; --fix: #6aa7f8; --ok: #6cc070; --open: #f2766b; --warn-bg: #3b2a12;
    --warn-fg: #ffd28a; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; background: var(--bg);
  color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { margin: 0 0 .25rem; font-size: 1.8rem; }
h2 { margin: 2.5rem 0 .5rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
h3 { margin: 1.5rem 0 .25rem; font-size: 1.05rem; }
.muted, caption, figcaption { color: var(--muted); }
caption { caption-side: top; text-align: left; padding: .25rem 0; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; list-style: none; }
.cards li { flex: 1 1 8rem; padding: .6rem .8rem; border: 1px solid var(--line);
  border-radius: .5rem; background: var(--band); }
.cards b { display: block; font-size: 1.6rem; font-variant-numeric: tabular-nums; }
.alert { padding: .75rem 1rem; border-radius: .5rem; background: var(--warn-bg);
  color: var(--warn-fg); }
.badge { display: inline-block; margin-left: .4rem; padding: 0 .4rem; border-radius: .3rem;
  background: var(--warn-bg); color: var(--warn-fg); border: 1px solid currentColor;
  font-size: .8rem; white-space: nowrap; }
table { width: 100%; border-collapse: collapse; margin: .5rem 0 1rem; }
.scroll { overflow-x: auto; }
th, td { padding: .3rem .4rem; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
thead th { background: var(--band); vertical-align: bottom; }
tbody th { min-width: 5rem; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
a { color: var(--fix); }
figure { margin: 1rem 0; }
abbr[title] { text-decoration: underline dotted; cursor: help; }
code, .answer { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  white-space: pre-wrap; }
.bar { display: inline-block; height: .6rem; margin-right: .4rem; background: var(--err);
  border-radius: .15rem; vertical-align: middle; }
svg.chart { display: block; width: 100%; height: auto; font-size: 12px; }
svg.chart text { fill: var(--fg); }
svg.chart .muted { fill: var(--muted); }
svg.chart .grid { stroke: var(--line); }
.err { fill: var(--err); } .fix { fill: var(--fix); } .ok { fill: var(--ok); }
.open { fill: var(--open); }
.legend span::before { content: ""; display: inline-block; width: .8rem; height: .8rem;
  margin: 0 .3rem 0 .8rem; border-radius: .15rem; vertical-align: -.1rem;
  background: var(--swatch); }
dl.terms dt { font-weight: 600; margin-top: .5rem; }
dl.terms dd { margin-left: 1.5rem; }
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #444; --band: #eee; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  figure, tr, .cards li { break-inside: avoid; }
  .scroll { overflow: visible; }
  thead { display: table-header-group; }
}
"""


def render_report(
    *,
    questions: pd.DataFrame,
    students: pd.DataFrame,
    wrong: pd.DataFrame,
    retention: pd.DataFrame,
    problems: pd.DataFrame,
    files: pd.DataFrame,
    intact: pd.Series,
    events: pd.DataFrame | Logs,
    zone: str,
    title: str = "guessfirst report",
    generated: datetime | None = None,
    flags: pd.DataFrame | None = None,
    hub: pd.DataFrame | None = None,
    include_unconfirmed: bool = False,
) -> str:
    """The whole report as one HTML document; the inputs are the engine's tables.

    ``intact`` maps each student to whether all of their log files passed verification:
    students whose logs failed are marked wherever they appear, never left out.
    ``events`` may be the Logs themselves: the summary and the confidence table are then
    counted where the events are, in DuckDB. ``zone`` names the time zone the review
    tables counted days in, which the page states. ``flags`` are a collection ledger's
    (see :mod:`guessfirst.report._flags`): listed under Problems, and their students marked
    as those whose logs failed verification. ``hub`` is the share of each student's
    events the hub service confirmed (see ``_flags.Hub``), stated in its own section;
    ``include_unconfirmed`` whether the lines it never received were counted.
    """
    when = (generated or datetime.now(timezone.utc)).astimezone(timezone.utc)
    flags = _flags.none() if flags is None else flags
    flagged = _flags.by_student(flags)
    intact = intact.copy()
    for student in flagged:
        intact[student] = False
    failed = sorted(str(student) for student, ok in intact.items() if not ok)
    body = "".join(
        [
            f"<header><h1>{_e(title)}</h1>"
            f'<p class="muted">Generated {when:%Y-%m-%d %H:%M} UTC.</p></header>',
            _summary(questions, students, problems, files, intact, activity(events), failed),
            _question_section(questions),
            _review_section(retention, zone),
            _confidence_section(confidence_table(events)),
            _wrong_section(wrong, questions),
            _student_section(students, set(failed)),
            _problem_section(problems, files),
            _hub_section(_flags.no_hub() if hub is None else hub, include_unconfirmed),
            _flag_section(flags),
            _glossary(zone),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def _summary(
    questions: pd.DataFrame,
    students: pd.DataFrame,
    problems: pd.DataFrame,
    files: pd.DataFrame,
    intact: pd.Series,
    overall: Activity,
    failed: list[str],
) -> str:
    people = set(students["student"].astype(str)) | {str(s) for s in intact.index}
    breaks = problems["kind"].isin(_CHAIN_KINDS)
    cards = [
        ("students", len(people)),
        ("questions", questions["question"].nunique()),
        ("events", overall.events),
        ("log files", len(files)),
        ("bad lines skipped", int((~breaks).sum())),
        ("chain breaks", int(breaks.sum())),
        ("logs failing verification", len(failed)),
    ]
    items = "".join(f"<li><b>{count:,}</b> {label}</li>" for label, count in cards)
    parts = ['<section aria-labelledby="summary"><h2 id="summary">Summary</h2>']
    parts.append(f'<ul class="cards">{items}</ul>')
    # A variant only reviews asked is no change to the question: it is counted apart.
    variants = [_reviews_only(row) for row in questions.itertuples(index=False)]
    met = questions.loc[[not variant for variant in variants]]
    versions = len(met) - met["question"].nunique()
    if versions:
        parts.append(
            f"<p>{versions} question(s) changed while students worked: each version "
            "is counted on its own.</p>"
        )
    if any(variants):
        parts.append(
            f"<p>{sum(variants)} variant(s) were asked only in reviews: they show how many "
            "students reviewed them, and no first tries.</p>"
        )
    duplicates = int(pd.to_numeric(files["duplicates"]).sum()) if len(files) else 0
    if duplicates:
        parts.append(f"<p>{duplicates:,} duplicate event(s) in collected copies counted once.</p>")
    if overall.events:
        parts.append(f"<p>Events from {_time(overall.first)} to {_time(overall.last)}.</p>")
    if overall.notebooks:
        parts.append(f"<p>Notebooks: {_names(overall.notebooks)}.</p>")
    if failed:
        parts.append(
            '<p class="alert" role="note"><strong>Logs failing verification: '
            f"{len(failed)}</strong> ({_names(failed)}). Their lines were edited, removed, "
            'reordered or unreadable; see <a href="#problems">Problems</a>. These students '
            "are marked below and still counted.</p>"
        )
    parts.append("</section>")
    return "".join(parts)


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
    formats = {
        "first_try_correct": _pct,
        "first_try_error": _pct,
        "corrected": _pct,
        "attempts_to_correct": _num,
        "hypercorrection": _points,
        "delayed_retention": _pct,
        "review_flag": _verdict,
    }
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


def _reviews_only(row: Any) -> bool:
    """A version nobody met outside a review: a variant only reviews asked."""
    attempted, reviewing = row.attempted, row.students_reviewing
    return not pd.isna(reviewing) and reviewing > 0 and (pd.isna(attempted) or attempted == 0)


#: A version shown but with no first try yet: it has no share wrong first to draw.
_NOT_ATTEMPTED = "not attempted yet"


def _not_attempted(row: Any) -> bool:
    """A version with no judged first try: nobody can have got it wrong first."""
    return pd.isna(row.first_try_error)


def _reviews_note(row: Any) -> str:
    count = int(row.students_reviewing)
    return f"only in reviews: {count:,} student{'s' if count != 1 else ''}, no first tries"


def _question_cell(row: Any, column: str, formats: dict[str, Callable[[object], str]]) -> str:
    """A cell of the Questions table; a version only reviews asked has one cell, its review
    count, where the first-try figures would be."""
    if column not in _FIRST_TRY_COLUMNS or not _reviews_only(row):
        return _td(column, getattr(row, column), formats)
    if column != _FIRST_TRY_COLUMNS[0]:
        return ""
    return f'<td colspan="{len(_FIRST_TRY_COLUMNS)}" class="muted">{_reviews_note(row)}</td>'


def _question_chart(questions: pd.DataFrame, versions: list[str]) -> str:
    """Grouped bars: how many got it wrong first, and how many of those then fixed it."""
    left, scale, pitch, top = 190, 430, 44, 30
    height = top + pitch * len(questions) + 8
    parts = [_axis(left, scale, top, height)]
    for i, (version, row) in enumerate(
        zip(versions, questions.itertuples(index=False), strict=True)
    ):
        y = top + i * pitch + 6
        name = _plain(row.question)
        label = f"{_short(name, 20)} v{version[:4]}" if version else _short(name)
        if version:
            name += f" (version {version})"
        if _reviews_only(row):
            parts.append(
                f"<g><title>{_e(name)}: {_reviews_note(row)}</title>"
                f'<text x="{left - 8}" y="{y + 12}" text-anchor="end">{_e(label)}</text>'
                f'<text class="muted" x="{left + 4}" y="{y + 19}">{_reviews_note(row)}</text></g>'
            )
            continue
        if _not_attempted(row):
            parts.append(
                f"<g><title>{_e(name)}: {_NOT_ATTEMPTED}</title>"
                f'<text x="{left - 8}" y="{y + 12}" text-anchor="end">{_e(label)}</text>'
                f'<text class="muted" x="{left + 4}" y="{y + 19}">{_NOT_ATTEMPTED}</text></g>'
            )
            continue
        parts.append(
            f"<g><title>{_e(name)}: first-try error {_pct(row.first_try_error)}, "
            f"corrected {_pct(row.corrected)}, {_count(row.attempted)} attempted</title>"
            f'<text x="{left - 8}" y="{y + 12}" text-anchor="end">{_e(label)}</text>'
            f'<text class="muted" x="{left - 8}" y="{y + 27}" text-anchor="end">'
            f"{_count(row.attempted)} attempted</text>"
            + _bar(left, y, scale, row.first_try_error, "err", _NOT_ATTEMPTED)
            + _bar(left, y + 16, scale, row.corrected, "fix", "no first errors")
            + "</g>"
        )
    desc = "; ".join(
        f"{_plain(r.question)}: {_reviews_note(r)}"
        if _reviews_only(r)
        else f"{_plain(r.question)}: {_NOT_ATTEMPTED}"
        if _not_attempted(r)
        else f"{_plain(r.question)}: {_pct(r.first_try_error)} wrong at first, "
        f"{_pct(r.corrected)} of them corrected"
        for r in questions.itertuples(index=False)
    )
    legend = _legend([("--err", "first-try error"), ("--fix", "corrected (of first errors)")])
    svg = _svg("qchart", 720, height, "First-try error and corrected rate per question", desc)
    return (
        f"<figure>{legend}{svg}{''.join(parts)}</svg>"
        "<figcaption>Each question has two bars: the share of students whose first attempt "
        "was wrong, and the share of those who later got it right.</figcaption></figure>"
    )


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
    formats = {"first_try_error": _pct, "delayed_retention": _pct, "review_flag": _verdict}
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
    left, scale, pitch, top = 190, 430, 34, 8
    height = top + pitch * len(counts) + 4
    parts = []
    for i, row in enumerate(counts.itertuples()):
        y = top + i * pitch
        parts.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{_e(row.Index)}</text>')
        x = float(left)
        for column, css in (("right", "ok"), ("fixed", "fix"), ("open", "open")):
            width = scale * getattr(row, column) / row.first if row.first else 0.0
            parts.append(
                f'<rect class="{css}" x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="18">'
                f"<title>{_e(row.Index)}: {getattr(row, column)} "
                f"{CONFIDENCE_TERMS[column][0].lower()}</title></rect>"
            )
            x += width
        parts.append(
            f'<text class="muted" x="{left + scale + 8}" y="{y + 17}">n = {row.first}</text>'
        )
    desc = "; ".join(
        f"{level}: {r.first} first attempts, {r.right} right, {r.wrong} wrong of which "
        f"{r.fixed} later corrected"
        for level, r in counts.iterrows()
    )
    legend = _legend(
        [("--ok", "right"), ("--fix", "wrong, later corrected"), ("--open", "wrong, still open")]
    )
    svg = _svg("cchart", 720, height, "First attempts by stated confidence", desc)
    figure = f"<figure>{legend}{svg}{''.join(parts)}</svg></figure>"
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


def _student_section(students: pd.DataFrame, failed: set[str]) -> str:
    head = '<section aria-labelledby="students"><h2 id="students">Students</h2>'
    if students.empty:
        return head + "<p>No students yet.</p></section>"
    columns = [
        "corrected",
        "not_corrected",
        "reflections",
        "hints",
        "first_try_correct",
        "attempted",
        "reviewed",
        "delayed_retention",
        "return_errors",
        "returned_same",
    ]
    if "hub_confirmed" in students.columns:
        columns.append("hub_confirmed")
    formats = {"delayed_retention": _pct, "hub_confirmed": _pct}
    rows = []
    for row in students.itertuples(index=False):
        name = _e(_plain(row.student))
        if _plain(row.student) in failed:
            name += (
                ' <span class="badge" title="At least one of this student\'s log files failed '
                'verification: see Problems.">log failed verification</span>'
            )
        cells = "".join(
            f'<td class="n">{formats.get(c, _count)(getattr(row, c))}</td>' for c in columns
        )
        rows.append(f'<tr><th scope="row">{name}</th>{cells}</tr>')
    header = '<th scope="col">Student</th>' + "".join(
        _th(*{**STUDENT_TERMS, **REVIEW_TERMS, **HUB_TERMS}[c], numeric=True) for c in columns
    )
    note = ""
    if failed:
        note = (
            '<p>Students marked <span class="badge">log failed verification</span> have a log '
            "that was edited, cut or shuffled after it was written, or has unreadable lines. "
            "Their numbers come from the lines that could be read.</p>"
        )
    return (
        head
        + note
        + _table(
            "A good error is a first-try error the student later corrected. Reviews count "
            "each question once, from the student's first try at it.",
            header,
            rows,
        )
        + "</section>"
    )


def _hub_section(hub: pd.DataFrame, include_unconfirmed: bool) -> str:
    """Per student, how much of their events the school's hub service received: a copy
    kept out of the student's reach, which confirms the lines of their own log."""
    if hub.empty:
        return ""
    rows = "".join(
        f'<tr><th scope="row">{_e(_plain(r.student))}</th>'
        f'<td class="n">{_pct(r.hub_confirmed)}</td><td class="n">{_count(r.received)}</td>'
        f'<td class="n">{_count(r.unconfirmed)}</td><td class="n">{_count(r.altered)}</td>'
        f'<td class="n">{_count(r.hub_only)}</td></tr>'
        for r in hub.itertuples(index=False)
    )
    header = '<th scope="col">Student</th>' + "".join(
        _th(label, definition, numeric=True)
        for label, definition in (
            ("Confirmed", HUB_TERMS["hub_confirmed"][1]),
            ("Received by the hub", "Distinct events the hub service holds: they count."),
            ("Never received", "Distinct events of the student's logs the hub never received."),
            ("Edited since sent", "Events whose line in the student's log differs from the hub's."),
            ("Only at the hub", "Events the hub holds that none of the student's logs has."),
        )
    )
    counted = (
        "are counted in this report, as <code>--include-unconfirmed</code> asked"
        if include_unconfirmed
        else "are left out of this report and of grades (<code>--include-unconfirmed</code> "
        "counts them)"
    )
    note = (
        "<p>The school's hub service received a copy of each event as it was written. For "
        "these students, the hub's copy is what counts: an event their own log lacks (cut "
        "or deleted) still counts from it, and a line they edited after sending counts as "
        "it was sent. Lines of their logs the hub never received (forged, or written while "
        f"the service could not be reached and never sent) {counted}. Students not listed "
        "here have no copy at the hub: their logs count as they are.</p>"
    )
    return (
        '<section aria-labelledby="hub"><h2 id="hub">Confirmed by the school\'s hub</h2>'
        + note
        + _table("Per student: the share of their events the hub confirmed.", header, rows)
        + "</section>"
    )


def _flag_section(flags: pd.DataFrame) -> str:
    """What the collection ledger flags: it sees what a log alone cannot (cut lines, a
    recomputed chain, another student's lines in a home)."""
    if flags.empty:
        return ""
    rows = "".join(
        f"<tr><td><code>{_e(_plain(r.file))}</code></td>"
        f"<td>{_e(_plain(r.student if isinstance(r.student, str) else ''))}</td>"
        f"<td>{_e(_plain(r.kind))}</td><td>{_e(_plain(r.detail))}</td></tr>"
        for r in flags.itertuples(index=False)
    )
    left_out = int(flags.loc[flags["left_out"], "file"].nunique())
    note = (
        f"<p>{left_out:,} flagged log {'copy is' if left_out == 1 else 'copies are'} left out "
        "of grades (<code>guessfirst grades --include-flagged</code> counts them); this "
        "report still shows every line.</p>"
        if left_out
        else ""
    )
    if flags["kind"].isin(_flags.HUB).any():
        note += (
            "<p>Flags <code>unconfirmed</code>, <code>altered-since-sent</code> and "
            "<code>hub-only</code> come from the comparison with the school's hub: see "
            '<a href="#hub">Confirmed by the school\'s hub</a>.</p>'
        )
    header = (
        '<th scope="col">Copy</th><th scope="col">Student</th>'
        '<th scope="col">Flag</th><th scope="col">Detail</th>'
    )
    return (
        '<section aria-labelledby="flags"><h2 id="flags">Flagged by the collection ledger</h2>'
        + note
        + _table("What changed in a log between collections, or whose it is.", header, rows)
        + "</section>"
    )


def _problem_section(problems: pd.DataFrame, files: pd.DataFrame) -> str:
    head = '<section aria-labelledby="problems"><h2 id="problems">Problems</h2>'
    if problems.empty:
        return head + "<p>Every line of every log file could be read and verified.</p></section>"
    shown = problems.head(PROBLEM_ROWS)
    rows = "".join(
        f"<tr><td><code>{_e(_plain(r.file))}</code></td>"
        f'<td class="n">{_count(r.line)}</td>'
        f"<td>{_kind(_plain(r.kind))}</td>"
        f"<td>{_e(_plain(r.detail))}</td></tr>"
        for r in shown.itertuples(index=False)
    )
    rest = len(problems) - len(shown)
    more = (
        f"<p>…and {rest:,} more; <code>guessfirst verify</code> lists them all.</p>" if rest else ""
    )
    broken = files.loc[~files["intact"].astype(bool)] if len(files) else files
    summary = ""
    if len(broken):
        summary = (
            f"<p>{len(broken):,} of {len(files):,} log files failed verification; "
            "lines that are skipped do not count, every other line still does.</p>"
        )
    header = (
        '<th scope="col">File</th><th scope="col" class="n">Line</th>'
        '<th scope="col">Kind</th><th scope="col">Detail</th>'
    )
    return (
        head
        + summary
        + _table("Bad lines and breaks of the hash chain, by file and line.", header, rows)
        + f"{more}</section>"
    )


def _glossary(zone: str) -> str:
    groups: list[tuple[str, Iterable[tuple[str, str, str]]]] = [
        ("Per question", ((k, *v) for k, v in QUESTION_TERMS.items())),
        ("Spaced review", ((k, *v) for k, v in REVIEW_TERMS.items())),
        ("Confidence", ((k, *v) for k, v in CONFIDENCE_TERMS.items())),
        ("Wrong answers", ((k, *v) for k, v in WRONG_TERMS.items())),
        ("Per student", ((k, *v) for k, v in STUDENT_TERMS.items())),
        ("Problems", ((k, k, v) for k, v in PROBLEM_TERMS.items())),
    ]
    notes = {
        "Spaced review": "<p>A review is an attempt the student made when a question came back "
        "on a later day; it is never a first try, even when it asks a variant of the question "
        "(another version, whose count it starts). Nor is an answer that could not be checked "
        "in time: the student saw no verdict. In the Questions table a first-try error is a "
        "version's wrong first try; a version answered only in reviews shows how many "
        "students reviewed it instead. Per student and in the Spaced review table a question "
        "counts once, from the student's first try at it: their earliest attempt at any "
        f"version outside a review that got a verdict. A day is a calendar date in {_e(zone)}."
        "</p>"
    }
    parts = ['<section aria-labelledby="terms"><h2 id="terms">Definitions</h2>']
    for heading, terms in groups:
        items = "".join(
            f"<dt>{_e(label)}"
            + (f' <code class="muted">{_e(key)}</code>' if key != label else "")
            + f"</dt><dd>{_e(text)}</dd>"
            for key, label, text in terms
        )
        parts.append(f'<h3>{heading}</h3><dl class="terms">{items}</dl>{notes.get(heading, "")}')
    parts.append(
        "<p>Confidence steps as the student saw them: Just guessing 0, Unsure 1/3, Fairly "
        "sure 2/3, Certain 1. Column names in <code>code</code> are those of the CSV files.</p>"
        "</section>"
    )
    return "".join(parts)


def _svg(ident: str, width: int, height: int, title: str, desc: str) -> str:
    """An opening <svg> tag with the accessible name and description a screen reader reads."""
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{_e(title)}</title><desc id="{ident}-d">{_e(desc)}</desc>'
    )


def _axis(left: int, scale: int, top: int, bottom: int) -> str:
    ticks = []
    for step in range(5):
        x = left + scale * step / 4
        ticks.append(
            f'<line class="grid" x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}"/>'
            f'<text class="muted" x="{x:.1f}" y="{top - 10}" text-anchor="middle">'
            f"{step * 25}%</text>"
        )
    return "".join(ticks)


def _bar(x: int, y: int, scale: int, share: object, css: str, empty: str) -> str:
    if pd.isna(share):
        return f'<text class="muted" x="{x + 4}" y="{y + 11}">{empty}</text>'
    width = scale * float(share)
    return (
        f'<rect class="{css}" x="{x}" y="{y}" width="{width:.1f}" height="13"/>'
        f'<text x="{x + width + 6:.1f}" y="{y + 11}">{_pct(share)}</text>'
    )


def _legend(entries: list[tuple[str, str]]) -> str:
    spans = "".join(
        f'<span style="--swatch: var({var})">{_e(label)}</span>' for var, label in entries
    )
    return f'<p class="legend" aria-hidden="true">{spans}</p>'


def _table(caption: str, header: str, rows: Iterable[str]) -> str:
    """A table that scrolls sideways on a narrow screen instead of squeezing its columns."""
    return (
        f'<div class="scroll"><table><caption>{caption}</caption>'
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _td(column: str, value: object, formats: dict[str, Callable[[object], str]]) -> str:
    """A cell of ``column``, formatted as ``formats`` says (a count otherwise); only the
    verdict is words, and words are not aligned as numbers are."""
    text = formats.get(column, _count)(value)
    return f"<td>{text}</td>" if column == "review_flag" else f'<td class="n">{text}</td>'


def _th(label: str, definition: str, *, numeric: bool = False) -> str:
    css = ' class="n"' if numeric else ""
    return f'<th scope="col"{css}><abbr title="{_e(definition)}">{_e(label)}</abbr></th>'


def _versions(questions: pd.DataFrame) -> list[str]:
    """Each row's question version, or "" where the question has just one, as most do."""
    several = questions.groupby("question")["qversion"].transform("nunique") > 1
    return [
        _plain(version) if many else ""
        for version, many in zip(questions["qversion"], several, strict=True)
    ]


def _names(names: list[str]) -> str:
    shown = ", ".join(_e(name) for name in names[:NAMED_STUDENTS])
    rest = len(names) - NAMED_STUDENTS
    return f"{shown} and {rest:,} more" if rest > 0 else shown


def _key(value: object) -> str:
    return (
        f"<code>{_e(_plain(value))}</code>"
        if not pd.isna(value)
        else '<span class="muted">—</span>'
    )


def _kind(kind: str) -> str:
    """A problem kind, with its explanation on hover when it is one this report knows."""
    if kind not in PROBLEM_TERMS:
        return _e(kind)
    return f'<abbr title="{_e(PROBLEM_TERMS[kind])}">{_e(kind)}</abbr>'


def _time(value: object) -> str:
    return "—" if pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M} UTC"


def _pct(value: object) -> str:
    return "—" if pd.isna(value) else f"{float(value):.0%}"


def _points(value: object) -> str:
    return "—" if pd.isna(value) else f"{float(value) * 100:+.0f} pts"


def _num(value: object) -> str:
    return "—" if pd.isna(value) else f"{float(value):g}"


def _verdict(value: object) -> str:
    return "—" if pd.isna(value) else _e(value)


def _count(value: object) -> str:
    return "—" if pd.isna(value) else f"{int(value):,}"


def _plain(value: object) -> str:
    return "" if pd.isna(value) else str(value)


def _short(text: str, chars: int = _LABEL_CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)
