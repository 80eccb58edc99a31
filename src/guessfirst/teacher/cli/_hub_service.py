"""``guessfirst hub-service``: declared here, run by :mod:`guessfirst.teacher.hubservice._cli`,
which the service's own ``python -m guessfirst.teacher.hubservice`` shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..hubservice import _cli
from ._options import add_command

if TYPE_CHECKING:
    from ._options import Commands


def add_parser(commands: Commands) -> None:
    command = add_command(
        commands,
        _cli.run,
        "hub-service",
        "Keep a copy of every student's events that they cannot edit: a JupyterHub service, "
        "started by the hub, that each kernel sends its events to.",
        "guessfirst hub-service --print-config --store /var/lib/guessfirst/store "
        "--public-url https://hub.school.example",
        logs=False,
    )
    _cli.add_arguments(command)
