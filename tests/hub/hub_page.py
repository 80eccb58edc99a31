"""Students at the hub in Chromium: the login form, their server starting, the lesson open.

The lesson is driven by tests/browser's ``Lesson``; only how its kernels are read
changes, since a hub's server answers its API to a token, not to an anonymous request.
Each student gets a browser context of their own, so that their hub cookies never mix.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import urllib.error
from pathlib import Path

from hub_server import Hub, Student
from playwright.sync_api import Browser, Locator, Page, Playwright

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
if str(BROWSER_TESTS) not in sys.path:
    sys.path.insert(0, str(BROWSER_TESTS))

from jupyter_page import Lesson, wait_for  # noqa: E402
from servers import Server  # noqa: E402


def chromium() -> tuple[str, list[str]]:
    """Debian's Chromium and the browser tests' flags for it, read from their conftest."""
    spec = importlib.util.spec_from_file_location("browser_conftest", BROWSER_TESTS / "conftest.py")
    assert spec and spec.loader
    settings = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(settings)
    return settings.CHROMIUM, settings.LAUNCH_ARGS


def launch(playwright: Playwright) -> Browser:
    path, args = chromium()
    return playwright.chromium.launch(executable_path=path, args=args)


class HubLesson(Lesson):
    """The demo lesson open in a student's JupyterLab, reached through the hub."""

    def __init__(self, page: Page, hub: Hub, student: Student) -> None:
        server = Server(
            url=f"{hub.url}/user/{student.name}",
            root=student.home,
            log_dir=student.log_dir,
            student=student.name,
            output=hub.output,
        )
        super().__init__(page, server, "lab")
        self.hub, self.student = hub, student

    def kernel_states(self) -> list[str]:
        try:
            kernels = json.loads(self.hub.api(f"/user/{self.student.name}/api/kernels"))
        except urllib.error.HTTPError as err:
            if err.code < 500:
                raise
            return [f"error: {err.code} {err.read()[:200]!r}"]
        return [kernel["execution_state"] for kernel in kernels]

    def go(self) -> None:
        """Ask for the notebook and return at once: the kernel starts meanwhile."""
        self.page.goto(self.server.url + f"/lab/tree/{self.notebook}")

    def ready(self) -> HubLesson:
        """Until the notebook shows and its kernel is idle."""
        self.page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        self.wait_for_kernel()
        return self


def log_in(browser: Browser, hub: Hub, student: Student) -> Page:
    """Sign in through the hub's form, as a student types it; their server starts now.

    Returns once the hub has taken the login (the spawn page, or the server if it was
    quick), not when the server is up: several students' servers then start together.
    """
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.goto(hub.url + "/hub/login")
    page.fill("#username_input", student.name)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(r"/hub/spawn|/user/"), timeout=30_000)
    return page


def open_lessons(pages: dict[Student, Page], hub: Hub, timeout: float = 120) -> list[HubLesson]:
    """Each student's JupyterLab, then the demo lesson in it, kernels started side by side."""
    lessons = []
    for student, page in pages.items():
        page.wait_for_url(f"**/user/{student.name}/lab**", timeout=timeout * 1000)
        lesson = HubLesson(page, hub, student)
        lesson.go()
        lessons.append(lesson)
    return [lesson.ready() for lesson in lessons]


def run_all(lessons: list[HubLesson]) -> None:
    """Run every cell in every lesson, all started before any is waited for."""
    for lesson in lessons:
        lesson.menu("Run", "runmenu:run-all")
    for lesson in lessons:
        lesson.wait_until_all_ran()


def choose(card: Locator, choice: str, confidence: str, expect: str) -> dict:
    """Answer a Choice question by mouse and wait until the card says ``expect``."""
    card.locator(".gf-choice", has_text=choice).click()
    card.locator(".gf-pill", has_text=confidence).click()
    card.locator(".gf-submit").click()
    return wait_for(card, lambda s: s["status"] == expect, f"{choice!r} checked as {expect}")
