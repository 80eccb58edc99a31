"""The slowest submit the hostile-input suite sees, per kind of question, against its limit.

    python bench/bench_hostile.py [EXAMPLES]

Runs ``tests/test_hostile_suite.py`` (Hypothesis: generated answers per kind, a grammar of
formulas for expressions) with EXAMPLES answers per kind (default 2,000) and prints, per
kind, how many answers were given and the slowest submit, beside the check's time limit
(1 s, plus a code question's own run limits). The suite asserts that every answer comes
back; this prints how fast.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
_LINE = re.compile(r"^(\w+): (\d+) answers, slowest ([\d.]+) s$", re.M)


def main(examples: int = 2000) -> None:
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:nbval",
            "-o",
            "addopts=",
            "-W",
            "ignore",
            "tests/test_hostile_suite.py",
        ],
        cwd=ROOT,
        env={**os.environ, "GUESSFIRST_HOSTILE_EXAMPLES": str(examples)},
        capture_output=True,
        text=True,
        check=False,
    )
    rows = _LINE.findall(ran.stdout)
    if ran.returncode != 0 or not rows:
        sys.exit(ran.stdout[-3000:] + ran.stderr[-3000:])
    print(f"{'kind':<12}{'answers':>9}{'slowest submit':>17}   limit")
    for kind, answers, slowest in rows:
        limit = "1 s + 0.55 s per test case" if kind == "code" else "1 s"
        print(f"{kind:<12}{int(answers):>9,}{float(slowest):>15.3f} s   {limit}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
