"""The README and the manual in docs/ stay true: every example in them runs.

Python blocks run in a fresh interpreter (with no student id in the environment, so a page
that answers a question must set one itself, as a reader would have to); every
``guessfirst …`` command line parses with the command's own parser; the example banks load
and seal; the output the teacher's page shows is what the simulated class gives. The hub
guide's blocks are checked by tests/test_docs_hub.py.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
#: The README and every page of the manual.
PAGES = [README, *sorted(DOCS.glob("*.md"))]
#: Blocks that are not run: a reader's own lesson module (a name for any), marimo's
#: front end. Every other block runs, in a folder holding what the pages name: the demo
#: lesson's module, the banks page's bank as lesson3.md, the simulated class as demo-logs/
#: and as collected/.
NOT_RUN = ("my_lesson_questions", "mo.ui")
#: The pages whose python blocks are another test's: hub configuration, run against a
#: stand-in JupyterHub in tests/test_docs_hub.py.
ELSEWHERE = {"deploying-on-jupyterhub.md"}


def text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def blocks(page: Path, language: str) -> list[str]:
    """The page's fenced blocks in ``language``, outside any other fence: a bank example in
    a five-backtick block holds python blocks of its own, which are the bank's text."""
    found: list[str] = []
    fence: str | None = None
    info = ""
    body: list[str] = []
    for line in text(page).splitlines(keepends=True):
        opening = re.match(r"^(`{3,})(\S*)\s*$", line)
        if fence is None:
            if opening:
                fence, info, body = opening.group(1), opening.group(2), []
        elif line.strip() == fence:
            if info == language:
                found.append("".join(body))
            fence = None
        else:
            body.append(line)
    return found


def commands(page: Path) -> list[str]:
    """The ``guessfirst …`` lines of the page's bash blocks and ``$ guessfirst …`` lines of
    its console blocks, without comments."""
    lines = [
        line
        for block in blocks(page, "bash")
        for line in block.replace("\\\n", " ").splitlines()
        if line.strip().startswith("guessfirst ")
    ] + [
        line.strip()[2:]
        for block in blocks(page, "console")
        for line in block.splitlines()
        if line.startswith("$ guessfirst ")
    ]
    return [line.split(" #")[0].strip() for line in lines]


def section(page: Path, heading: str) -> str:
    """The text under a heading, up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    after = text(page).split(f"\n{heading}\n", 1)[1]
    return re.split(rf"\n#{{1,{len(level)}}} ", after, maxsplit=1)[0]


def _table_fields(markdown: str) -> set[str]:
    """The field names a Markdown table defines: the backticked name opening each row."""
    return set(re.findall(r"^\| `(\w+)`", markdown, re.M))


def test_the_project_format_keeps_the_shared_contract_and_only_extends_it():
    """docs/EVENTS.md is the shared contract word for word, then this project's additions,
    and the additions define no field of the contract anew."""
    shared = ROOT.parent / "shared" / "EVENTS.md"
    if not shared.exists():
        pytest.skip("no shared/ folder beside this clone")
    contract = shared.read_text(encoding="utf-8")
    ours = (DOCS / "EVENTS.md").read_text(encoding="utf-8")
    assert ours.startswith(contract), "docs/EVENTS.md must begin with the shared contract"
    extension = ours[len(contract) :]
    assert "# This project's extensions" in extension
    redefined = _table_fields(extension) & _table_fields(contract)
    assert not redefined, f"the extension defines contract fields again: {sorted(redefined)}"


# The README: a front door.


def test_the_readme_is_a_front_door():
    assert len(text(README).splitlines()) <= 250


def test_readme_gives_exactly_two_setup_commands_after_the_clone_and_ci_runs_the_test_one():
    readme = text(README)
    first = blocks(README, "bash")[0]
    assert readme.index(first) < readme.index("\n## Why\n"), "the set-up comes first"
    commands = [line.split("#")[0].strip() for line in first.strip().splitlines()]
    assert commands[0].startswith("git clone ")
    assert commands[1:] == ["make lesson", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    lesson = makefile.split("\nlesson:")[1].split("\n\n")[0]
    assert '".[lab,teacher]"' in lesson, "make lesson installs what the tour needs"
    assert "\ntest: prereqs " in makefile, "make test checks the machine first"


def test_the_readme_names_the_versions_the_prerequisite_check_wants():
    prereqs = (ROOT / "tools" / "prereqs.py").read_text(encoding="utf-8")
    python = re.search(r"^PYTHON = \((\d+), (\d+)\)", prereqs, re.M).groups()
    node = re.search(r"^NODE = \((\d+), (\d+)\)", prereqs, re.M).groups()
    java = re.search(r"^JAVA = (\d+)", prereqs, re.M).group(1)
    setup = section(README, "## Set-up from a fresh clone")
    assert f"Python {'.'.join(python)} or later" in setup
    assert f"Node {'.'.join(node)} or later" in setup
    assert f"Java {java}" in setup and f"openjdk-{java}-jre-headless" in setup
    assert "`chromium`" in setup


def test_no_page_installs_guessfirst_from_pypi_before_it_is_there():
    """Nothing is on PyPI yet: installs are from a clone or from a built wheel."""
    from guessfirst import __version__

    from_pypi = re.compile(r"pip install (?:-U |--upgrade )?[\"']?guessfirst\b")
    for page in PAGES:
        assert not from_pypi.search(text(page)), page.name
        wheels = set(re.findall(r"guessfirst-([\w.]+)-py3-none-any\.whl", text(page)))
        assert wheels <= {__version__, "<version>"}, f"{page.name}: {wheels}"
    install = section(README, "## Installing")
    assert 'pip install -e ".[teacher]"' in install
    assert "python -m build" in install
    assert f'pip install "dist/guessfirst-{__version__}-py3-none-any.whl[teacher]"' in install
    assert (ROOT / ".github" / "workflows" / "release.yml").exists()


def test_the_readme_links_into_the_manual_resolve():
    """Links into docs/ are paths GitHub follows too; each page they name exists, and so
    does each heading they point into."""
    links = re.findall(r"\]\((docs/[^)#\s]+)(?:#([^)\s]+))?\)", text(README))
    assert len({path for path, _ in links}) >= 12
    for path, anchor in links:
        assert (ROOT / path).exists(), path
        if anchor:
            assert anchor in _anchors(ROOT / path), f"{path}#{anchor}"
    for page in DOCS.glob("*.md"):
        if page.name != "index.md":
            assert f"](docs/{page.name})" in text(README), f"the README links {page.name}"


def _anchors(page: Path) -> set[str]:
    """The anchors GitHub and MyST make for a page's headings."""
    headings = re.findall(r"^#{1,6} (.+)$", "".join(_outside_fences(page)), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def _outside_fences(page: Path) -> list[str]:
    kept, fence = [], None
    for line in text(page).splitlines(keepends=True):
        opening = re.match(r"^(`{3,})", line)
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is None:
            kept.append(line)
    return kept


def test_links_between_pages_of_the_manual_resolve():
    for page in DOCS.glob("*.md"):
        for path, anchor in re.findall(
            r"\]\(([\w\-]+\.md)(?:#([^)\s]+))?\)", "".join(_outside_fences(page))
        ):
            assert (DOCS / path).exists(), f"{page.name}: {path}"
            if anchor:
                assert anchor in _anchors(DOCS / path), f"{page.name}: {path}#{anchor}"


def test_the_threat_model_is_in_the_manual():
    """What the log can and cannot prove, with the table of what each setup detects."""
    proof = section(DOCS / "logs.md", "## What the log can and cannot prove")
    assert "| what a student does | a local file alone (`verify`) |" in proof
    for flag in ("owner-mismatch", "altered-since-sent", "hub-only", "unconfirmed"):
        assert flag in proof, flag


# Every example runs.


def _runnable(page: Path) -> list[str]:
    return [b for b in blocks(page, "python") if not any(n in b for n in NOT_RUN)]


RUNNABLE = [page for page in PAGES if page.name not in ELSEWHERE and _runnable(page)]


def _fresh_python(code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """``code`` in a new interpreter in ``folder``, with the demo lesson's module importable
    and no student id set."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("GUESSFIRST_STUDENT", "JUPYTERHUB_USER")
    }
    env["GUESSFIRST_LOG_DIR"] = str(folder / "guessfirst-logs")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "notebooks"), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_every_page_with_question_examples_is_run():
    names = {page.name for page in RUNNABLE}
    assert names >= {"README.md", "questions.md", "quiz.md", "student.md", "banks.md"}
    assert "teacher.md" in names


@pytest.fixture
def folder(demo_class: Path, tmp_path: Path) -> Path:
    """What the pages' examples name: a bank, the simulated class's logs, collected."""
    for name in ("demo-logs", "collected"):
        shutil.copytree(demo_class / "demo-logs", tmp_path / name)
    bank = text(DOCS / "banks.md").split("`````text\n")[1].split("\n`````")[0]
    (tmp_path / "lesson3.md").write_text(bank, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("page", RUNNABLE, ids=lambda page: page.name)
def test_the_python_examples_of_each_page_run(page, folder):
    """A page's python blocks, one after the other as a reader would run them, in a fresh
    interpreter with no student id set."""
    head = "import guessfirst as gf\nfrom datetime import datetime\nfrom zoneinfo import ZoneInfo\n"
    ran = _fresh_python(head + "\n".join(_runnable(page)), folder)
    assert ran.returncode == 0, ran.stderr[-2000:]


def test_the_readme_tour_sets_the_student_before_answering(tmp_path):
    """A question made with no student id cannot be answered from a cell, which is why the
    tour sets one first; with the tour's own lines it is answered and logged."""
    tour = "\n".join(blocks(README, "python"))
    assert tour.index('gf.configure(student="ana")') < tour.index("gf.Numeric(")
    assert 'q.submit("180", confidence="Certain")' in tour
    without = tour.replace('gf.configure(student="ana")', "")
    refused = _fresh_python(without, tmp_path)
    assert "no student id yet" in refused.stderr
    answered = _fresh_python(tour + "\nprint(q.submit('80').correct)", tmp_path)
    assert answered.returncode == 0, answered.stderr[-2000:]
    assert answered.stdout.strip().splitlines()[-1] == "True"
    assert (tmp_path / "guessfirst-logs" / "ana.jsonl").exists()


def test_the_commands_of_every_page_are_ones_the_cli_accepts():
    """Every ``guessfirst …`` line of the README and the manual parses as written."""
    from guessfirst.teacher import cli

    found = {page.name: commands(page) for page in PAGES}
    every = [command for listed in found.values() for command in listed]
    assert "guessfirst report demo-logs -o report.html" in found["README.md"]
    assert any("--engine spark" in command for command in found["scaling.md"])
    assert any("--lrs" in command for command in found["scaling.md"])
    assert any(command.startswith("guessfirst seal ") for command in found["banks.md"])
    assert any(command.startswith("guessfirst collect ") for command in found["teacher.md"])
    for command in every:
        cli.parser().parse_args(shlex.split(command)[1:])


def test_the_banks_page_example_is_a_bank_that_loads(tmp_path):
    from guessfirst import bank

    example = text(DOCS / "banks.md").split("`````text\n")[1].split("\n`````")[0]
    source = tmp_path / "lesson3.md"
    source.write_text(example, encoding="utf-8")
    loaded = bank.load(source)
    assert loaded.ids == ("speed", "bigger", "equal", "bottom")
    assert loaded["speed"].hints and loaded["bottom"].answers() == ["denominator"]
    assert bank.load(bank.seal(source)).ids == loaded.ids


def test_the_simulated_class_makes_clean_logs(tmp_path):
    import runpy

    from guessfirst.teacher import report

    simulator = runpy.run_path(str(DOCS / "example_class.py"))
    simulator["simulate"](tmp_path / "demo-logs", students=4)
    logs = report.read(tmp_path / "demo-logs")
    assert logs.problems.empty and bool(logs.files["intact"].all())
    assert logs.events["student"].nunique() == 4
    assert set(logs.events["type"].astype(str)) >= {"shown", "attempt", "reveal"}


@pytest.fixture(scope="module")
def demo_class(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's tour, step 3: the simulated class, made as the README says."""
    folder = tmp_path_factory.mktemp("tour")
    (step,) = [
        line
        for block in blocks(README, "bash")
        for line in block.splitlines()
        if "example_class" in line
    ]
    assert step == "python docs/example_class.py demo-logs"
    subprocess.run(
        [sys.executable, ROOT / "docs" / "example_class.py", "demo-logs"], cwd=folder, check=True
    )
    return folder


def test_the_teachers_page_shows_what_the_report_prints(demo_class, capsys, monkeypatch):
    from guessfirst.teacher import cli

    (shown,) = [b for b in blocks(DOCS / "teacher.md", "console") if "--csv tables" in b]
    command, *printed = shown.strip().splitlines()
    monkeypatch.chdir(demo_class)
    assert cli.main(shlex.split(command.removeprefix("$ guessfirst "))) == 0
    assert capsys.readouterr().out.strip().splitlines() == printed
    assert (demo_class / "report.html").exists()


def test_the_teachers_page_shows_what_the_retention_table_prints(demo_class):
    page = DOCS / "teacher.md"
    (code,) = [b for b in blocks(page, "python") if "report.retention(report.read" in b]
    (shown,) = [b for b in blocks(page, "text") if b.lstrip().startswith("question")]
    ran = _fresh_python(code, demo_class)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert [line.rstrip() for line in ran.stdout.splitlines()] == shown.rstrip().splitlines()
