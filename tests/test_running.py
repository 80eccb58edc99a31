"""Running code in the kernel: output captured, errors reported, overruns stopped."""

from __future__ import annotations

import signal
import sys
import threading

import pytest

from guessfirst.checks._running import Call, Run, call, run_code


def run(code: str, timeout: float = 2.0) -> Run:
    return run_code(code, timeout=timeout, filename="<snippet>")


def test_what_the_code_prints_is_captured_not_shown(capsys: pytest.CaptureFixture[str]) -> None:
    ran = run("import sys\nprint('hello', 3)\nprint('careful', file=sys.stderr)\nprint('bye')")
    assert ran == Run(output="hello 3\ncareful\nbye\n", error=None, line=None, timed_out=False)
    assert capsys.readouterr() == ("", "")


def test_the_notebook_streams_are_back_after_a_run() -> None:
    before = sys.stdout, sys.stderr
    run("print('x')")
    call(print, ("y",), timeout=2.0)
    assert (sys.stdout, sys.stderr) == before


def test_other_threads_still_print_to_the_notebook(capsys: pytest.CaptureFixture[str]) -> None:
    def elsewhere() -> None:
        print("from the notebook")

    def student() -> None:
        other = threading.Thread(target=elsewhere)
        other.start()
        other.join()
        print("from the call")

    assert call(student, (), timeout=2.0).output == "from the call\n"
    assert capsys.readouterr().out == "from the notebook\n"


def test_each_run_has_a_fresh_namespace_run_as_a_script() -> None:
    assert run("x = 1\nprint(__name__)").output == "__main__\n"
    assert run("print(x)").error == "NameError: name 'x' is not defined"


def test_an_error_is_returned_with_its_line_and_the_output_before_it() -> None:
    ran = run("print('start')\nx = 1 / 0\nprint('never')")
    assert ran == Run("start\n", "ZeroDivisionError: division by zero", 2, False)


def test_a_syntax_error_is_returned_not_raised() -> None:
    ran = run("print('x'")
    assert ran.error is not None
    assert ran.error.startswith("SyntaxError:")
    assert "<snippet>" in ran.error


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("import sys\nsys.exit(3)", "SystemExit: 3"),
        ("raise KeyboardInterrupt", "KeyboardInterrupt"),
        ("def down(n):\n    return down(n + 1)\ndown(0)", "RecursionError:"),
        ("raise ValueError('first line\\nsecond line')", "ValueError: first line"),
    ],
)
def test_exits_interrupts_and_deep_recursion_are_errors_like_any_other(
    code: str, error: str
) -> None:
    ran = run(code)
    assert ran.error is not None
    assert ran.error.startswith(error)
    assert "\n" not in ran.error
    assert not ran.timed_out


def test_an_endless_loop_is_stopped_and_reported() -> None:
    ran = run("print('start')\nwhile True:\n    pass", timeout=0.2)
    assert ran == Run("start\n", "took longer than 0.2 s", None, True)


def test_the_stopped_code_does_not_keep_running() -> None:
    workers: list[threading.Thread] = []

    def forever() -> None:
        workers.append(threading.current_thread())
        while True:
            pass

    assert call(forever, (), timeout=0.2).timed_out
    workers[0].join(10)
    assert not workers[0].is_alive()


def test_code_that_swallows_the_first_stop_is_stopped_all_the_same() -> None:
    workers: list[threading.Thread] = []

    def swallows_one() -> None:
        workers.append(threading.current_thread())
        try:
            while True:
                pass
        except BaseException:
            while True:
                pass

    assert call(swallows_one, (), timeout=0.2).error == "took longer than 0.2 s"
    workers[0].join(10)
    assert not workers[0].is_alive()


def test_code_blocked_in_a_c_call_is_reported_as_overrunning() -> None:
    import time

    ran = call(time.sleep, (1.5,), timeout=0.2)
    assert ran == Call(None, "", "took longer than 0.2 s", True)


def test_a_call_returns_the_value_and_what_it_printed() -> None:
    def shout(word: str) -> str:
        print("shouting")
        return word.upper()

    assert call(shout, ("hi",), timeout=2.0) == Call("HI", "shouting\n", None, False)


def test_an_error_in_a_call_is_data() -> None:
    ran = call(len, (5,), timeout=2.0)
    assert ran == Call(None, "", "TypeError: object of type 'int' has no len()", False)


def test_an_exception_whose_message_fails_still_has_its_name() -> None:
    class Broken(Exception):
        def __str__(self) -> str:
            raise RuntimeError

    def fail() -> None:
        raise Broken

    assert call(fail, (), timeout=2.0).error == "Broken"


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs POSIX signals")
def test_the_notebook_stop_button_stops_the_code_and_interrupts() -> None:
    main = threading.main_thread().ident
    assert main is not None and threading.current_thread() is threading.main_thread()
    workers: list[threading.Thread] = []
    before = sys.stdout

    def press_stop_then_loop() -> None:
        workers.append(threading.current_thread())
        signal.pthread_kill(main, signal.SIGINT)
        while True:
            pass

    with pytest.raises(KeyboardInterrupt):
        call(press_stop_then_loop, (), timeout=60)
    workers[0].join(10)
    assert not workers[0].is_alive()
    assert sys.stdout is before


@pytest.mark.parametrize("timeout", [0, -1.0])
def test_a_time_limit_must_be_positive(timeout: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        call(print, (), timeout=timeout)
