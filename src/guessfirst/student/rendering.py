"""Teacher Markdown to safe HTML, finished in the kernel.

The browser receives sanitized HTML with MathML and highlighted code already in place, so
no front end needs a network connection or a JavaScript typesetting library. The heavy
libraries are imported on first use: `import guessfirst` stays cheap.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    import nh3
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

ExamplePart = str | bytes

# Local images larger than this stay out: the HTML travels in every widget state sync.
_MAX_LOCAL_IMAGE_BYTES = 5 * 1024 * 1024

_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_REMOTE_IMAGE_SCHEMES = frozenset({"http", "https"})
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z", re.I)

_HTML_TAGS = frozenset(
    {
        *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("em", "strong", "b", "i", "u", "del", "s", "code", "pre", "span", "div"),
        *("blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td"),
        *("a", "img", "sup", "sub", "kbd", "small", "figure", "figcaption"),
    }
)
# What latex2mathml emits, plus the few a teacher pasting MathML is likely to use.
_MATHML_TAGS = frozenset(
    {
        *("math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext"),
        *("mspace", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot"),
        *("munder", "mover", "munderover", "mtable", "mtr", "mtd"),
        *("mstyle", "mpadded", "mphantom", "menclose"),
    }
)
# Presentation only: no href, no style, nothing that loads or runs anything.
_MATHML_ATTRIBUTES = frozenset(
    {
        *("display", "xmlns", "mathvariant", "mathsize", "mathcolor", "mathbackground"),
        *("stretchy", "fence", "form", "separator", "accent", "accentunder"),
        *("lspace", "rspace", "columnalign", "columnlines", "rowlines"),
        *("columnspacing", "rowspacing", "linethickness", "width", "height", "depth"),
        *("voffset", "notation", "displaystyle", "scriptlevel", "minsize", "maxsize"),
        *("largeop", "movablelimits", "symmetric"),
    }
)
# Dropped with everything inside them: their content is code or markup, never reading text.
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "noscript", "template", "svg"}
)


def prepare_example(example: object) -> tuple[ExamplePart, ...]:
    """Normalise a teacher's `example=` into Markdown text and image bytes, in order.

    Checking here, when the question is created, lets a bad path or file fail in the
    teacher's cell rather than later in a student's browser.
    """
    if example is None:
        return ()
    if isinstance(example, str):
        return (example,)
    if isinstance(example, bytes):
        _image_type(example)
        return (example,)
    if isinstance(example, Path):
        return (_read_image(example),)
    if hasattr(example, "savefig"):
        return (_figure_png(example),)
    if isinstance(example, (list, tuple)):
        return tuple(part for item in example for part in prepare_example(item))
    raise TypeError(
        "example= takes Markdown text, image bytes, a pathlib.Path, a matplotlib figure "
        f"or a list of these, not {type(example).__name__}"
    )


def render_markdown(text: str, *, inline: bool = False) -> str:
    """Render teacher Markdown to sanitized HTML; `inline` skips the wrapping paragraph."""
    md = _markdown()
    return sanitize(md.renderInline(text) if inline else md.render(text))


def render_example(parts: Sequence[ExamplePart], *, focus: int | None = None) -> str:
    """Render a worked example; each part is sanitized alone so none can swallow the next.

    ``focus`` (1-based) is a step to emphasise: the one a misconception points to, framed
    and labelled with its number, so it stands out without colour alone.
    """
    shown = [
        sanitize(_image_html(part)) if isinstance(part, bytes) else render_markdown(part)
        for part in parts
    ]
    if focus is not None and 1 <= focus <= len(shown):
        from ..i18n import text as _say

        label = escape(_say("card.step.title", number=focus))
        shown[focus - 1] = sanitize(
            f'<div class="gf-step-focus"><span class="gf-step-focus-label">{label}</span>'
            f"{shown[focus - 1]}</div>"
        )
    return "".join(shown)


def escape(text: str) -> str:
    """Escape student text for HTML, quotes included, so it is safe in attributes too."""
    return html.escape(text, quote=True)


def sanitize(html: str) -> str:
    """Clean HTML with the one allowlist that every piece of shown HTML passes through."""
    return _cleaner().clean(html)


def _image_type(data: bytes, source: object = "image bytes") -> str:
    """Return the MIME type from the magic number: the browser must get a type it renders."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise ValueError(f"{source}: not a PNG, JPEG, GIF or WebP image")


def _read_image(path: Path) -> bytes:
    data = path.read_bytes()
    _image_type(data, source=path)
    return data


def _figure_png(figure: Any) -> bytes:
    """Save without the Software stamp: the same figure gives the same bytes under any
    matplotlib version, so the question's version hash does not change with an upgrade."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _image_html(data: bytes) -> str:
    """An image given as bytes has no alt text to offer, so it is marked decorative."""
    return f'<p><img src="{_data_uri(data, _image_type(data))}" alt=""></p>\n'


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.texmath import texmath_plugin

    md = MarkdownIt("commonmark", {"html": True, "highlight": _highlight})
    md.enable(["table", "strikethrough"])
    # Pandoc's rule for money: "$5 and $10" stays text because "$" before a space or a
    # digit cannot close math. "$$...$$" inside a paragraph is display math, not "$" + "$".
    dollarmath_plugin(
        md,
        allow_labels=False,
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,
        double_inline=True,
    )
    texmath_plugin(md, delimiters="brackets")
    for name in ("math_inline", "math_inline_double", "math_block", "math_block_eqno"):
        md.add_render_rule(name, _render_math)
    md.add_render_rule("code_block", _render_indented_code)
    md.add_render_rule("image", _render_image)
    return md


def _render_math(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    if token.type == "math_inline":
        return _tex_to_html(token.content.strip(), display=False)
    math = _tex_to_html(token.content.strip(), display=True)
    if not token.block:
        return math
    label = f" ({escape(token.info)})" if token.type == "math_block_eqno" else ""
    return f'<div class="gf-math">{math}{label}</div>\n'


def _tex_to_html(tex: str, *, display: bool) -> str:
    from latex2mathml.converter import convert

    try:
        return convert(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml reports bad TeX through many unrelated exception types
        return f'<code class="gf-math-error">{escape(tex)}</code>'


def _highlight(code: str, language: str, _attributes: str) -> str:
    """Highlight with Pygments' short class names: the widget CSS colours them, no inline styles."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        body = highlight(code, get_lexer_by_name(language), HtmlFormatter(nowrap=True))
    except ClassNotFound:
        body = escape(code)
    language_class = f' class="language-{escape(language)}"' if language else ""
    return f'<pre class="gf-code"><code{language_class}>{body}</code></pre>'


def _render_indented_code(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Indented code gets the fenced-code wrapper so it scrolls and looks the same."""
    return _highlight(tokens[idx].content, "", "") + "\n"


def _render_image(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Keep web and inline images, inline readable local files, else show the alt text:
    the kernel's files are out of the browser's reach in many front ends."""
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    src = str(token.attrGet("src") or "")
    if not _is_safe_image_src(src):
        local = _local_image(src)
        if local is None:
            return escape(alt)
        src = local
    title = token.attrGet("title")
    title_attribute = f' title="{escape(str(title))}"' if title else ""
    return f'<img src="{escape(src)}" alt="{escape(alt)}"{title_attribute}>'


def _local_image(src: str) -> str | None:
    """Return a data: URI for an image file at `src`, or None when it cannot be shown."""
    path = Path(unquote(src))
    try:
        if not path.is_file() or path.stat().st_size >= _MAX_LOCAL_IMAGE_BYTES:
            return None
        data = path.read_bytes()
        return _data_uri(data, _image_type(data))
    except (OSError, ValueError):
        return None


def _scheme(url: str) -> str:
    try:
        return urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""


def _is_safe_image_src(src: str) -> bool:
    return _scheme(src) in _REMOTE_IMAGE_SCHEMES or bool(_DATA_IMAGE.match(src.strip()))


@functools.cache
def _pygments_classes() -> frozenset[str]:
    from pygments.token import STANDARD_TYPES

    return frozenset(name for name in STANDARD_TYPES.values() if name)


def _is_allowed_class(name: str) -> bool:
    return name.startswith(("gf-", "language-")) or name in _pygments_classes()


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Narrow what the allowlist lets through by value: classes, link and image URLs."""
    if attribute == "class":
        return " ".join(name for name in value.split() if _is_allowed_class(name)) or None
    if tag == "a" and attribute == "href":
        return value if _scheme(value) in _LINK_SCHEMES else None
    if tag == "img" and attribute == "src":
        return value if _is_safe_image_src(value) else None
    return value


@functools.cache
def _cleaner() -> nh3.Cleaner:
    import nh3

    attributes = {tag: set(_MATHML_ATTRIBUTES) for tag in _MATHML_TAGS}
    attributes.update(
        {
            "a": {"href", "title"},
            "img": {"src", "alt", "title", "width", "height"},
            "th": {"style"},
            "td": {"style"},
            **{tag: {"class"} for tag in ("span", "code", "pre", "div")},
        }
    )
    return nh3.Cleaner(
        tags=set(_HTML_TAGS | _MATHML_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes=attributes,
        attribute_filter=_filter_attribute,
        url_schemes={*_LINK_SCHEMES, "data"},
        filter_style_properties={"text-align"},
        set_tag_attribute_values={"a": {"target": "_blank"}},
        link_rel="noopener noreferrer",
    )
