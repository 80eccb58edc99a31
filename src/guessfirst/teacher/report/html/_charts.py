"""The report's charts, drawn by hand as inline SVG with an accessible name each."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._format import _count, _e, _pct, _plain, _real, _short
from ._terms import CONFIDENCE_TERMS


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
    width = scale * _real(share)
    return (
        f'<rect class="{css}" x="{x}" y="{y}" width="{width:.1f}" height="13"/>'
        f'<text x="{x + width + 6:.1f}" y="{y + 11}">{_pct(share)}</text>'
    )


def _legend(entries: list[tuple[str, str]]) -> str:
    spans = "".join(
        f'<span style="--swatch: var({var})">{_e(label)}</span>' for var, label in entries
    )
    return f'<p class="legend" aria-hidden="true">{spans}</p>'


#: A version shown but with no first try yet: it has no share wrong first to draw.
_NOT_ATTEMPTED = "not attempted yet"


def _reviews_only(row: Any) -> bool:
    """A version nobody met outside a review: a variant only reviews asked."""
    attempted, reviewing = row.attempted, row.students_reviewing
    return not pd.isna(reviewing) and reviewing > 0 and (pd.isna(attempted) or attempted == 0)


def _not_attempted(row: Any) -> bool:
    """A version with no judged first try: nobody can have got it wrong first."""
    return pd.isna(row.first_try_error)


def _reviews_note(row: Any) -> str:
    count = int(row.students_reviewing)
    return f"only in reviews: {count:,} student{'s' if count != 1 else ''}, no first tries"


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


def _confidence_chart(counts: pd.DataFrame) -> str:
    """Stacked bars per confidence step: right, wrong then corrected, wrong and still open."""
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
    return figure
