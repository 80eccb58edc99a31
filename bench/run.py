"""Print guessfirst's performance figures, each against a baseline in the same run.

    python bench/run.py

- import time of ``guessfirst`` with its question widgets, as a ratio to importing
  ``anywidget`` alone (goal <= 1.2x);
- events appended per second, one writer and 8 writer processes on one file, with the
  count of lines lost or damaged (goal: 0);
- `guessfirst report` on 1,000 logs holding 1,000,000 events: cold, as a ratio to the floor
  (a DuckDB scan-and-group of the same files plus a sha256 of every line; goal <= 1.5x),
  and warm after 1% new lines in 10% of the files, as a ratio to the cold report (goal
  <= 0.15x), with each one's peak memory (goal <= 1 GiB);
- the live dashboard of a class of 40 students: the kernel's time for a refresh with
  nothing new (goal <= 20 ms) and after one student's 10 new events (goal <= 100 ms);
- in JupyterLab and Chromium, the question widget's submit-to-feedback (goal: median
  <= 100 ms and <= 1.5x an ipywidgets Button) and cell-to-interactive times (goal <= 1.5x
  an ipywidgets VBox), each within its goal in at least 9 of 10 runs
  (`bench/bench_browser.py --runs 10`; here one run).
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_browser
import bench_dashboard
import bench_log
import bench_report

_TIMED_IMPORT = "import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
#: What a lesson's first cell costs: the widgets load on first use, so touch one.
_STUDENT_IMPORT = "import guessfirst; guessfirst.Numeric"


def import_seconds(code: str) -> float:
    """One cold import in a fresh interpreter, timed inside it (startup excluded)."""
    out = subprocess.run(
        [sys.executable, "-c", _TIMED_IMPORT.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip())


def import_ratio(rounds: int = 15) -> tuple[float, float, float]:
    """Median import seconds of anywidget and guessfirst, interleaved so drift hits both.

    Both are measured from bytecode, as pip leaves an installed wheel: a source checkout
    (or PYTHONDONTWRITEBYTECODE) would otherwise charge guessfirst for compiling itself.
    """
    import guessfirst

    compileall.compile_dir(Path(guessfirst.__file__).parent, quiet=1)
    base, ours = [], []
    for _ in range(rounds):
        base.append(import_seconds("import anywidget"))
        ours.append(import_seconds(_STUDENT_IMPORT))
    b, o = statistics.median(base), statistics.median(ours)
    return b, o, o / b


def main() -> None:
    base, ours, ratio = import_ratio()
    print(f"import anywidget: {base * 1000:.0f} ms (median of 15)")
    print(f"import guessfirst: {ours * 1000:.0f} ms (median of 15)")
    print(f"import ratio guessfirst/anywidget: {ratio:.2f}x (goal <= 1.20x)")
    bench_log.main()
    bench_report.main([])
    bench_dashboard.main([])
    bench_browser.main([])


if __name__ == "__main__":
    main()
