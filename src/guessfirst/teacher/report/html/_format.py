"""Cells, headings and tables: every value from a log reaches the page escaped, as text."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import SupportsFloat, SupportsInt, TypeGuard

import pandas as pd

_LABEL_CHARS = 26


NAMED_STUDENTS = 50


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


def _time(value: object) -> str:
    return "—" if pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M} UTC"


# Which cell types make a number, found once per type: a check against a protocol looks
# through the class's members each time, and a page has thousands of cells.
_REAL: dict[type, bool] = {}
_WHOLE: dict[type, bool] = {}


def _makes_real(value: object) -> TypeGuard[SupportsFloat | str]:
    kind = type(value)
    if kind not in _REAL:
        _REAL[kind] = issubclass(kind, SupportsFloat | str)
    return _REAL[kind]


def _makes_whole(value: object) -> TypeGuard[SupportsInt | str]:
    kind = type(value)
    if kind not in _WHOLE:
        _WHOLE[kind] = issubclass(kind, SupportsInt | str)
    return _WHOLE[kind]


def _real(value: object) -> float:
    """A cell's number: the frames hold numpy scalars and Python numbers, all with __float__."""
    if not _makes_real(value):
        raise TypeError(f"not a number: {value!r}")
    return float(value)


def _pct(value: object) -> str:
    return "—" if pd.isna(value) else f"{_real(value):.0%}"


def _points(value: object) -> str:
    return "—" if pd.isna(value) else f"{_real(value) * 100:+.0f} pts"


def _num(value: object) -> str:
    return "—" if pd.isna(value) else f"{_real(value):g}"


def _verdict(value: object) -> str:
    return "—" if pd.isna(value) else _e(value)


def _count(value: object) -> str:
    if pd.isna(value):
        return "—"
    if not _makes_whole(value):
        raise TypeError(f"not a count: {value!r}")
    return f"{int(value):,}"


def _plain(value: object) -> str:
    return "" if pd.isna(value) else str(value)


def _short(text: str, chars: int = _LABEL_CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)
