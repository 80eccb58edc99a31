"""A question's prompt as one line of plain text: what a notebook shows where no card runs."""

from __future__ import annotations

import re

import pytest

from guessfirst.student.plaintext import plain_text, tex_to_plain


@pytest.mark.parametrize(
    ("tex", "plain"),
    [
        (r"\frac{1}{2} + \frac{1}{3}", "1/2 + 1/3"),
        (r"\dfrac{x + 1}{2}", "(x + 1)/2"),
        (r"\frac{120 \text{ km}}{1.5 \text{ h}}", "(120 km)/(1.5 h)"),
        (r"\frac{\frac{1}{2}}{3}", "(1/2)/3"),
        (r"3 \times 4 \div 2 \cdot 1", "3 × 4 ÷ 2 · 1"),
        (r"x^{2} + y^2 - x^{n+1}", "x² + y² - xⁿ⁺¹"),
        (r"e^{-x^2}", "e^(-x²)"),
        (r"x_{1} + x_n", "x₁ + x_n"),
        (r"\sqrt{x}", "√x"),
        (r"\sqrt{x + 1}", "√(x + 1)"),
        (r"\sqrt[3]{8}", "∛8"),
        (r"90^\circ", "90°"),
        (r"\text{km}\,\text{h}^{-1}", "km h⁻¹"),
        (r"A = \pi r^{2} \approx 3.14", "A = π r² ≈ 3.14"),
        (r"\left( \frac{a}{b} \right)^{2}", "( a/b )²"),
        (r"\{1, 2\} \leq 5\%", "{1, 2} ≤ 5%"),
        (r"\mathbf{v} \cdot \mathbf{w}", "v · w"),
        (r"\sin \theta", "sin θ"),
        (r"\frac{1}{", "1/"),  # unfinished TeX still gives text
    ],
)
def test_simple_tex_reads_as_plain_text(tex: str, plain: str) -> None:
    assert tex_to_plain(tex) == plain


def test_markdown_keeps_its_words_and_drops_its_markup() -> None:
    markdown = (
        "Tick **every** fraction equal to $\\frac{2}{3}$, in `a/b` form. Costs \\$5 and $6.\n\n"
        "$$v = \\frac{d}{t}$$\n\n"
        "| fraction | equal? |\n|---|---|\n| $\\frac{4}{6}$ | yes |\n\n"
        "See [the notes](https://example.org) <b>here</b>."
    )
    assert plain_text(markdown) == (
        "Tick every fraction equal to 2/3, in a/b form. Costs $5 and $6. v = d/t "
        "fraction equal? 4/6 yes See the notes here."
    )


@pytest.mark.parametrize(
    "markdown",
    [
        r"Work out $\frac{1}{2} + \frac{1}{3}$.",
        r"$$\begin{aligned} x &= \frac{a}{b} \\ y &= \unknowncommand{z} \end{aligned}$$",
        "\\(\\sqrt[5]{\\alpha_{i}}\\) and\n\n\\[\\int_0^1 x\\,dx\\]",
    ],
)
def test_no_tex_command_or_math_delimiter_is_left(markdown: str) -> None:
    text = plain_text(markdown)
    assert "begin" not in text and "aligned" not in text
    assert "$" not in text and "\\" not in text
    assert not re.search(r"[{}]", text)
