"""What the commands print, and how: escaped, counted in words, in columns, with a bar.

Everything printed that came from a log (ids, file names, details) goes through
:func:`clean` first: a log is student-controlled and must not be able to drive the
teacher's terminal. Standard library only.
"""

from __future__ import annotations

import math
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TextIO

_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: The widest a student or question id is shown in a summary before it is cut.
ID_WIDTH = 32
#: The most rows a summary lists before "... and N more".
SUMMARY_ROWS = 20
#: The most students named on one line before "and N more".
NAMED_STUDENTS = 10
BAR_WIDTH = 30
#: Seconds a run must last before a progress bar appears: short runs stay quiet.
BAR_DELAY = 0.5


def clean(text: object, width: int | None = None) -> str:
    """``text`` from a log made safe to print: no control or formatting characters.

    They are shown as escapes (``\\x1b``, ``\\r``, ``\\u202e``) rather than dropped, so a
    teacher can see that an id carried them. A ``width`` cuts the result with an ellipsis.
    """
    shown = "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in _ESCAPED_CATEGORIES
        else char
        for char in str(text)
    )
    if width is not None and len(shown) > width:
        return shown[: width - 1] + "…"
    return shown


def names(listed: Iterable[object]) -> str:
    """A short, cleaned list of names: a class of 1,000 must not flood the terminal."""
    every = list(listed)
    shown = ", ".join(clean(name, ID_WIDTH) for name in every[:NAMED_STUDENTS])
    extra = len(every) - NAMED_STUDENTS
    return shown + (f" and {extra} more" if extra > 0 else "")


def share(value: object) -> str:
    """A fraction as a whole percentage; ``-`` where there is none (NaN, missing)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "-"
    return "-" if math.isnan(number) else f"{number:.0%}"


def plural(count: int, word: str, words: str | None = None) -> str:
    return word if count == 1 else (words or word + "s")


def counted(count: int, word: str, words: str | None = None) -> str:
    """``3 students``, ``1 student``: a count and its noun."""
    return f"{count} {plural(count, word, words)}"


def shown_path(file: object) -> str:
    """``file`` relative to the current folder when it is inside it: shorter to read."""
    path = Path(str(file))
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Lines of aligned columns: the first to the left (a label), the others to the right.

    Cells are printed as given: clean them first.
    """
    body = [list(row) for row in rows]
    widths = [max(len(cell) for cell in column) for column in zip(header, *body, strict=True)]
    return [
        "  ".join(
            f"{cell:<{width}}" if column == 0 else f"{cell:>{width}}"
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in [list(header), *body]
    ]


def say(text: str, stream: TextIO | None = None) -> None:
    """Print ``text``; characters the stream cannot encode become escapes, not a crash."""
    stream = stream or sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    print(text.encode(encoding, "backslashreplace").decode(encoding), file=stream)


def say_lines(lines: Iterable[str]) -> None:
    for line in lines:
        say(line)


def progress_bar(stream: TextIO, label: str = "Reading logs") -> Callable[[int, int], None] | None:
    """A ``progress`` callback drawing a bar on ``stream``, or None when it is not a terminal.

    Pipes, files and CI logs get nothing. On a terminal the bar waits for BAR_DELAY
    seconds, so a short run prints no bar at all, and it erases itself when done.
    """
    if not getattr(stream, "isatty", lambda: False)():
        return None
    started = time.monotonic()
    drawn = ""

    def draw(done: int, total: int) -> None:
        nonlocal drawn
        if done >= total:
            if drawn:
                stream.write("\r" + " " * len(drawn) + "\r")
                stream.flush()
            return
        if drawn or time.monotonic() - started >= BAR_DELAY:
            filled = BAR_WIDTH * done // total
            drawn = f"{label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}"
            stream.write("\r" + drawn)
            stream.flush()

    return draw
