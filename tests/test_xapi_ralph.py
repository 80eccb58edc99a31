"""The simulated class's statements, checked by Ralph: its xAPI models, then its LRS.

Ralph's filesystem store takes one write per store (tests/ralph_lrs.py), so every server
here gets a fresh store and exactly one batch is written to it: the whole class in one
batch, or a push cut in two across two stores.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from guessfirst.teacher import cli, lrs
from guessfirst.teacher.collected import find_logs
from ralph_lrs import HOME, PASSWORD, ROOT, USER, Ralph, executable, missing

BASE = "https://school.example/guessfirst"
SALT = "kept-by-the-teacher"
WHERE = ["--activity-base", BASE, "--home-page", HOME]
PSEUDONYMIZED = lrs.Options(BASE, HOME, pseudonymize=SALT)
EVERYTHING = lrs.Options(BASE, HOME, text=True)
ADL = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture(scope="module")
def simulated_class(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The simulated class of the README's tour, made as the tour says, in a process of its own."""
    folder = tmp_path_factory.mktemp("class") / "logs"
    subprocess.run([sys.executable, ROOT / "docs" / "example_class.py", folder], check=True)
    return folder


@pytest.fixture
def logs(simulated_class: Path, tmp_path: Path) -> Path:
    """A copy of the class's logs: a push writes its cursors beside them."""
    return Path(shutil.copytree(simulated_class, tmp_path / "logs"))


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    command = executable()
    if command is None:
        missing("Ralph's LRS (ralph-malph[lrs])")
    servers = Ralph(command, tmp_path_factory.mktemp("ralph"))
    yield servers
    servers.stop()


def validator() -> type:
    try:
        from ralph.models.xapi.base.statements import BaseXapiStatement
    except ImportError:
        missing("Ralph's xAPI models (ralph-malph)")
    return BaseXapiStatement


def sent_as_stored(sent: dict, stored: dict) -> None:
    """What we sent comes back field by field; the LRS only adds its own fields."""
    assert set(stored) - set(sent) <= {"stored", "authority"}
    for key, value in sent.items():
        if key == "timestamp":  # an LRS may write the same moment another way
            assert datetime.fromisoformat(stored[key].replace("Z", "+00:00")) == (
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            )
        else:
            assert stored[key] == value, key


# -- Ralph's models --------------------------------------------------------------------


@pytest.mark.parametrize("options", [PSEUDONYMIZED, EVERYTHING], ids=["private", "everything"])
def test_every_statement_of_the_simulated_class_is_valid_xapi(simulated_class, options):
    model = validator()
    statements = lrs.export(find_logs([simulated_class]), options).statements
    for statement in statements:
        model.model_validate(statement)
    verbs = {statement["verb"]["id"] for statement in statements}
    assert {ADL + "answered", ADL + "experienced", ADL + "commented"} <= verbs
    assert "https://guessfirst.org/xapi/verbs/corrected" in verbs


@pytest.mark.parametrize(
    "spoil",
    [
        lambda s: s["actor"].pop("account"),
        lambda s: s["verb"].update(id="answered"),
        lambda s: s.update(version="2.0.0"),
        lambda s: s["result"].update(response=""),
        lambda s: s.update(timestamp="yesterday"),
    ],
    ids=["no-actor-id", "verb-not-an-iri", "version", "empty-value", "timestamp"],
)
def test_the_validator_rejects_a_malformed_statement(simulated_class, spoil):
    from pydantic import ValidationError

    model = validator()
    statements = lrs.export(find_logs([simulated_class]), EVERYTHING).statements
    statement = next(s for s in statements if "response" in s.get("result", {}))
    model.model_validate(statement)
    spoil(statement)
    with pytest.raises(ValidationError):
        model.model_validate(statement)


# -- Ralph's LRS -----------------------------------------------------------------------


def test_the_class_pushed_to_ralph_reads_back_as_exported(ralph, logs, tmp_path, capsys):
    exported = tmp_path / "statements.json"
    options = [*WHERE, "--pseudonymize", SALT, "--text"]
    assert cli.main(["xapi", str(logs), *options, "-o", str(exported)]) == 0
    statements = json.loads(exported.read_text(encoding="utf-8"))
    server = ralph.serve(tmp_path / "store")
    push = ["xapi", str(logs), *options, "--lrs", server.url, "--user", USER, "--password"]
    capsys.readouterr()

    # The whole class in one batch: the only write this store takes.
    assert cli.main([*push, PASSWORD, "--batch-size", "1000"]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"Sent {len(statements)} statements to {server.url}statements (0 ")
    stored = {statement["id"]: statement for statement in server.statements()}
    assert sorted(stored) == sorted(statement["id"] for statement in statements)
    for statement in statements:
        sent_as_stored(statement, stored[statement["id"]])

    # Sent again from the start: Ralph answers 204 for statements it holds, and keeps one.
    assert cli.main([*push, PASSWORD, "--batch-size", "1000", "--from-start"]) == 0
    assert f"({len(statements)} already there;" in capsys.readouterr().out
    assert len(server.statements()) == len(statements)

    assert cli.main([*push, "not-the-password", "--from-start"]) == 1
    assert capsys.readouterr().err == (
        "guessfirst xapi: error: the LRS refused the credentials (401 Unauthorized)\n"
    )


def test_a_push_through_two_lrs_outages_loses_nothing_and_sends_nothing_twice(
    ralph, logs, tmp_path
):
    """The LRS stops after each batch. The first time it is back, on a fresh store, while
    the push waits to retry; the second time only for the next run, which resumes."""
    found = find_logs([logs])
    expected = lrs.export(found, PSEUDONYMIZED).statements
    third = math.ceil(len(expected) / 3)
    servers = [ralph.serve(tmp_path / "store-1")]
    port = servers[0].port
    held: list[dict] = []

    def stop_after_each_batch(done: int, total: int) -> None:
        held.extend(servers[-1].statements())
        servers[-1].stop()

    waits: list[float] = []

    def back_during_the_first_wait(seconds: float) -> None:
        waits.append(seconds)
        if len(servers) == 1:
            servers.append(ralph.serve(tmp_path / "store-2", port=port))

    credentials = lrs.basic_auth(USER, PASSWORD)
    client = lrs.Client(servers[0].url, credentials, sleep=back_during_the_first_wait)
    cut = lrs.push(found, client, PSEUDONYMIZED, batch_size=third, progress=stop_after_each_batch)
    assert cut.sent == 2 * third
    assert cut.error.startswith(f"no answer from the LRS after {lrs.TRIES} tries: ")
    assert len(waits) == 1 + (lrs.TRIES - 1)  # one wait for the restart, then every try

    servers.append(ralph.serve(tmp_path / "store-3", port=port))
    client = lrs.Client(servers[-1].url, credentials)
    resumed = lrs.push(found, client, PSEUDONYMIZED, batch_size=third)
    assert (resumed.sent, resumed.error) == (len(expected) - 2 * third, None)

    ids = [statement["id"] for statement in held + servers[-1].statements()]
    assert len(ids) == len(set(ids))  # nothing twice
    assert set(ids) == {statement["id"] for statement in expected}  # nothing lost
