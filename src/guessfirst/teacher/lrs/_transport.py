"""urllib within one deadline for the whole of a request, not a timeout per read.

A socket timeout bounds one read, and an LRS that sends a byte a second never reaches it.
So every step of a request (each address tried, each piece sent, each read of the answer,
through a proxy's tunnel and the TLS handshake too) is given the time left before one
deadline. Name resolution is the system's, with the system's own timeouts.
"""

from __future__ import annotations

import functools
import http.client
import io
import socket
import time
import urllib.request

#: A request's body goes out in pieces this size, each within what is left of the deadline.
_SEND_BYTES = 16 * 2**10


class Deadline:
    """The moment a request is abandoned, on the monotonic clock."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left; TimeoutError once there are none (a timeout of 0 would not block)."""
        left = self._end - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request's deadline passed")
        return left


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST comes back as a GET, whose 200 would read as stored: refuse it."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _BoundedReader(io.RawIOBase):
    """A socket's reads, each with the time left as its timeout."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # keeps the socket open until closed
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int | None:  # type: ignore[override]
        self._sock.settimeout(self._deadline.left())
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _BoundedSocket:
    """What an HTTPResponse takes its reader from: the only use it makes of the socket."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_BoundedReader(self._sock, self._deadline))


def _response_class(deadline: Deadline) -> type[http.client.HTTPResponse]:
    """An HTTPResponse that reads within ``deadline``: a class, as a connection makes one."""

    class _BoundedResponse(http.client.HTTPResponse):
        def __init__(self, sock: socket.socket, *args: object, **kwargs: object) -> None:
            super().__init__(_BoundedSocket(sock, deadline), *args, **kwargs)  # type: ignore[arg-type]

    return _BoundedResponse


class _Bounded(http.client.HTTPConnection):
    """What an HTTP(S)Connection does differently to keep within ``deadline``."""

    def __init__(self, *args: object, deadline: Deadline, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._deadline = deadline
        self._create_connection = self._connect
        self.response_class = _response_class(deadline)

    def _connect(
        self, address: tuple[str, int], timeout: object = None, source: object = None
    ) -> socket.socket:
        """socket.create_connection, each address with the time left, not the whole timeout."""
        host, port = address
        error: OSError = OSError(f"no address for {host}")
        for family, kind, protocol, _, where in socket.getaddrinfo(
            host, port, 0, socket.SOCK_STREAM
        ):
            sock = socket.socket(family, kind, protocol)
            try:
                sock.settimeout(self._deadline.left())
                if source:
                    sock.bind(source)  # type: ignore[arg-type]
                sock.connect(where)
            except OSError as exc:
                sock.close()
                if isinstance(exc, TimeoutError):
                    raise
                error = exc
            else:
                sock.settimeout(self._deadline.left())  # and so the TLS handshake
                return sock
        raise error

    def send(self, data: object) -> None:
        if not isinstance(data, bytes | bytearray):
            super().send(data)  # type: ignore[arg-type]
            return
        for start in range(0, max(len(data), 1), _SEND_BYTES):
            if self.sock is not None:
                self.sock.settimeout(self._deadline.left())
            super().send(data[start : start + _SEND_BYTES])


class _BoundedHTTP(_Bounded):
    pass


class _BoundedHTTPS(_Bounded, http.client.HTTPSConnection):
    pass


class _BoundedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_BoundedHTTP, deadline=self._deadline), req)


class _BoundedHTTPSHandler(urllib.request.HTTPSHandler):
    """HTTPS with the connection's default context, as urllib's own handler gives it."""

    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_BoundedHTTPS, deadline=self._deadline), req)


def opener(deadline: Deadline) -> urllib.request.OpenerDirector:
    """urllib as usual (proxies from the environment, no redirects), within ``deadline``."""
    return urllib.request.build_opener(
        _NoRedirects, _BoundedHTTPHandler(deadline), _BoundedHTTPSHandler(deadline)
    )
