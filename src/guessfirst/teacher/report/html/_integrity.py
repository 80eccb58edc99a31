"""The sections about people and logs: the summary, students, the hub, flags, problems."""

from __future__ import annotations

import pandas as pd

from .. import _flags
from .._metrics import Activity
from ._charts import _reviews_only
from ._format import _count, _e, _names, _pct, _plain, _table, _th, _time
from ._learned import OPEN_TERMS
from ._terms import HUB_TERMS, PROBLEM_TERMS, REVIEW_TERMS, STUDENT_TERMS
from ._terms import formats as formats_for

_CHAIN_KINDS = frozenset({"edited-or-reordered", "removed"})


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


PROBLEM_ROWS = 200


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
    formats = formats_for("students")
    # The teacher's private line of each student's open misconceptions, when any has one.
    tagged = "open_misconceptions" in students.columns and any(
        _plain(tags) for tags in students["open_misconceptions"]
    )
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
        if tagged:
            cells += f"<td>{_tags(row.open_misconceptions)}</td>"
        rows.append(f'<tr><th scope="row">{name}</th>{cells}</tr>')
    header = '<th scope="col">Student</th>' + "".join(
        _th(*{**STUDENT_TERMS, **REVIEW_TERMS, **HUB_TERMS}[c], numeric=True) for c in columns
    )
    if tagged:
        header += _th(*OPEN_TERMS["open_misconceptions"])
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


def _tags(value: object) -> str:
    """A student's open misconception tags, each as code; a dash for none."""
    tags = [tag for tag in _plain(value).split(" ") if tag]
    return " ".join(f"<code>{_e(tag)}</code>" for tag in tags) or '<span class="muted">—</span>'


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


def _kind(kind: str) -> str:
    """A problem kind, with its explanation on hover when it is one this report knows."""
    if kind not in PROBLEM_TERMS:
        return _e(kind)
    return f'<abbr title="{_e(PROBLEM_TERMS[kind])}">{_e(kind)}</abbr>'
