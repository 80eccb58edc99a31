"""How long the worst question banks take to be refused or loaded, and their peak memory.

    python bench/bench_bank.py

Each bank is loaded by ``gf.load`` in a fresh interpreter, twice: once timed, with the
process's peak resident memory (``ru_maxrss``, importing guessfirst included), and once
under ``tracemalloc``, for the peak of what loading the bank itself allocated.

- Hostile banks (a 2 MB zlib bomb unpacking to 2 GB, lists nested 10,000 deep, numbers of
  5,000 digits, a sealed file of 15 MiB of numbers) must be a ``BankError`` in well under
  a second and a few MB.
- A large real bank (the notebooks' 9-question lesson for each of 100 school days) and
  its sealed copy load.
- Banks at each bound of ``guessfirst.bank._bounds`` load in seconds and tens of MB.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from guessfirst import bank
from guessfirst.bank import _bounds, _sealed

LESSON = Path(__file__).parents[1] / "notebooks" / "bank-lesson.md"

_MEASURE = """
import json, resource, sys, time, tracemalloc
import guessfirst as gf
from guessfirst import bank
path, traced = sys.argv[1], sys.argv[2] == "traced"
if traced:
    tracemalloc.start()
began = time.perf_counter()
try:
    outcome = f"loaded {len(gf.load(path)):,} questions"
except bank.BankError as error:
    outcome = "BankError: " + str(error).split(": ", 1)[1]
except BaseException as error:  # what the bench is here to catch
    outcome = f"{type(error).__name__}: {error}"
seconds = time.perf_counter() - began
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
print(json.dumps({"seconds": seconds, "rss_mb": rss, "peak_mb": peak, "outcome": outcome}))
"""

#: JSON unpacking to 2 GB: a list of no questions, and 2 GB of padding (one 1 MiB chunk).
BOMB = [b'{"questions": [], "pad": "', *[b"a" * 2**20] * 2048, b'"}']
DEEP = [b'{"questions": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"]
REAL = "a large real bank (900 questions)"


def question(front: str, body: str = "What is it?") -> str:
    return f"---\n{front}\n---\n{body}\n"


def school_year(days: int = 100) -> str:
    """The notebooks' lesson once a day: each question's id made that day's own."""
    lesson = LESSON.read_text(encoding="utf-8")
    return "".join(re.sub(r"(?m)^id: (\S+)$", rf"id: \1-day{day}", lesson) for day in range(days))


def sealed(plain: Iterable[bytes], path: Path) -> Path:
    """A sealed file of these bytes with a valid check, as anyone can make one."""
    digest, packer, packed = hashlib.sha256(), zlib.compressobj(9), []
    for chunk in plain:
        digest.update(chunk)
        packed.append(packer.compress(chunk))
    packed.append(packer.flush())
    check = digest.hexdigest()[:32]
    envelope = {
        "format": "guessfirst sealed question bank",
        "version": 2,
        "sealed_from": "bomb.md",
        "questions": [],
        "check": check,
        "data": base64.b64encode(_sealed._scramble(b"".join(packed), check)).decode("ascii"),
    }
    path.write_text(json.dumps(envelope), encoding="utf-8")
    return path


def markdown() -> dict[str, str]:
    numeric = "id: q\nkind: numeric\nanswer: 3"
    tests = "".join(f"  - f({t}) == {t}\n" for t in range(1000)).rstrip("\n")
    return {
        "choices: nested 10,000 deep": question(
            "id: q\nkind: choice\nchoices: " + "[" * 10_000 + "]" * 10_000
        ),
        "choices: nested 1,000 deep": question(
            "id: q\nkind: choice\nchoices: " + "[" * 1000 + "]" * 1000
        ),
        "fade: 5,000 digits": question(f"{numeric}\nfade: {'9' * 5000}"),
        "attempts: 2,000 digits": question(
            f"{numeric}\nmode: quiz\nkey: k\nattempts: {'9' * 2000}"
        ),
        "timeout: 1e999": question("id: q\nkind: code\ntests:\n  - f(1) == 1\ntimeout: 1e999"),
        "tol: 1e99999999": question(f"{numeric}\ntol: 1e99999999"),
        "a snippet of 1+1+...+1 (9,000 deep)": question(
            "id: q\nkind: predict", "Q?\n## Code\n```\nx = " + "1+" * 9000 + "1\n```"
        ),
        REAL: school_year(),
        f"bound: {_bounds.MAX_QUESTIONS:,} questions": "".join(
            question(f"id: q{n}\nkind: text\nanswer: a", "Q?") for n in range(_bounds.MAX_QUESTIONS)
        ),
        f"bound: {_bounds.MAX_PARTS:,} code tests": "".join(
            question(f"id: q{n}\nkind: code\ntests:\n{tests}")
            for n in range(_bounds.MAX_PARTS // 1000)
        ),
        f"bound: {_bounds.MAX_LINES:,} lines": question(numeric) + "\n" * (_bounds.MAX_LINES - 6),
        f"bound: {_bounds.mib(_bounds.MAX_BANK_BYTES)} in one prompt": question(
            numeric, "Q" * (_bounds.MAX_BANK_BYTES - 40)
        ),
    }


def banks(folder: Path) -> dict[str, Path]:
    """Each bank to measure, written into ``folder``."""
    paths = {}
    for number, (name, text) in enumerate(markdown().items()):
        paths[name] = folder / f"bank{number}.md"
        paths[name].write_text(text, encoding="utf-8")
    for name in (REAL, f"bound: {_bounds.MAX_PARTS:,} code tests"):
        paths[f"{name}, sealed"] = bank.seal(paths[name], folder / f"{paths[name].stem}.gfq")
    paths["a 2 MB zlib bomb (2 GB unpacked), sealed"] = sealed(BOMB, folder / "bomb.gfq")
    paths["questions nested 100,000 deep, sealed"] = sealed(DEEP, folder / "deep.gfq")
    # The envelope is JSON read before anything else: a file at the bound, all numbers.
    numbers = folder / "numbers.gfq"
    count = _bounds.MAX_SEALED_FILE_BYTES // 4 - 100
    numbers.write_text('{"pad": [' + "1e1," * count + "1]}", encoding="utf-8")
    paths[f"bound: {_bounds.mib(_bounds.MAX_SEALED_FILE_BYTES)} of numbers, sealed"] = numbers
    return paths


def measure(path: Path, traced: bool) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), "traced" if traced else "timed"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(out.stdout)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = banks(Path(folder))
        print(f"{'bank':<50} {'file':>10} {'seconds':>8} {'load MB':>7} {'RSS MB':>6}  outcome")
        for name, path in paths.items():
            timed, traced = measure(path, traced=False), measure(path, traced=True)
            print(
                f"{name:<50} {path.stat().st_size / 2**20:>6.2f} MiB {timed['seconds']:>8.3f} "
                f"{traced['peak_mb']:>7.1f} {timed['rss_mb']:>6.0f}  {timed['outcome'][:70]}"
            )


if __name__ == "__main__":
    main()
