"""docs/deploying-on-jupyterhub.md: an administrator copies from it, so it must stay true.

Every ``guessfirst`` line of its bash blocks is parsed by the command's own parser, and
every python block of hub configuration is run against a stand-in ``c``: each per-user
value must give, for a fake spawner, what the guide's ``# ana's server gets NAME=value``
comments say, both called directly and through JupyterHub's own ``Spawner.get_env``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from traitlets.config import Config

from guessfirst import cli

GUIDE = Path(__file__).parents[1] / "docs" / "deploying-on-jupyterhub.md"
CONFIG_MARK = "# jupyterhub_config.py"
#: Where the guide's configuration reads the roster it shows in its csv block.
ROSTER = "/etc/jupyterhub/roster.csv"
_SAYS = re.compile(r"^\s*# (\S+)'s server gets (\w+)=(\S+)\s*$", re.M)


def blocks(language: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.S | re.M)


def commands() -> list[str]:
    """The ``guessfirst ...`` lines of the bash blocks, without their comments."""
    return [
        line.split(" #")[0].strip()
        for block in blocks("bash")
        for line in block.replace("\\\n", " ").splitlines()
        if line.strip().startswith("guessfirst ")
    ]


def configs() -> list[str]:
    return [block for block in blocks("python") if block.startswith(CONFIG_MARK)]


def test_every_guessfirst_command_in_the_guide_parses() -> None:
    found = commands()
    for needed in ("collect --homes", "collect course/submitted", "submissions.zip", "verify"):
        assert any(needed in command for command in found), needed
    for command in found:
        cli._parser().parse_args(shlex.split(command)[1:])


def test_the_guide_shows_its_hub_configuration() -> None:
    """Every python block of the guide is hub configuration, and each says what it gives."""
    assert len(configs()) == len(blocks("python")) >= 3
    for block in configs():
        assert _SAYS.search(block), f"a configuration that says nothing it gives:\n{block}"


@pytest.mark.parametrize(
    "block", configs(), ids=lambda block: "=".join(_SAYS.findall(block)[0][1:])
)
def test_each_hub_configuration_gives_each_student_their_own_values(
    block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "roster.csv").write_text(blocks("csv")[0], encoding="utf-8")
    # A hub whose users' homes are /home/<name>, as the guide's examples have them.
    monkeypatch.setattr("pwd.getpwnam", lambda name: SimpleNamespace(pw_dir=f"/home/{name}"))
    c = Config()
    exec(  # the guide's own text, as jupyterhub runs a config file
        compile(block.replace(ROSTER, str(tmp_path / "roster.csv")), str(GUIDE), "exec"),
        {"c": c, "get_config": lambda: c},
    )
    environment: dict[str, str | Callable[[Any], str]] = c.Spawner.environment
    says = _SAYS.findall(block)
    assert {name for _, name, _ in says} == {
        name for name, value in environment.items() if callable(value)
    }, "each per-user value, and only those, has its example"
    for name, value in environment.items():
        if not callable(value):
            assert "{" not in value, f"{name}: the hub would not expand {value!r}"
    for user, name, expected in says:
        value = environment[name]
        assert callable(value)
        assert value(spawner(user)) == expected, (user, name)
        assert hub_env(c, user)[name] == expected, (user, name)


def spawner(user: str) -> SimpleNamespace:
    """What a callable in ``Spawner.environment`` is given: the spawner, with ``.user``."""
    return SimpleNamespace(user=SimpleNamespace(name=user, url=f"/user/{user}/"))


def hub_env(c: Config, user: str) -> dict[str, str]:
    """The environment JupyterHub's own Spawner makes of ``c`` for ``user``'s server."""
    spawners = pytest.importorskip("jupyterhub.spawner")
    hub = SimpleNamespace(public_host="", api_url="http://127.0.0.1:8081/hub/api", base_url="/hub/")
    made = spawners.Spawner(config=c, user=spawner(user).user, hub=hub)
    env = made.get_env()
    assert env["JUPYTERHUB_USER"] == user
    return env


def test_the_hub_does_not_expand_a_username_in_the_environment() -> None:
    """Why the guide uses callables: a template string reaches the server as written."""
    c = Config()
    c.Spawner.environment = {"GUESSFIRST_LOG_DIR": "/srv/guessfirst/{username}"}
    assert hub_env(c, "ana")["GUESSFIRST_LOG_DIR"] == "/srv/guessfirst/{username}"
    assert "`{username}`" in GUIDE.read_text(encoding="utf-8")
