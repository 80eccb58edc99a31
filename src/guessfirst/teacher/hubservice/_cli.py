"""``guessfirst hub-service``: run the service as the hub starts it, or print its config.

JupyterHub, tornado and asyncio are imported only when the service starts: ``--print-config``
and ``--help`` work on a teacher's laptop without them, and ``guessfirst --help`` stays quick.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ._limits import BURST, DAILY_BYTES, IN_FLIGHT, RATE, Limits

if TYPE_CHECKING:
    import ssl

#: The service's name in the hub: its proxy path is /services/NAME/.
NAME = "guessfirst"
#: Where a managed service listens when the admin does not say: the hub's own machine.
DEFAULT_URL = "http://127.0.0.1:10101"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
#: The scopes of JupyterHub's default ``server`` role (jupyterhub/roles.py), which
#: server tokens get when ``Spawner.server_token_scopes`` is not set: kept as they are.
SERVER_ROLE_SCOPES = ("users:activity!user", "access:servers!server")
_MIB = 1024 * 1024
_PROG = "guessfirst hub-service"


def _positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        value = kind(text)
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
        return value

    parse.__name__ = kind.__name__
    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``guessfirst hub-service``."""
    parser.add_argument(
        "--store",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder of the stored events, one file per hub user (created 0700)",
    )
    parser.add_argument(
        "--url",
        help="address to listen on, e.g. http://127.0.0.1:10101 "
        "(default: $JUPYTERHUB_SERVICE_URL, as the hub gives a managed service)",
    )
    parser.add_argument(
        "--rate",
        type=_positive(float),
        default=RATE,
        help=f"events per second each student may keep sending (default {RATE})",
    )
    parser.add_argument(
        "--burst",
        type=_positive(int),
        default=BURST,
        help=f"events a student may send at once (default {BURST})",
    )
    parser.add_argument(
        "--daily-mib",
        type=_positive(float),
        default=DAILY_BYTES / _MIB,
        help=f"MiB of events per student per UTC day (default {DAILY_BYTES / _MIB:g})",
    )
    parser.add_argument(
        "--in-flight",
        type=_positive(int),
        default=IN_FLIGHT,
        help=f"events stored at once across the school before 503 (default {IN_FLIGHT})",
    )
    parser.add_argument(
        "--print-config",
        action="store_true",
        help="print the jupyterhub_config.py lines that run this service, then exit",
    )
    parser.add_argument(
        "--public-url",
        default=DEFAULT_PUBLIC_URL,
        help="with --print-config: the hub's address as kernels reach it "
        f"(default {DEFAULT_PUBLIC_URL})",
    )
    parser.add_argument(
        "--service-user",
        default=NAME,
        help=f"with --print-config: the unix user the service runs as (default {NAME})",
    )


def run(args: argparse.Namespace) -> int:
    """Print the config, or serve until SIGTERM/SIGINT; return the exit status."""
    if args.print_config:
        sys.stdout.write(config_snippet(args))
        return 0
    where = _address(args.url)
    if isinstance(where, int):
        return where
    scheme, host, port = where
    keys = [os.environ.get(f"JUPYTERHUB_SSL_{name}", "") for name in ("KEYFILE", "CERTFILE")]
    # https is the hub's internal_ssl: the hub hands its services a key and a certificate.
    if scheme == "https" and not all(keys):
        return _fail(
            "https needs JUPYTERHUB_SSL_KEYFILE and JUPYTERHUB_SSL_CERTFILE, "
            "as the hub gives them with internal_ssl"
        )
    try:
        from jupyterhub.services.auth import HubAuth

        from ._app import make_app, serve
    except ImportError as exc:
        return _fail(f"the hub service needs JupyterHub installed ({exc})")
    ssl_options = _ssl_context(keys) if scheme == "https" else None
    if isinstance(ssl_options, int):
        return ssl_options
    from ._store import Store

    try:
        store = Store(args.store)
    except OSError as exc:
        return _fail(f"{args.store}: {exc.strerror or exc}", status=1)
    name = os.environ.get("JUPYTERHUB_SERVICE_NAME") or NAME
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or f"/services/{name}/"
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s"
    )
    app = make_app(store, _limits(args), HubAuth(), prefix=prefix, service_name=name)
    import asyncio  # here, not at the top: every ``guessfirst`` command imports this module

    try:
        asyncio.run(serve(app, host, port, ssl_options=ssl_options))
    except OSError as exc:
        return _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", 1)
    return 0


def _address(given: str | None) -> tuple[str, str, int] | int:
    """The scheme to listen with, the host and port; or the exit status after saying what is
    missing: the hub's variables when no ``--url`` is given, or a usable address."""
    url = given or os.environ.get("JUPYTERHUB_SERVICE_URL", "")
    if not given:
        missing = [
            name
            for name in ("JUPYTERHUB_SERVICE_URL", "JUPYTERHUB_API_URL")
            if not os.environ.get(name)
        ]
        if missing:
            return _fail(
                f"{' and '.join(missing)} not set: run it as a JupyterHub service "
                "(see --print-config), or give --url"
            )
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, -1)
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or port < 1:
        return _fail(f"cannot listen on {url!r}: give an http://host:port address")
    return parts.scheme, parts.hostname, port


def _ssl_context(keys: list[str]) -> ssl.SSLContext | int:
    """The internal_ssl context from the hub's key and certificate, or the exit status."""
    import ssl

    from jupyterhub.utils import make_ssl_context

    ca = os.environ.get("JUPYTERHUB_SSL_CLIENT_CA") or None
    try:
        context: ssl.SSLContext = make_ssl_context(
            *keys, cafile=ca, purpose=ssl.Purpose.CLIENT_AUTH
        )
    except (OSError, ssl.SSLError) as exc:
        return _fail(f"cannot load the internal_ssl key or certificate: {exc}", status=1)
    return context


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(args.rate, args.burst, int(args.daily_mib * _MIB), args.in_flight)


def _fail(message: str, status: int = 2) -> int:
    print(f"{_PROG}: error: {message}", file=sys.stderr)
    return status


def _command(args: argparse.Namespace) -> list[str]:
    """The service's command line: this install's ``guessfirst``, the same store and limits."""
    script = Path(sys.executable).with_name("guessfirst")
    command = [str(script) if script.exists() else "guessfirst", "hub-service"]
    command += ["--store", str(Path(args.store).absolute())]
    for option, value, default in (
        ("--rate", args.rate, RATE),
        ("--burst", args.burst, BURST),
        ("--daily-mib", args.daily_mib, DAILY_BYTES / _MIB),
        ("--in-flight", args.in_flight, IN_FLIGHT),
    ):
        if value != default:
            command += [option, str(value)]
    return command


def config_snippet(args: argparse.Namespace) -> str:
    """jupyterhub_config.py lines for JupyterHub 6: the service, who may call it, and where.

    It adds to what the file already sets (append, add, update), except the server token's
    scopes, which it sets whole: the default ``server`` role's two, plus the access.
    """
    access = f"access:services!service={NAME}"
    service = {
        "name": NAME,
        "url": args.url or DEFAULT_URL,
        "command": _command(args),
        "user": args.service_user,
        "display": False,
    }
    public = args.public_url.rstrip("/") + f"/services/{NAME}/"
    scopes = [*SERVER_ROLE_SCOPES, access]
    lines = [
        "# guessfirst: keep a copy of each student's events that the student cannot edit.",
        "# Paste after your own c.JupyterHub.services (this appends to it). JupyterHub 6.",
        "c = get_config()  # noqa: F821",
        "",
        f"# A managed service: the hub starts it as the unix user {args.service_user!r}, who",
        "# must exist and own the store, and routes /services/guessfirst/ to it. It needs no",
        "# role: it asks the hub whose a token is (GET /hub/api/user) with that same token.",
        f"c.JupyterHub.services.append({service!r})",
        "",
        "# Every user may call it (added to the default 'user' role; if your load_roles",
        f"# redefines 'user', put {access!r} in its scopes instead) ...",
        f"c.JupyterHub.extra_user_scopes.add({access!r})",
        "# ... and so may each student's server token, which their kernels inherit: the",
        "# default 'server' role's scopes, kept, plus the access.",
        f"c.Spawner.server_token_scopes = {scopes!r}",
        "# Where kernels send the events: the service through the hub's proxy.",
        f"c.Spawner.environment.update({{'GUESSFIRST_HUB_SERVICE': {public!r}}})",
        "",
    ]
    return "\n".join(lines)
