from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def _table_fields(markdown: str) -> set[str]:
    """The field names a Markdown table defines: the backticked name opening each row."""
    import re

    return set(re.findall(r"^\| `(\w+)`", markdown, re.M))


def test_the_project_format_keeps_the_shared_contract_and_only_extends_it():
    """docs/EVENTS.md is the shared contract word for word, then this project's additions,
    and the additions define no field of the contract anew."""
    shared = ROOT.parent / "shared" / "EVENTS.md"
    if not shared.exists():
        pytest.skip("no shared/ folder beside this clone")
    contract = shared.read_text(encoding="utf-8")
    ours = (ROOT / "docs" / "EVENTS.md").read_text(encoding="utf-8")
    assert ours.startswith(contract), "docs/EVENTS.md must begin with the shared contract"
    extension = ours[len(contract) :]
    assert "# This project's extensions" in extension
    redefined = _table_fields(extension) & _table_fields(contract)
    assert not redefined, f"the extension defines contract fields again: {sorted(redefined)}"


def test_readme_gives_exactly_two_setup_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("Set-up from a fresh clone")[1].split("```bash")[1].split("```")[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make lesson", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_the_simulated_class_in_the_readme_makes_clean_logs(tmp_path, monkeypatch):
    import runpy

    from guessfirst import report

    simulator = runpy.run_path(str(ROOT / "docs" / "example_class.py"))
    simulator["simulate"](tmp_path / "demo-logs", students=4)
    logs = report.read(tmp_path / "demo-logs")
    assert logs.problems.empty and bool(logs.files["intact"].all())
    assert logs.events["student"].nunique() == 4
    assert set(logs.events["type"].astype(str)) >= {"shown", "attempt", "reveal"}


def test_the_readme_bank_example_is_a_bank_that_loads(tmp_path):
    from guessfirst import bank

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("`````text\n")[1].split("\n`````")[0]
    source = tmp_path / "lesson3.md"
    source.write_text(example, encoding="utf-8")
    loaded = bank.load(source)
    assert loaded.ids == ("speed", "bigger", "equal", "bottom")
    assert loaded["speed"].hints and loaded["bottom"].answers() == ["denominator"]
    assert bank.load(bank.seal(source)).ids == loaded.ids


def test_the_readme_question_examples_run(tmp_path):
    """Every example question in the README is built as written, in a fresh interpreter."""
    import os
    import re
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    needs_files = ("lesson.", "mo.ui", "gf.load", "Dashboard", "report.")
    runnable = [b for b in blocks if "gf." in b and not any(n in b for n in needs_files)]
    assert len(runnable) >= 4, "the README's question examples were not found"
    head = "import guessfirst as gf\nfrom datetime import datetime\nfrom zoneinfo import ZoneInfo\n"
    env = {**os.environ, "GUESSFIRST_STUDENT": "reader", "GUESSFIRST_LOG_DIR": str(tmp_path)}
    ran = subprocess.run(
        [sys.executable, "-c", head + "\n".join(runnable)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]


def test_the_readme_commands_are_ones_the_cli_accepts():
    """Every `guessfirst ...` line in the README's shell examples parses as written."""
    import re
    import shlex

    from guessfirst import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    commands = [
        line.split("#")[0].strip()
        for block in blocks
        for line in block.replace("\\\n", " ").splitlines()
        if line.strip().startswith("guessfirst ")
    ]
    assert any("--engine spark" in command for command in commands)
    assert any("--lrs" in command for command in commands)
    for command in commands:
        cli._parser().parse_args(shlex.split(command)[1:])
