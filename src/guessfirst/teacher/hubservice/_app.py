"""The hub service over HTTP: each student's events, named by the hub, into the Store.

A kernel sends its student's events with the server's own ``JUPYTERHUB_API_TOKEN``; the
hub says whose token it is, and that name alone decides whose file an event goes to. The
event's ``student`` field is only checked against it, never trusted.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import signal
import ssl
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from jupyterhub.services.auth import HubAuth, HubAuthenticated, UserNotAllowed
from tornado import http1connection, httpserver, web

from ...log import logline
from ...log.eventlog import read_events
from ._limits import Limits
from ._store import Refused, Store

#: Events one request may carry: a lesson's backlog comes in a few requests, not one.
MAX_EVENTS = 100
#: Bytes one request body may have; past it the body is refused before it is read.
MAX_BODY = 1024 * 1024
#: Bytes of a too big body read and dropped, so that its sender gets the 413; past this,
#: the connection is cut.
MAX_DISCARD = 8 * MAX_BODY
#: Seconds a stopping service waits for requests already being answered.
DRAIN_SECONDS = 10.0
#: Seconds a kernel is told to wait when the hub could not be asked about its token.
HUB_RETRY = 5.0

_log = logging.getLogger("guessfirst.teacher.hubservice")


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


# As the log's readers decode: a repeated name is marked for logline, NaN is no number.
_DECODER = json.JSONDecoder(
    parse_constant=_reject_constant,
    object_pairs_hook=logline.object_pairs,
    parse_int=logline.parse_int,
)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _size(event: object) -> int:
    """The bytes ``event`` costs the student's daily quota: its compact JSON text."""
    text = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    return len(text.encode("utf-8", "backslashreplace"))


def _wait(retry_after: float | None) -> float:
    return float(retry_after) if retry_after is not None else 1.0


class _Service:
    """What every request shares: the store, the limits, the hub's answers, the locks."""

    def __init__(
        self,
        store: Store,
        limits: Limits,
        auth: HubAuth,
        scope: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.store, self.limits, self.auth = store, limits, auth
        self.scope = scope
        self.clock = clock
        self.active = 0
        self._locks: dict[str, asyncio.Lock] = {}

    def lock(self, user: str) -> asyncio.Lock:
        """``user``'s lock: two kernels of one student are stored one request after the other."""
        return self._locks.setdefault(user, asyncio.Lock())

    async def receive(self, user: str, events: list[object]) -> tuple[list[dict], Refused | None]:
        """Store ``events`` in order; the results so far, and the 429/503 that stopped them."""
        loop = asyncio.get_running_loop()
        results: list[dict] = []
        for event in events:
            raw_id = event.get("id") if isinstance(event, dict) else None
            result: dict[str, Any] = {"id": raw_id if isinstance(raw_id, str) else None}
            now = self.clock()
            try:
                with self.limits.admit(user, _size(event), now):
                    receipt = await loop.run_in_executor(None, self.store.receive, user, event, now)
            except Refused as refused:
                if refused.status in (429, 503):
                    return results, refused
                result.update(status=refused.status, reason=refused.reason)
            except OSError as exc:
                _log.error("storing an event of %s failed: %s", user, exc.strerror or exc)
                return results, Refused(503, "the service could not write", retry_after=1.0)
            else:
                result["status"] = 201 if receipt.stored else 200
            results.append(result)
        return results, None

    def mine(self, user: str) -> dict:
        """``user``'s own count of stored events and the last one's id."""
        events = read_events(self.store.path(user)).events
        return {
            "user": user,
            "events": len(events),
            "last_id": events[-1]["id"] if events else None,
        }


class _Handler(web.RequestHandler):
    """JSON answers, JSON errors, and the count of requests being answered."""

    user_name: str | None = None

    def initialize(self, service: _Service) -> None:
        self.service = service
        self.service.active += 1
        self._counted = True

    def _done(self) -> None:
        if self._counted:
            self._counted = False
            self.service.active -= 1

    def on_finish(self) -> None:
        self._done()

    def on_connection_close(self) -> None:
        self._done()

    def set_default_headers(self) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")

    def answer(self, body: object, status: int = 200) -> None:
        self.set_status(status)
        self.finish(json.dumps(body))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if not isinstance(value, web.HTTPError):  # a refusal is in the request's one line
            super().log_exception(typ, value, tb)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        reason = self._reason
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, web.HTTPError) and error.log_message:
            reason = error.log_message % error.args if error.args else error.log_message
        if status_code == 401:
            self.set_header("WWW-Authenticate", "token")
        self.finish(json.dumps({"error": reason}))


class _NotFound(_Handler):
    def prepare(self) -> None:
        raise web.HTTPError(404, "no such address in this service")


class _Health(_Handler):
    def get(self) -> None:
        self.answer({"ok": True})


class _Authenticated(HubAuthenticated, _Handler):
    """A request from a student's own server token, named by the hub, or an error.

    HubAuthenticated's own ``get_current_user`` waits for the hub while blocking the event
    loop; here the hub is asked with the async API (its answers are cached by HubAuth for
    ``cache_max_age`` seconds) before the handler runs, then checked the same way.
    """

    @property
    def hub_scopes(self) -> set[str]:
        # Fixed here, never empty: an empty set would let every hub user and service in.
        return {self.service.scope}

    def initialize(self, service: _Service) -> None:
        super().initialize(service)
        self.hub_auth = service.auth

    async def prepare(self) -> None:
        token = self.hub_auth.get_token(self, in_cookie=False)
        if not token:
            raise web.HTTPError(401, "no token: send Authorization: token <JUPYTERHUB_API_TOKEN>")
        try:
            model = await self.hub_auth.user_for_token(token, sync=False)
        except web.HTTPError as exc:
            _log.error("the hub could not be asked about a token: %s", exc.log_message)
            raise _Busy("the hub could not check the token", HUB_RETRY) from None
        if not model:
            raise web.HTTPError(401, "the hub does not know this token")
        if model.get("kind", "user") != "user":
            raise web.HTTPError(403, "only a user's token is accepted, not a service's")
        try:
            self.check_hub_user(model)
        except UserNotAllowed:
            raise web.HTTPError(403, f"the token lacks the scope {self.service.scope}") from None
        self.current_user = model
        self.user_name = model["name"]

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, _Busy):
            self.set_header("Retry-After", str(max(1, math.ceil(error.retry_after))))
            self.finish(json.dumps({"error": error.detail, "retry_after": error.retry_after}))
            return
        super().write_error(status_code, **kwargs)


class _Busy(web.HTTPError):
    """A 429 or 503 with the seconds to wait, answered with Retry-After."""

    def __init__(self, reason: str, retry_after: float, status: int = 503) -> None:
        super().__init__(status, reason)
        self.detail = reason
        self.retry_after = retry_after


@web.stream_request_body
class _Events(_Authenticated):
    """``POST api/events``: a batch of the student's events, stored in order."""

    async def prepare(self) -> None:
        await super().prepare()  # the token is checked before any of the body is read
        self._chunks: list[bytes] = []
        self._received = 0
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_DISCARD:
            raise web.HTTPError(413, f"the body has over {MAX_BODY} bytes")
        if isinstance(self.request.connection, http1connection.HTTP1Connection):
            self.request.connection.set_max_body_size(MAX_DISCARD)  # a chunked body too

    def data_received(self, chunk: bytes) -> None:
        # Past MAX_BODY the rest is read and dropped: answering before the client has sent
        # it all would cut the connection, and the client would never see the 413.
        self._received += len(chunk)
        if self._received <= MAX_BODY:
            self._chunks.append(chunk)

    async def post(self) -> None:
        if self._received > MAX_BODY:
            raise web.HTTPError(413, f"the body has over {MAX_BODY} bytes")
        events = self._events(b"".join(self._chunks))
        assert self.user_name is not None
        async with self.service.lock(self.user_name):
            results, stopped = await self.service.receive(self.user_name, events)
        if stopped is not None and not results:
            raise _Busy(stopped.reason, _wait(stopped.retry_after), stopped.status)
        halt = None
        if stopped is not None:
            halt = {
                "status": stopped.status,
                "reason": stopped.reason,
                "retry_after": _wait(stopped.retry_after),
            }
        self.answer({"results": results, "stopped": halt})

    def _events(self, body: bytes) -> list[object]:
        """The body's list of events, or 400 for anything but ``{"events": [...]}``."""
        try:
            value = _DECODER.decode(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise web.HTTPError(400, 'the body is not JSON: send {"events": [...]}') from None
        if type(value) is not dict or set(value) != {"events"} or type(value["events"]) is not list:
            raise web.HTTPError(400, 'the body must be {"events": [...]}, and only that')
        events = value["events"]
        if len(events) > MAX_EVENTS:
            raise web.HTTPError(413, f"{len(events)} events; send at most {MAX_EVENTS} at once")
        return events


class _Mine(_Authenticated):
    """``GET api/mine``: how many of the caller's events the service holds, and the last."""

    async def get(self) -> None:
        assert self.user_name is not None
        loop = asyncio.get_running_loop()
        async with self.service.lock(self.user_name):
            mine = await loop.run_in_executor(None, self.service.mine, self.user_name)
        self.answer(mine)


def _log_request(handler: web.RequestHandler) -> None:
    """One line per request: what was asked, the answer, by whom, how long; no content."""
    request = handler.request
    _log.info(
        "%s %s %d %s %.1fms",
        request.method,
        request.path,
        handler.get_status(),
        getattr(handler, "user_name", None) or "-",
        1000 * request.request_time(),
    )


def make_app(
    store: Store,
    limits: Limits,
    auth: HubAuth,
    *,
    prefix: str = "/services/guessfirst/",
    service_name: str = "guessfirst",
    clock: Callable[[], datetime] = _utc_now,
) -> web.Application:
    """The tornado application answering under ``prefix`` (the service's proxy path).

    Only tokens whose hub model is a user's and holds ``access:services!service=<name>``
    get in: a student's single-user server token, when the hub config grants it.
    """
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    service = _Service(store, limits, auth, f"access:services!service={service_name}", clock)
    auth.allow_token_in_url = False  # a token only in the header: URLs end up in logs
    routes: list[Any] = [
        (f"{prefix}health", _Health, {"service": service}),
        (f"{prefix}api/events", _Events, {"service": service}),
        (f"{prefix}api/mine", _Mine, {"service": service}),
    ]
    return web.Application(
        routes,
        default_handler_class=_NotFound,
        default_handler_args={"service": service},
        log_function=_log_request,
        service=service,
    )


async def serve(
    app: web.Application,
    host: str,
    port: int,
    *,
    ssl_options: ssl.SSLContext | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Answer on ``host:port`` until SIGTERM or SIGINT (or ``stop``), then finish the
    requests in flight, for up to DRAIN_SECONDS, before closing: a batch being stored when
    the hub stops the service is answered, so its kernel does not send it again."""
    server = httpserver.HTTPServer(
        app, ssl_options=ssl_options, idle_connection_timeout=300, body_timeout=60
    )
    server.listen(port, host)
    _log.info("listening on %s:%d", host, port)
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT) if stop is None else ()
    stop = stop or asyncio.Event()
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
    _log.info("stopping: no new connections, finishing the requests in flight")
    server.stop()
    service: _Service = app.settings["service"]
    deadline = time.monotonic() + DRAIN_SECONDS
    while service.active > 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await server.close_all_connections()
    _log.info("stopped")
