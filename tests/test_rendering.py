"""What teachers and students see of rendered Markdown, and what must never reach them."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import pytest

from guessfirst.student.rendering import (
    escape,
    prepare_example,
    render_example,
    render_markdown,
    sanitize,
)

matplotlib.use("Agg")

_PNG = b"\x89PNG\r\n\x1a\n"


class _Elements(HTMLParser):
    """Collects every element and its attributes, as the browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def _elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def _figure() -> object:
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(2, 2))
    axes.plot([0, 1, 2], [0, 1, 4])
    return figure


def _inlined_image(html: str) -> bytes:
    match = re.search(r'src="data:image/png;base64,([^"]+)"', html)
    assert match, html
    return base64.b64decode(match.group(1))


# --- Markdown -------------------------------------------------------------------------------


def test_paragraphs_lists_and_tables_render() -> None:
    html = render_markdown(
        "First paragraph.\n\nSecond with **bold** and ~~gone~~.\n\n"
        "- one\n- two\n\n| x | y |\n|:--|--:|\n| 1 | 2 |\n"
    )
    assert html.count("<p>") == 2
    assert "<strong>bold</strong>" in html
    assert "<s>gone</s>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<th style="text-align:left">x</th>' in html
    assert '<td style="text-align:right">2</td>' in html


def test_inline_rendering_has_no_paragraph_around_it() -> None:
    assert render_markdown("Pick the *larger* value", inline=True) == (
        "Pick the <em>larger</em> value"
    )


def test_teacher_html_is_kept_when_harmless() -> None:
    html = render_markdown("A <b>key</b> idea, <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O")
    assert "<b>key</b>" in html
    assert "<kbd>Ctrl</kbd>" in html
    assert "<sub>2</sub>" in html


def test_links_open_in_a_new_tab_without_opener() -> None:
    html = render_markdown("See [the notes](https://example.org/notes) or <mailto:t@school.org>")
    links = [attrs for tag, attrs in _elements(html) if tag == "a"]
    assert [link["href"] for link in links] == [
        "https://example.org/notes",
        "mailto:t@school.org",
    ]
    assert all(link["target"] == "_blank" for link in links)
    assert all(link["rel"] == "noopener noreferrer" for link in links)


def test_relative_links_lose_their_target() -> None:
    html = render_markdown("[next lesson](lesson2.ipynb)")
    assert "next lesson" in html
    assert "href" not in html


# --- Math -----------------------------------------------------------------------------------


def test_inline_math_becomes_mathml() -> None:
    html = render_markdown("Solve $x^2 = 4$ for $x$.")
    assert html.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">') == 2
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in html
    assert "$" not in html


def test_display_math_is_a_block_and_fractions_are_mfrac() -> None:
    html = render_markdown("Halve it:\n\n$$\n\\frac{a}{2}\n$$\n")
    assert 'display="block"' in html
    assert "<mfrac>" in html


def test_double_dollars_inside_a_sentence_are_display_math() -> None:
    html = render_markdown("so $$\\sum_i i$$ follows")
    assert 'display="block"' in html
    assert "$" not in html


def test_latex_bracket_delimiters_work_too() -> None:
    html = render_markdown("Inline \\(a+b\\) here.\n\n\\[\n\\sqrt{2}\n\\]\n")
    assert 'display="inline"' in html
    assert 'display="block"' in html
    assert "<msqrt>" in html


@pytest.mark.parametrize(
    "text",
    [
        "It costs $5 and $10.",
        "Prices: $5, $10 and $15.",
        "Tickets are $5-$10 each.",
        "I had $3 and you had $",
    ],
)
def test_money_dollars_stay_text(text: str) -> None:
    html = render_markdown(text, inline=True)
    assert html == text
    assert "<math" not in html


def test_money_and_math_in_one_sentence() -> None:
    html = render_markdown("Pay $5, then solve $y+1=2$.", inline=True)
    assert html.startswith("Pay $5, then solve <math")
    assert html.count("<math") == 1


def test_bad_tex_shows_its_source_instead_of_failing() -> None:
    html = render_markdown("Broken: $a_b_c < d$ but the page still shows.")
    assert '<code class="gf-math-error">a_b_c &lt; d</code>' in html
    assert "the page still shows" in html
    assert "<math" not in html


def test_bad_display_tex_shows_its_source() -> None:
    html = render_markdown("$$\n\\left( x\n$$\n")
    assert '<code class="gf-math-error">\\left( x</code>' in html


def test_matrices_cases_and_text_keep_their_structure() -> None:
    html = render_markdown(
        "$$\n\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix} "
        "\\begin{cases}1 & \\text{if } x>0\\\\0&\\text{else}\\end{cases}\n$$\n"
    )
    assert html.count("<mtr>") == 4
    assert '<mtd columnalign="left">' in html
    assert "<mtext>if&nbsp;</mtext>" in html
    assert 'stretchy="true" fence="true" form="prefix"' in html


# --- Code -----------------------------------------------------------------------------------


def test_fenced_python_is_highlighted_with_pygments_classes() -> None:
    html = render_markdown("```python\nimport math\nprint('<hi>')\n```\n")
    assert html.startswith('<pre class="gf-code"><code class="language-python">')
    assert '<span class="kn">import</span>' in html
    assert '<span class="nb">print</span>' in html
    assert "&lt;hi&gt;" in html
    assert "style=" not in html


@pytest.mark.parametrize("fence", ["```no-such-language\n", "```\n"])
def test_code_without_a_known_language_is_plain_and_escaped(fence: str) -> None:
    html = render_markdown(f"{fence}<b>x</b> & y\n```\n")
    assert html.startswith('<pre class="gf-code"><code')
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in html
    assert "<span" not in html


def test_inline_code_is_escaped() -> None:
    assert render_markdown("Type `x < 1`", inline=True) == "Type <code>x &lt; 1</code>"


# --- Images ---------------------------------------------------------------------------------


def test_local_image_path_is_inlined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    picture = prepare_example(_figure())[0]
    (tmp_path / "plots").mkdir()
    (tmp_path / "plots" / "curve.png").write_bytes(picture)
    monkeypatch.chdir(tmp_path)
    html = render_markdown('![the curve](plots/curve.png "Figure 1")')
    assert _inlined_image(html) == picture
    assert 'alt="the curve"' in html
    assert 'title="Figure 1"' in html


def test_missing_local_image_shows_its_alt_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    html = render_markdown("![graph of y = x & z](missing.png)")
    assert html == "<p>graph of y = x &amp; z</p>\n"


def test_local_file_that_is_not_an_image_shows_alt_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "answers.txt").write_text("the secret answers")
    monkeypatch.chdir(tmp_path)
    html = render_markdown("![answers](answers.txt)")
    assert html == "<p>answers</p>\n"


def test_local_image_of_5_mb_or_more_is_not_inlined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "huge.png").write_bytes(_PNG + bytes(5 * 1024 * 1024))
    monkeypatch.chdir(tmp_path)
    assert render_markdown("![huge](huge.png)") == "<p>huge</p>\n"


def test_web_image_is_kept() -> None:
    html = render_markdown("![a cat](https://example.org/cat.png)")
    assert '<img src="https://example.org/cat.png" alt="a cat">' in html


def test_image_bytes_become_an_inline_png() -> None:
    picture = prepare_example(_figure())[0]
    html = render_example([picture])
    assert html.startswith('<p><img src="data:image/png;base64,')
    assert 'alt=""' in html
    assert _inlined_image(html) == picture


@pytest.mark.parametrize(
    ("header", "mime"),
    [
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (b"GIF89a", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_image_bytes_keep_their_type(header: bytes, mime: str) -> None:
    assert f'src="data:{mime};base64,' in render_example(prepare_example(header + bytes(16)))


def test_figure_gives_the_same_bytes_every_time() -> None:
    figure = _figure()
    first, second = prepare_example(figure), prepare_example(figure)
    assert first == second
    assert first[0].startswith(_PNG)
    assert render_example(first) == render_example(second)


def test_figure_bytes_carry_no_software_stamp() -> None:
    """A matplotlib upgrade must not turn the same figure into a new question version."""
    assert b"Software" not in prepare_example(_figure())[0]


def test_example_parts_render_in_order() -> None:
    picture = prepare_example(_figure())[0]
    html = render_example(prepare_example(["**Step 1**", picture, "**Step 2**"]))
    assert html.index("Step 1") < html.index("<img") < html.index("Step 2")


def test_unclosed_html_in_one_part_does_not_swallow_the_next() -> None:
    html = render_example(["<div><b>open", "After"])
    assert html.endswith("<p>After</p>\n")


# --- prepare_example ------------------------------------------------------------------------


def test_prepare_example_normalises_what_a_teacher_passes(tmp_path: Path) -> None:
    picture = prepare_example(_figure())[0]
    path = tmp_path / "step.png"
    path.write_bytes(picture)
    assert prepare_example(None) == ()
    assert prepare_example("Text") == ("Text",)
    assert prepare_example(["a", (path, None), "b"]) == ("a", picture, "b")


def test_text_naming_a_file_is_still_markdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plot.png").write_bytes(_PNG)
    monkeypatch.chdir(tmp_path)
    assert prepare_example("plot.png") == ("plot.png",)


@pytest.mark.parametrize(
    ("value", "name"), [(42, "int"), ({"a": 1}, "dict"), (["ok", 2.5], "float")]
)
def test_prepare_example_type_errors_name_the_type(value: object, name: str) -> None:
    with pytest.raises(TypeError, match=rf"\b{name}\b"):
        prepare_example(value)


def test_bytes_that_are_not_an_image_are_refused() -> None:
    with pytest.raises(ValueError, match="PNG, JPEG, GIF or WebP"):
        prepare_example(b"<svg onload=alert(1)>")


def test_path_errors_name_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "missing.png"
    with pytest.raises(FileNotFoundError, match=r"missing\.png"):
        prepare_example(missing)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    with pytest.raises(ValueError, match=r"notes\.txt"):
        prepare_example(notes)


# --- Safety ---------------------------------------------------------------------------------

_FORBIDDEN_TAGS = {
    "script",
    "style",
    "iframe",
    "svg",
    "object",
    "embed",
    "link",
    "base",
    "meta",
    "form",
    "template",
    "noscript",
    "mglyph",
    "annotation-xml",
    "maction",
}

_XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>@import 'http://evil.example/x.css';</style>",
    '<div style="background:url(javascript:alert(1))" onmouseover="alert(1)">d</div>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math href="javascript:alert(1)"><mi>x</mi></math>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math><maction actiontype="statusline" onclick=alert(1)><mi>x</mi></maction></math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="'
    '</style><img src onerror=alert(1)>">',
    '<math><annotation-xml encoding="text/html"><svg onload=alert(1)></annotation-xml></math>',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "$\\href{javascript:alert(1)}{x}$",
    "$\\text{<img src=x onerror=alert(1)>}$",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<base href="https://evil.example/"><link rel=stylesheet href=https://evil.example/x.css>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<details open ontoggle=alert(1)>",
    '<td style="text-align:center;background-image:url(https://evil.example/t.png)">c</td>',
]


def _assert_harmless(html: str) -> None:
    for tag, attrs in _elements(html):
        assert tag not in _FORBIDDEN_TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name not in {"srcdoc", "xlink:href", "formaction"}, html
            if name == "href":
                assert tag == "a", html
                assert value.startswith(("http://", "https://", "mailto:")), html
            if name == "src":
                assert value.startswith(("https://", "http://", "data:image/png;base64,")), html
            if name == "style":
                assert re.fullmatch(r"text-align:\s*\w+;?", value), html


@pytest.mark.parametrize("payload", _XSS_PAYLOADS)
def test_xss_payloads_are_neutralised_everywhere(payload: str) -> None:
    for html in (
        render_markdown(payload),
        render_markdown(payload, inline=True),
        render_markdown(f"> {payload}\n\n- {payload}\n"),
        render_example([payload]),
        sanitize(payload),
    ):
        _assert_harmless(html)


def test_embedded_documents_leave_no_stray_text() -> None:
    html = render_markdown(
        '<svg><text x="5" y="5">axis label</text></svg>'
        '<iframe src="https://example.org">fallback</iframe>'
        "<noscript>enable scripts</noscript>\n\nAfter"
    )
    assert "After" in html
    for stray in ("axis label", "fallback", "enable scripts"):
        assert stray not in html


def test_mathml_keeps_the_math_but_never_a_link() -> None:
    html = render_markdown("$\\href{https://example.org}{x}$")
    assert "<math" in html
    assert "href" not in html
    assert "example.org" not in html


def test_code_classes_cannot_be_forged_by_the_author() -> None:
    html = sanitize('<span class="kn evil">import</span><pre class="gf-code evil">p</pre>')
    assert '<span class="kn">import</span>' in html
    assert '<pre class="gf-code">p</pre>' in html


def test_only_raster_data_images_survive() -> None:
    png = "data:image/png;base64,iVBORw0KGgo="
    assert sanitize(f'<img src="{png}" alt="">') == f'<img src="{png}" alt="">'
    assert "src" not in sanitize('<img src="data:image/svg+xml;base64,PHN2Zz4=">')
    assert "href" not in sanitize(f'<a href="{png}">x</a>')


def test_output_never_loads_anything_from_elsewhere() -> None:
    html = render_markdown(
        "# Worked example\n\n$$\n\\int_0^1 x\\,dx = \\frac{1}{2}\n$$\n\n"
        "Inline $\\sqrt{2}$ too.\n\n```python\nprint(sum(range(10)))\n```\n"
    )
    assert "<math" in html
    assert '<span class="nb">print</span>' in html
    assert not any(tag in {"script", "link", "style"} for tag, _ in _elements(html))
    assert "http:" not in html.replace("http://www.w3.org/1998/Math/MathML", "")
    assert "https:" not in html


def test_student_text_is_escaped_for_html_and_attributes() -> None:
    assert escape("<img src=x onerror=\"alert('1')\">") == (
        "&lt;img src=x onerror=&quot;alert(&#x27;1&#x27;)&quot;&gt;"
    )


def test_importing_rendering_loads_no_markdown_or_math_library() -> None:
    heavy = ("markdown_it", "mdit_py_plugins", "latex2mathml", "nh3", "pygments")
    code = (
        "import sys, guessfirst\n"
        "before = set(sys.modules)\n"
        "import guessfirst.student.rendering\n"
        f"print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] in {heavy!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
