"""Run a teacher's snippet or a student's function in the kernel, with a time limit.

The code runs in a daemon worker thread while the caller waits at most ``timeout``
seconds; on overrun an exception is raised inside the worker
(``PyThreadState_SetAsyncExc``) and the result says "took longer than N s". A thread,
not ``signal.setitimer``, because the limit must hold wherever the kernel runs cells:
on Windows, and on a thread other than the main one, where there is no SIGALRM, and
without taking over a signal the notebook may use itself. The price: the exception only
lands when the worker next runs Python bytecode, so code blocked in a C call (a long
``time.sleep``, ``input()``) is reported as overrunning on time but lingers until that
call returns, and code that catches every exception in a loop may keep running in the
background. Either way the kernel answers again within the limit and a short grace.

Output is captured per thread, not with ``contextlib.redirect_stdout``: that swaps the
process-wide ``sys.stdout``, so prints from the notebook's other threads (progress bars,
callbacks) would vanish into the capture. Here ``sys.stdout`` and ``sys.stderr`` are
replaced, for the run only, by routers that keep the worker's writes and pass every other
thread's writes to the stream the notebook had. Writes that bypass ``sys`` (``os.write``,
C extensions, threads the code starts) are not captured.

Everything the code raises, ``SystemExit``, ``KeyboardInterrupt`` and ``RecursionError``
included, comes back as data, as one line. Only an interrupt of the waiting caller (the
notebook's stop button) propagates, after the worker is stopped.
"""

from __future__ import annotations

import ctypes
import io
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TextIO, TypeVar

T = TypeVar("T")

#: After the limit, the stop is repeated this often, waiting this long for it to take:
#: code that catches the first one in a loop usually does not catch them all.
_STOP_TRIES, _STOP_GRACE = 5, 0.1
#: The longest a stop can take after the limit.
STOP_SECONDS = _STOP_TRIES * _STOP_GRACE


@dataclass(frozen=True)
class Run:
    """How a snippet ran: what it printed, and the error that stopped it, if any."""

    output: str
    error: str | None
    line: int | None
    """The snippet's line where the error arose, when it arose in the snippet's own code."""
    timed_out: bool


@dataclass(frozen=True)
class Call(Generic[T]):
    """How one call went: the value returned, what was printed, and any error.

    ``value`` is None when the call raised or was stopped: ``error`` then says why.
    """

    value: T | None
    output: str
    error: str | None
    timed_out: bool


def run_code(code: str, *, timeout: float, filename: str) -> Run:
    """Run ``code`` as a script in a fresh namespace (``__name__ == "__main__"``).

    ``filename`` names the code in tracebacks and in a ``SyntaxError``, which comes back
    like any other error.
    """
    namespace: dict[str, object] = {"__name__": "__main__"}

    def work() -> None:
        exec(compile(code, filename, "exec"), namespace)  # noqa: S102 -- running it is the point

    ran = _supervise(work, timeout)
    if ran.overran:
        return Run(ran.output, _overrun(timeout), None, True)
    if ran.error is None:
        return Run(ran.output, None, None, False)
    return Run(ran.output, _one_line(ran.error), _line(ran.error, filename), False)


def call(fn: Callable[..., T], args: Sequence[object], *, timeout: float) -> Call[T]:
    """Call ``fn(*args)``; the caller copies the arguments if they must stay as they were."""
    ran = _supervise(lambda: fn(*args), timeout)
    if ran.overran:
        return Call(None, ran.output, _overrun(timeout), True)
    error = None if ran.error is None else _one_line(ran.error)
    return Call(ran.value, ran.output, error, False)


class Overrun(Exception):
    """A call given to :func:`within` did not finish in its time; the work was stopped."""


def within(fn: Callable[[], T], timeout: float) -> T:
    """``fn()``'s value, or what it raised, if it ends within ``timeout`` seconds.

    Past that, :class:`Overrun` is raised here at once, while another thread stops the
    worker as :func:`call` does: the caller does not wait for the stop to take. Nothing is
    captured: this is for the project's own checks (an answer compared by SymPy), which
    print nothing.
    """
    if not timeout > 0:
        raise ValueError(f"the time limit must be a positive number of seconds (got {timeout!r})")
    outcome: _Outcome[T] = _Outcome()
    worker = threading.Thread(target=_keep(fn, outcome), name="guessfirst-check", daemon=True)
    try:
        worker.start()
        worker.join(timeout)
    finally:  # on overrun, and when the notebook interrupts the wait
        if worker.is_alive():
            threading.Thread(
                target=_stop, args=(worker,), name="guessfirst-stop", daemon=True
            ).start()
    if not outcome.done and outcome.error is None:
        raise Overrun(_overrun(timeout))
    if outcome.error is not None:
        if isinstance(outcome.error, _TimeLimit):
            raise Overrun(_overrun(timeout))
        raise outcome.error.with_traceback(outcome.error.__traceback__)
    return outcome.value  # type: ignore[return-value]


def _keep(fn: Callable[[], T], outcome: _Outcome[T]) -> Callable[[], None]:
    def target() -> None:
        try:
            outcome.value = fn()
            outcome.done = True
        except BaseException as exc:  # handed to the caller, never printed by the thread
            outcome.error = exc

    return target


class _TimeLimit(SystemExit):
    """Raised in the worker on overrun.

    A ``SystemExit`` because, should it land just after the code returned, in the worker's
    own last lines, the threading module ends the thread quietly instead of printing a
    traceback into the notebook.
    """


@dataclass
class _Outcome(Generic[T]):
    value: T | None = None
    error: BaseException | None = None
    output: str = ""
    overran: bool = False
    done: bool = False


def _supervise(work: Callable[[], T], timeout: float) -> _Outcome[T]:
    """Run ``work`` in a worker thread and wait for it at most ``timeout`` seconds."""
    if not timeout > 0:
        raise ValueError(f"the time limit must be a positive number of seconds (got {timeout!r})")
    outcome: _Outcome[T] = _Outcome()
    given_up = threading.Event()

    def target() -> None:
        if given_up.is_set():  # the caller was interrupted before the code began
            return
        try:
            outcome.value = work()
        except BaseException as exc:  # whatever the code raises is reported, not raised
            outcome.error = exc

    worker = threading.Thread(target=target, name="guessfirst-run", daemon=True)
    with _captured(worker) as sink:
        try:
            worker.start()
            worker.join(timeout)
        finally:  # on overrun, and when the notebook interrupts the wait (even in start)
            given_up.set()
            outcome.overran = worker.is_alive()
            if outcome.overran:
                _stop(worker)
    outcome.output = sink.getvalue()
    return outcome


def _stop(worker: threading.Thread) -> None:
    for _ in range(_STOP_TRIES):
        ident = worker.ident
        assert ident is not None  # only a started thread is stopped, and it has one
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(ident), ctypes.py_object(_TimeLimit)
        )
        worker.join(_STOP_GRACE)
        if not worker.is_alive():
            return


class _Router:
    """Stands in for ``sys.stdout`` or ``sys.stderr`` while code runs in ``worker``."""

    def __init__(self, stream: TextIO, worker: threading.Thread, sink: io.StringIO) -> None:
        self.stream = stream
        self._worker = worker
        self._sink = sink

    def write(self, text: str) -> int:
        if threading.current_thread() is self._worker:
            return self._sink.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        if threading.current_thread() is not self._worker:
            self.stream.flush()

    def __getattr__(self, name: str) -> object:
        """Everything else (encoding, isatty, fileno...) is the notebook's stream's."""
        return getattr(self.stream, name)


@contextmanager
def _captured(worker: threading.Thread) -> Iterator[io.StringIO]:
    """What ``worker`` prints, to stdout and stderr interleaved as a terminal shows them."""
    sink = io.StringIO()
    routers = {name: _Router(getattr(sys, name), worker, sink) for name in ("stdout", "stderr")}
    for name, router in routers.items():
        setattr(sys, name, router)
    try:
        yield sink
    finally:
        for name, router in routers.items():
            if getattr(sys, name) is router:  # else someone replaced it since: leave theirs
                setattr(sys, name, router.stream)


def _overrun(timeout: float) -> str:
    return f"took longer than {timeout:g} s"


def _one_line(error: BaseException) -> str:
    """``TypeError: ...``, as the last line of a traceback starts, cut to its first line."""
    name = type(error).__name__
    try:
        text = str(error).strip()
    except Exception:  # a student's exception class whose __str__ fails
        text = ""
    return f"{name}: {text.splitlines()[0]}" if text else name


def _line(error: BaseException, filename: str) -> int | None:
    lines = [
        frame.lineno
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == filename
    ]
    return lines[-1] if lines else None
