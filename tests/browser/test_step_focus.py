"""The step a misconception points to, as Chromium draws it with the card's stylesheet: its
label readable and its frame visible against the example, in light and in dark themes.

Its picture goes to ``GUESSFIRST_SCREENSHOTS`` when set, else to
``test-artifacts/screenshots/``, as in test_screenshots.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from guessfirst._assets import asset
from guessfirst.student import rendering

REPO = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("GUESSFIRST_SCREENSHOTS") or REPO / "test-artifacts" / "screenshots")
STEPS = ["Speed is distance over time: $v = d / t$.", "Divide: $120 \\div 1.5 = 80$ km/h."]


def _page() -> str:
    example = rendering.render_example(STEPS, focus=2)
    css = asset("widget.css").read_text(encoding="utf-8")
    return (
        f"<!doctype html><html><head><style>{css}</style></head><body>"
        '<div class="guessfirst" style="width: 520px"><section class="gf-example">'
        f'<h3 class="gf-example-title">Worked example</h3><div class="gf-example-body">{example}'
        "</div></section></div></body></html>"
    )


def _rgb(value: str) -> tuple[float, float, float]:
    red, green, blue = (float(part) for part in re.findall(r"[\d.]+", value)[:3])
    return red, green, blue


def _contrast(one: str, two: str) -> float:
    """WCAG 2's contrast ratio of two opaque colours."""

    def luminance(colour: tuple[float, float, float]) -> float:
        def linear(channel: float) -> float:
            c = channel / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        red, green, blue = (linear(channel) for channel in colour)
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    light, dark = sorted((luminance(_rgb(one)), luminance(_rgb(two))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_emphasised_step_is_readable_and_stands_out(browser, scheme):
    page = browser.new_page(color_scheme=scheme)
    try:
        page.set_content(_page())
        styles = page.evaluate(
            """() => {
              const style = (selector) => getComputedStyle(document.querySelector(selector));
              const focus = style('.gf-step-focus');
              return {
                label: style('.gf-step-focus-label').color,
                text: focus.color,
                background: focus.backgroundColor,
                frame: focus.borderLeftColor,
                frameWidth: focus.borderLeftWidth,
                example: style('.gf-example').backgroundColor,
              };
            }"""
        )
        assert page.inner_text(".gf-step-focus-label") == "Step 2"
        assert "120" in page.inner_text(".gf-step-focus")
        assert "Speed is distance" not in page.inner_text(".gf-step-focus")
        assert _contrast(styles["label"], styles["background"]) >= 7
        assert _contrast(styles["text"], styles["background"]) >= 7
        assert _contrast(styles["frame"], styles["example"]) >= 3  # a visible frame
        assert styles["frameWidth"] == "4px"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(".gf-example").screenshot(path=str(SHOTS / f"step-focus-{scheme}.png"))
    finally:
        page.close()
