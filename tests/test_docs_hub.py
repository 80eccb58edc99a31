"""docs/deploying-on-jupyterhub.md: an administrator copies from it, so it must stay true.

Every ``guessfirst`` line of its bash blocks is parsed by the command's own parser, and
every python block of hub configuration is run against a stand-in ``c``: each per-user
value must give, for a fake spawner, what the guide's ``# ana's server gets NAME=value``
comments say, both called directly and through JupyterHub's own ``Spawner.get_env``.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from traitlets.config import Config, LazyConfigValue

from guessfirst.teacher import cli

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
        cli.parser().parse_args(shlex.split(command)[1:])


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
    environment: dict[str, str | Callable[[Any], str]] = resolved(c.Spawner.environment)
    says = _SAYS.findall(block)
    assert {name for _, name, _ in says} >= {
        name for name, value in environment.items() if callable(value)
    }, "each per-user value has its example"
    for name, value in environment.items():
        if not callable(value):
            assert "{" not in value, f"{name}: the hub would not expand {value!r}"
    for user, name, expected in says:
        value = environment[name]
        given = value(spawner(user)) if callable(value) else value
        assert given == expected, (user, name)
        assert hub_env(c, user)[name] == expected, (user, name)


def resolved(value: Any, empty: Any = None) -> Any:
    """A config value as the hub reads it: ``append``, ``add`` or ``update`` on a fresh
    Config are lazy, applied to the trait's empty value."""
    if isinstance(value, LazyConfigValue):
        return value.get_value({} if empty is None else empty)
    return value


def test_the_guides_service_configuration_is_what_print_config_prints() -> None:
    """The guide shows ``guessfirst hub-service --print-config``'s lines, laid out to read."""
    (block,) = [b for b in configs() if "hub-service" in b]
    shown, printed = Config(), Config()
    exec(compile(block, str(GUIDE), "exec"), {"c": shown, "get_config": lambda: shown})
    (command,) = [c for c in commands() if "--print-config" in c]
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert cli.main(shlex.split(command)[1:]) == 0
    exec(compile(out.getvalue(), "--print-config", "exec"), {"get_config": lambda: printed})
    for section, name, empty in [
        ("JupyterHub", "services", []),
        ("JupyterHub", "extra_user_scopes", set()),
        ("Spawner", "server_token_scopes", []),
        ("Spawner", "environment", {}),
    ]:
        ours, theirs = (resolved(c[section][name], type(empty)()) for c in (shown, printed))
        if name == "services":  # the guide's hub lives in /opt/jupyterhub, not in this venv
            ours, theirs = ([{**s, "command": s["command"][1:]} for s in v] for v in (ours, theirs))
        assert ours == theirs, name
        assert ours, name


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
