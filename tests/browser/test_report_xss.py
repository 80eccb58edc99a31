"""Student text in a real browser: the report shows it, and nothing in it ever runs."""

from __future__ import annotations

from pathlib import Path

from guessfirst.log import eventlog
from guessfirst.teacher import cli

PAYLOADS = [
    "<script>window.__pwned = 'script'</script>",
    '"><img src=x onerror="window.__pwned = \'img\'">',
    "javascript:window.__pwned = 'link'",
    "</title><script>window.__pwned = 'title'</script>",
    "<svg onload=\"window.__pwned = 'svg'\"></svg>",
    "<a href=\"javascript:window.__pwned='a'\">click</a>",
    "{{constructor.constructor('window.__pwned = 1')()}}",
]


def _hostile_logs(folder: Path) -> None:
    """A class whose ids, answers, keys and notes are all attacks, written as the widget would."""
    for number, payload in enumerate(PAYLOADS):
        student = f"{payload} {number}"
        path = eventlog.log_path(folder, student)
        common = {
            "student": student,
            "session": "s",
            "notebook": payload,
            "question": f"q {payload}",
            "qversion": "0123456789ab",
        }
        first = eventlog.make_event(
            "attempt",
            **common,
            attempt=1,
            response=payload,
            correct=False,
            confidence=1.0,
            latency_ms=900,
            misconception=payload,
            normalized=payload,
        )
        eventlog.append_event(path, eventlog.make_event("shown", **common, kind="text"))
        eventlog.append_event(path, first)
        eventlog.append_event(
            path, eventlog.make_event("reflection", **common, attempt=1, text=payload)
        )
        eventlog.append_event(
            path,
            eventlog.make_event(
                "attempt",
                **common,
                attempt=2,
                response="ok",
                correct=True,
                confidence=0.0,
                latency_ms=800,
                misconception=None,
                normalized="ok",
            ),
        )
    broken = eventlog.log_path(folder, PAYLOADS[0] + " 0")
    broken.write_bytes(broken.read_bytes() + PAYLOADS[1].encode() + b"\n")


def test_a_report_full_of_attacks_runs_none_of_them(browser, tmp_path: Path):
    _hostile_logs(tmp_path / "logs")
    report = tmp_path / "report.html"
    assert cli.main(["report", str(tmp_path / "logs"), "-o", str(report)]) == 0

    page = browser.new_page()
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")

    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert requests == [report.as_uri()]
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    assert (
        page.evaluate(
            "[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
            ".some(a => a.name.startsWith('on'))).length"
        )
        == 0
    )
    text = page.evaluate("document.body.innerText")
    for payload in PAYLOADS:
        assert payload in text or payload.replace('"', "&quot;") in text, payload
    page.close()


def test_the_same_check_catches_a_payload_that_does_run(browser, tmp_path: Path):
    # The control for the test above: unescaped, the payloads do fire in this browser.
    page_file = tmp_path / "unsafe.html"
    page_file.write_text(f"<!doctype html><title>x</title><body>{PAYLOADS[1]}</body>")
    page = browser.new_page()
    page.goto(page_file.as_uri())
    page.wait_for_function("window.__pwned !== undefined")
    assert page.evaluate("window.__pwned") == "img"
    page.close()
