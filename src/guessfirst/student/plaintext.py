"""Teacher Markdown as one line of plain text, for where no front end draws the card.

A notebook saved, shown on GitHub or converted by nbconvert holds each cell's
``text/plain`` beside the widget: that line is what a reader sees until the widget runs.
Simple TeX reads as it is spoken there (``\\frac{1}{2}`` as 1/2, ``x^{2}`` as x²); a
command not known here keeps its name without the backslash, so no TeX markup remains.
"""

from __future__ import annotations

import re

_SUPERSCRIPTS = str.maketrans("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPTS = str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")
_ROOTS = {"2": "√", "3": "∛", "4": "∜"}

_SYMBOLS = {
    "times": "×", "div": "÷", "cdot": "·", "pm": "±", "mp": "∓", "ast": "*",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈",
    "equiv": "≡", "sim": "~", "propto": "∝", "lt": "<", "gt": ">",
    "infty": "∞", "circ": "∘", "degree": "°", "prime": "′", "angle": "∠", "triangle": "△",
    "to": "→", "rightarrow": "→", "Rightarrow": "⇒", "leftarrow": "←", "implies": "⇒",
    "ldots": "…", "dots": "…", "cdots": "⋯", "sum": "∑", "prod": "∏", "int": "∫",
    "in": "∈", "notin": "∉", "cup": "∪", "cap": "∩", "subset": "⊂", "emptyset": "∅",
    "perp": "⊥", "parallel": "∥", "partial": "∂", "nabla": "∇",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ",
    "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ",
    "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "quad": " ", "qquad": " ", ",": " ", ";": " ", ":": " ", ">": " ", " ": " ", "!": "",
    "\\": "; ", "{": "{", "}": "}", "%": "%", "$": "$", "&": "&", "#": "#", "_": "_",
}  # fmt: skip
_FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac"})
#: Commands whose argument is read as it stands: words in a formula.
_WORDS = frozenset({"text", "textrm", "textit", "textbf", "mbox", "operatorname"})
#: Commands that only style their argument, which is read as more TeX.
_STYLES = frozenset({"mathrm", "mathit", "mathbf", "mathsf", "mathtt", "boldsymbol", "bm"})
#: Sizing and layout with nothing to read.
_SILENT = frozenset(
    {"left", "right", "big", "Big", "bigg", "Bigg", "displaystyle", "textstyle", "limits"}
)
_COMMAND = re.compile(r"\\([A-Za-z]+|.?)")


def tex_to_plain(tex: str) -> str:
    """Simple TeX as plain text: ``\\frac{1}{2} \\times 3^{2}`` reads ``1/2 × 3²``."""
    return " ".join(_tex(tex).split())


def plain_text(markdown: str) -> str:
    """Teacher Markdown as one line of text: math in plain symbols, markup left out."""
    from .rendering import _markdown  # the same reading of "$" as the card's

    pieces: list[str] = []
    for token in _markdown().parse(markdown):
        if token.type in ("math_block", "math_block_eqno"):
            pieces.append(tex_to_plain(token.content))
        elif token.type in ("fence", "code_block"):
            pieces.append(token.content)
        for child in token.children or ():
            if child.type.startswith("math_inline"):
                pieces.append(tex_to_plain(child.content))
            elif child.type in ("text", "code_inline", "image"):
                pieces.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                pieces.append(" ")
        if token.block:
            pieces.append(" ")  # blocks and table cells never run into each other
    return " ".join("".join(pieces).split())


def _tex(tex: str) -> str:
    out: list[str] = []
    at = 0
    while at < len(tex):
        char = tex[at]
        if char == "\\":
            text, at = _command(tex, at)
            out.append(text)
        elif char in "^_":
            argument, at = _argument(tex, at + 1)
            out.append(_script(_tex(argument), superscript=char == "^"))
        elif char == "{":
            argument, at = _argument(tex, at)
            out.append(_tex(argument))
        else:
            out.append({"}": "", "~": " ", "&": " "}.get(char, char))
            at += 1
    return "".join(out)


def _command(tex: str, at: int) -> tuple[str, int]:
    """The text of the command at ``at`` (a backslash) and where reading goes on."""
    match = _COMMAND.match(tex, at)
    assert match is not None  # the pattern matches at any backslash
    name, at = match.group(1), match.end()
    if name in _FRACTIONS:
        top, at = _argument(tex, at)
        bottom, at = _argument(tex, at)
        return f"{_grouped(_tex(top))}/{_grouped(_tex(bottom))}", at
    if name == "sqrt":
        degree = "2"
        rest = tex[at:].lstrip()
        if rest.startswith("["):
            end = rest.find("]")
            if end > 0:
                degree = _tex(rest[1:end]).strip()
                at = len(tex) - len(rest) + end + 1
        radicand, at = _argument(tex, at)
        root = _ROOTS.get(degree) or degree.translate(_SUPERSCRIPTS) + "√"
        return root + _grouped(_tex(radicand)), at
    if name in _WORDS:
        words, at = _argument(tex, at)
        return words, at
    if name in _STYLES:
        styled, at = _argument(tex, at)
        return _tex(styled), at
    if name in ("begin", "end"):
        _, at = _argument(tex, at)  # an environment's name: its rows are read as they come
        return " ", at
    if name in _SILENT:
        if name in ("left", "right") and tex[at : at + 1] == ".":
            at += 1  # an invisible fence
        return "", at
    return _SYMBOLS.get(name, name), at


def _argument(tex: str, at: int) -> tuple[str, int]:
    """The argument starting at ``at``: a braced group, a command or one character."""
    while at < len(tex) and tex[at].isspace():
        at += 1
    if at >= len(tex):
        return "", at
    if tex[at] == "{":
        depth, end = 0, at
        while end < len(tex):
            if tex[end] == "\\":
                end += 2  # an escaped brace opens or closes nothing
                continue
            depth += {"{": 1, "}": -1}.get(tex[end], 0)
            if depth == 0:
                return tex[at + 1 : end], end + 1
            end += 1
        return tex[at + 1 :], len(tex)  # never closed: the rest
    if tex[at] == "\\":
        match = _COMMAND.match(tex, at)
        assert match is not None  # the pattern matches at any backslash
        return match.group(0), match.end()
    return tex[at], at + 1


def _script(text: str, *, superscript: bool) -> str:
    text = text.strip()
    if superscript and text in ("∘", "°"):
        return "°"
    table = _SUPERSCRIPTS if superscript else _SUBSCRIPTS
    if text and all(ord(char) in table for char in text):
        return text.translate(table)
    return ("^" if superscript else "_") + _grouped(text)


def _grouped(text: str) -> str:
    """``text`` as one term: in brackets unless it is a single number, word or symbol."""
    text = text.strip()
    if all(char.isalnum() or char in ".,°′%" for char in text) or _bracketed(text):
        return text
    return f"({text})"


def _bracketed(text: str) -> bool:
    """Whether ``text`` is one bracketed group, as ``(x + 1)``, rather than ``(a)(b)``."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return False
    return True
