"""Checks that can compute for long inside C code, run in a worker process that can be ended.

A thread can stop Python code (see :mod:`guessfirst.checks._running`), but not a C call: SymPy
simplifying ``log(99^100 - log(99))`` spends seconds inside single big-integer powers,
holding the interpreter all the while, so neither a thread nor a signal gets a word in.
A process can be killed whatever it is doing. The worker is a Python of its own, which
imports SymPy once and keeps each question it has been sent, so a check sends only the
answer; it forks a child for each check and kills the child when the time is up, so the
next answer never waits for SymPy to load again. Questions reach it pickled over a pipe
between processes of the same kernel: nothing read from a log goes that way.

Where no process can be started (Windows, where these pipes cannot be waited on, a
browser kernel, a locked down system), :func:`check` says so with :class:`Unavailable`,
and the caller checks in a thread instead.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import signal
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from ..i18n import language, set_language
from . import _base, _running

#: What a worker imports before it says it is ready.
_PRELOAD = ("guessfirst.checks", "guessfirst.checks.expression", "sympy")
#: How long a worker may take to start (importing SymPy on a busy machine).
_START_SECONDS = 60.0
#: How much longer than a check's time the worker may take to say it overran.
_GRACE_SECONDS = 2.0


#: A worker's answer to one check: its status ("verdict", "invalid", ...) and its value.
_Reply = tuple[str, object]


class Unavailable(Exception):
    """No worker process can be had here: check in this process instead."""


class _Stuck(Exception):
    """The worker did not answer in time: it is replaced."""


def check(question: _base.Check, response: object, timeout: float) -> _base.Verdict:
    """``question.check(response)`` in a process of its own, killed past ``timeout`` seconds.

    Raises what the check raises (``InvalidResponse`` with its message for the student),
    :class:`_running.Overrun` past the time, and :class:`Unavailable` when no worker can
    be started. Starting one is not counted in the time.
    """
    with _lock:
        worker = _ready()
        key = (question.kind, question.qid, question.qversion)
        try:
            status, value = worker.ask(key, question, response, timeout)
        except (OSError, EOFError, _Stuck) as exc:  # the worker itself failed: a new one
            _retire()
            warm()
            if isinstance(exc, _Stuck):
                raise _running.Overrun(_running._overrun(timeout)) from None
            raise RuntimeError(f"the checking process ended: {exc}") from None
    if status == "timeout":
        raise _running.Overrun(_running._overrun(timeout))
    if status == "verdict" and isinstance(value, _base.Verdict):
        return value
    if status == "invalid":
        raise _base.InvalidResponse(value)
    if status == "question":
        raise _base.QuestionError(value)
    raise RuntimeError(value)


def warm() -> None:
    """Start the worker in the background, so the first answer does not wait for it."""
    if _worker is None and not _failed:
        threading.Thread(target=_warm, name="guessfirst-warm", daemon=True).start()


def _warm() -> None:
    with _lock, contextlib.suppress(Unavailable):
        _ready()


class _Worker:
    """A Python of its own (``-m guessfirst.checks._isolation``), spoken to over pipes."""

    def __init__(self) -> None:
        if os.name != "posix":
            raise Unavailable("pipes that can be waited on need a POSIX system")
        from_parent, to_child = os.pipe()
        from_child, to_parent = os.pipe()
        package = str(Path(__file__).resolve().parents[1])
        paths = [package, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "guessfirst.checks._isolation",
                    str(from_parent),
                    str(to_parent),
                ],
                pass_fds=(from_parent, to_parent),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
            )
        finally:
            os.close(from_parent)
            os.close(to_parent)
        self.sending = Connection(to_child, readable=False)
        self.receiving = Connection(from_child, writable=False)
        self.known: set[tuple[str, str, str]] = set()
        if not self.receiving.poll(_START_SECONDS):
            self.stop()
            raise Unavailable("the checking process did not start")
        self.receiving.recv()  # its hello: SymPy is loaded

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(
        self,
        key: tuple[str, str, str],
        question: _base.Check,
        response: object,
        timeout: float,
    ) -> _Reply:
        sent = None if key in self.known else question
        self.sending.send((key, sent, response, language(), timeout))
        self.known.add(key)
        # The worker keeps the time; this is only in case the worker itself is stuck.
        if not self.receiving.poll(timeout + _GRACE_SECONDS):
            raise _Stuck
        return _reply(self.receiving.recv())

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        for end in (self.sending, self.receiving):
            with contextlib.suppress(OSError):
                end.close()


_lock = threading.Lock()
_worker: _Worker | None = None
_failed = False


def _ready() -> _Worker:
    """The worker, started if need be; called with ``_lock`` held."""
    global _worker, _failed
    if _worker is not None and _worker.alive():
        return _worker
    if _failed:
        raise Unavailable("no checking process can be started here")
    _retire()
    try:
        _worker = _Worker()
    except (ImportError, OSError, ValueError, Unavailable) as exc:
        _failed = True
        raise Unavailable(str(exc)) from None
    return _worker


@atexit.register
def _retire() -> None:
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None


def _serve(receiving: Connection, sending: Connection) -> None:
    """The worker's loop: check each answer with the question it names, until the pipe ends.

    Each check runs in a child forked for it, killed when its time is up; the worker
    itself never computes, so it is never stuck, and a fork of this one-threaded process
    is safe and costs a few milliseconds.
    """
    for module in _PRELOAD:
        importlib.import_module(module)
    _warm_up()
    questions: dict[tuple[str, str, str], _base.Check] = {}
    with contextlib.suppress(EOFError, OSError, KeyboardInterrupt):
        sending.send(os.getpid())
        while True:
            key, question, response, lang, timeout = receiving.recv()
            if question is not None:
                questions[key] = question
            set_language(lang)
            sending.send(_forked(questions[key], response, timeout))


def _warm_up() -> None:
    """Check one answer here, before any fork: SymPy imports much of itself on first use,
    and what a child imports is gone with it, so every child would pay for it again."""
    from .expression import ExpressionCheck

    question = ExpressionCheck("warm-up", "?", answer="2(x + 1)", points=2)
    for answer in ("2x + 2", "sin(x)^2 + cos(x)^2 + ln(x)*sqrt(x)/(x + 1)", "|x| - e^x"):
        with contextlib.suppress(_base.InvalidResponse):
            question.check(answer)


def _forked(question: _base.Check, response: object, timeout: float) -> _Reply:
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover -- the child reports through the pipe and leaves
        os.close(reading)
        try:
            Connection(writing, readable=False).send(_outcome(question, response))
        finally:
            os._exit(0)
    os.close(writing)
    answer = Connection(reading, writable=False)
    try:
        if not answer.poll(timeout):
            return "timeout", None
        return _reply(answer.recv())
    except EOFError:
        return "error", "the check ended without an answer"
    finally:
        answer.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)


def _reply(data: object) -> _Reply:
    """A reply read from a pipe, in the shape ``_outcome`` gave it."""
    if isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], str):
        return data[0], data[1]
    return "error", f"the checking process answered with {type(data).__name__}"


def _outcome(question: _base.Check, response: object) -> _Reply:
    try:
        return "verdict", question.check(response)
    except _base.InvalidResponse as exc:
        return "invalid", str(exc)
    except _base.QuestionError as exc:
        return "question", str(exc)
    except Exception as exc:  # reported to the kernel, which logs the answer as unchecked
        return "error", f"{type(exc).__name__}: {exc}"


if __name__ == "__main__":
    _serve(
        Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False)
    )
