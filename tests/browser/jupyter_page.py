"""Driving the lesson in JupyterLab 4 and Notebook 7 the way a student does: menus, keys, clicks.

Both front ends share JupyterLab's notebook, menus and commands; they differ in the
address of a notebook. JupyterLab 4.2+ windows long notebooks (cells off screen are not
attached), so cells are found by scrolling the notebook until they are.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page
from servers import LESSON, Server

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "js" / "node_modules" / "axe-core" / "axe.min.js"
#: Screenshots are kept for a person to look at; CI can collect the folder.
ARTIFACTS = Path(os.environ.get("GUESSFIRST_ARTIFACTS", REPO / "test-artifacts")) / "browser"

#: Where each front end opens a notebook.
ADDRESS = {"lab": "/lab/tree/{}", "notebook": "/notebooks/{}"}
_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
_SCROLLER = f"{_PANEL} .jp-WindowedPanel-outer"

#: What each part of a question card shows, read in one go.
_CARD_STATE = """(root) => ({
    status: root.dataset.status,
    feedback: root.querySelector('.gf-feedback')?.innerText ?? '',
    example: root.querySelector('.gf-example')?.innerText ?? '',
    outcome: root.querySelector('.gf-outcome')?.innerText ?? '',
    thanks: root.querySelector('.gf-thanks')?.textContent ?? '',
    submit: root.querySelector('.gf-submit')?.textContent ?? '',
    answer: [...root.querySelectorAll('.gf-answer input')]
        .filter(i => i.type === 'text' || i.checked).map(i => i.value),
    locked: [...root.querySelectorAll('.gf-answer input')].every(i => i.disabled),
})"""


class Lesson:
    """The demo lesson open in one browser page of a running front end."""

    def __init__(self, page: Page, server: Server, frontend: str, notebook: str = LESSON) -> None:
        self.page, self.server, self.frontend = page, server, frontend
        self.notebook = notebook

    def open(self) -> Lesson:
        self.page.goto(self.server.url + ADDRESS[self.frontend].format(self.notebook))
        self.page.wait_for_selector(f"{_PANEL} .jp-Cell", timeout=90_000)
        self.wait_for_kernel()
        return self

    # -- the kernel and the menus ------------------------------------------------------

    def kernel_states(self) -> list[str]:
        """Each running kernel's state; a server error while one starts reads as "error: ..."."""
        try:
            with urllib.request.urlopen(self.server.url + "/api/kernels", timeout=5) as answer:
                return [kernel["execution_state"] for kernel in json.load(answer)]
        except urllib.error.HTTPError as err:  # seen once, mid-start, in a fresh CI clone
            if err.code < 500:
                raise
            return [f"error: {err.code} {err.read()[:200]!r}"]

    def wait_for_kernel(self, timeout: float = 90) -> None:
        """Until the notebook's kernel has started and is idle."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.kernel_states() == ["idle"]:
                return
            time.sleep(0.25)
        printed = self.server.output.read_text(errors="replace")[-3000:]
        raise AssertionError(
            f"kernel not idle after {timeout:.0f} s: {self.kernel_states()}\n{printed}"
        )

    def menu(self, top: str, command: str) -> None:
        self.page.click(f"li.lm-MenuBar-item:has-text('{top}')")
        self.page.click(f".lm-Menu-item[data-command='{command}']")

    def run_all(self) -> None:
        self.menu("Run", "runmenu:run-all")
        self.wait_until_all_ran()

    def restart_and_run_all(self) -> None:
        self.menu("Kernel", "runmenu:restart-and-run-all")
        self.page.click(".jp-Dialog .jp-mod-accept")
        # The prompts first go blank or busy: only then is "all ran" about the new kernel.
        self.page.wait_for_function(
            """(panel) => [...document.querySelectorAll(panel + ' .jp-InputPrompt')]
                .some(p => /^\\[[ *]\\]:$/.test(p.textContent.trim()))""",
            arg=_PANEL,
        )
        self.wait_until_all_ran()

    def wait_until_all_ran(self, timeout: float = 120) -> None:
        """Until every code cell shows an execution count and the kernel is idle again."""
        deadline = time.monotonic() + timeout
        counts: dict[str, str] = {}
        while time.monotonic() < deadline:
            self.wait_for_kernel(timeout)
            counts = self._prompts()
            if counts and all(re.fullmatch(r"\[\d+\]:", p) for p in counts.values()):
                return
            time.sleep(0.5)
        raise AssertionError(f"cells did not all run: {counts}")

    def _prompts(self) -> dict[str, str]:
        """Each code cell's source and input prompt, over the whole windowed notebook."""
        scroller = self.page.locator(_SCROLLER).first
        scroller.evaluate("e => e.scrollTop = 0")
        seen: dict[str, str] = {}
        for _ in range(100):
            for source, prompt in self.page.evaluate(
                """(panel) => [...document.querySelectorAll(panel + ' .jp-CodeCell')].map(c => [
                    c.querySelector('.jp-InputArea .cm-content')?.textContent ?? '',
                    (c.querySelector('.jp-InputPrompt')?.textContent ?? '').trim()])""",
                _PANEL,
            ):
                seen[source] = prompt
            if scroller.evaluate("e => e.scrollTop + e.clientHeight >= e.scrollHeight - 2"):
                break
            scroller.evaluate("e => e.scrollTop += 400")
        return seen

    def set_theme(self, name: str) -> None:
        self.page.click("li.lm-MenuBar-item:has-text('Settings')")
        self.page.hover(".lm-Menu-item:has-text('Theme')")
        self.page.click(f".lm-Menu-item[data-command='apputils:change-theme']:has-text('{name}')")
        light = "false" if "Dark" in name else "true"
        self.page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'")

    # -- the questions -----------------------------------------------------------------

    def card(self, source: str, timeout: float = 30) -> Locator:
        """The question card in the output of the cell whose code is ``source``."""
        deadline = time.monotonic() + timeout
        scroller = self.page.locator(_SCROLLER).first
        cell = self.page.locator(f"{_PANEL} .jp-CodeCell:has(.jp-InputArea:has-text('{source}'))")
        while time.monotonic() < deadline:
            scroller.evaluate("e => e.scrollTop = 0")
            for _ in range(100):
                if cell.count() and cell.first.locator(".guessfirst").count():
                    card = cell.first.locator(".guessfirst").first
                    card.scroll_into_view_if_needed()
                    return card
                if scroller.evaluate("e => e.scrollTop + e.clientHeight >= e.scrollHeight - 2"):
                    break
                scroller.evaluate("e => e.scrollTop += 400")
            time.sleep(0.5)
        raise AssertionError(f"no question card under the cell {source!r}")

    def html(self) -> str:
        """Everything the page holds, hidden parts and attributes included.

        The notebook is scrolled end to end on the way, so that cells windowing had
        detached are attached and read too.
        """
        scroller = self.page.locator(_SCROLLER).first
        scroller.evaluate("e => e.scrollTop = 0")
        parts = []
        for _ in range(100):
            parts.append(self.page.evaluate("() => document.documentElement.outerHTML"))
            if scroller.evaluate("e => e.scrollTop + e.clientHeight >= e.scrollHeight - 2"):
                break
            scroller.evaluate("e => e.scrollTop += e.clientHeight / 2")
        return "\n".join(parts)

    def focused(self) -> str:
        """What has the keyboard focus, as a student would name it."""
        return self.page.evaluate(
            """() => { const a = document.activeElement;
                const where = a.closest('.guessfirst') ? '' : ' (outside the question)';
                return a.tagName.toLowerCase() + (a.type ? `[${a.type}]` : '')
                    + (a.className ? '.' + String(a.className).split(' ').join('.') : '')
                    + where; }"""
        )

    def save_screenshot(self, card: Locator, folder: Path, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.frontend}-{name}.png"
        self.page.mouse.move(1, 1)  # no hover styles in the picture
        card.screenshot(path=str(path))
        return path


def state(card: Locator) -> dict:
    return card.evaluate(_CARD_STATE)


def wait_for(card: Locator, test, what: str, timeout: float = 20) -> dict:
    """The card's state once ``test(state)`` holds; fails naming ``what`` it waited for."""
    deadline = time.monotonic() + timeout
    now = state(card)
    while not test(now):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}; the card shows {now}")
        time.sleep(0.1)
        now = state(card)
    return now


def need_axe() -> None:
    """Skip without axe-core (a developer who has not run npm ci); under CI=true, fail."""
    if not AXE.exists():
        message = f"axe-core is missing: run `npm ci` in js/ ({AXE})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def serious_violations(lesson: Lesson, card: Locator) -> list[str]:
    """axe's serious and critical violations inside the question card, and text too faint.

    axe's own colour-contrast rule skips almost all text inside JupyterLab (it judges the
    notebook's text not visible on screen; only form fields get checked), so the contrast
    of every visible element of the card that holds text is measured here: its colour
    over the background colours of it and its ancestors, blended as the page paints them
    (the notebook has no background images), against WCAG AA: 4.5:1, or 3:1 for large
    text. Fails when there was no text to measure, so an unseen card never passes.
    """
    if not lesson.page.evaluate("() => typeof window.axe === 'object'"):
        lesson.page.add_script_tag(path=str(AXE))
    found = card.evaluate(
        """async (root) => {
            const result = await window.axe.run(root);
            const serious = result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' '))}`);
            // An element's colour over the colours behind it, blended up to the page.
            const Color = window.axe.commons.color.Color;
            const parse = (text) => { const c = new Color(); c.parseString(text); return c; };
            const blend = (top, under) => {
                const a = top.alpha + under.alpha * (1 - top.alpha);
                const mix = (x, y) => a && (x * top.alpha + y * under.alpha * (1 - top.alpha)) / a;
                return new Color(mix(top.red, under.red), mix(top.green, under.green),
                                 mix(top.blue, under.blue), a);
            };
            const behind = (e) => {
                let layers = [];
                for (let at = e; at; at = at.parentElement) {
                    layers.push(parse(getComputedStyle(at).backgroundColor));
                }
                return layers.reverse().reduce((under, top) => blend(top, under),
                                               new Color(255, 255, 255, 1));
            };
            const texts = [...root.querySelectorAll('*')].filter(e =>
                [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
                && e.checkVisibility({opacityProperty: true, visibilityProperty: true})
                && !e.closest('math, [disabled], :disabled'));
            let measured = 0;
            for (const e of texts) {
                const style = getComputedStyle(e);
                const bg = behind(e);
                const fg = blend(parse(style.color), bg);
                const size = parseFloat(style.fontSize);
                const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
                const ratio = window.axe.commons.color.getContrast(bg, fg);
                measured += 1;
                if (ratio < (large ? 3 : 4.5)) {
                    const name = e.tagName.toLowerCase() + '.' + [...e.classList].join('.');
                    const words = e.textContent.trim().slice(0, 40);
                    serious.push(`text contrast ${ratio.toFixed(2)}:1 in ${name}: ${words}`);
                }
            }
            return {measured, serious};
        }"""
    )
    assert found["measured"] > 0, "no text of the card could be measured"
    return found["serious"]
