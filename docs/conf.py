"""Sphinx configuration for guessfirst's manual.

Why this tool set: Sphinx with MyST (pages written in Markdown) and the PyData theme is
what JupyterLab and ipywidgets build their own documentation with. The teachers and
developers who come here from Jupyter find the same layout and search, and the pages stay
plain Markdown that GitHub shows as they are, so a link from the README into ``docs/``
works on GitHub and on the built site alike.

Build (``make docs``), warnings as errors:

    .venv/bin/python -m sphinx -W --keep-going -b html docs docs/_build/html

The API reference (``api.md``) is read from the docstrings by ``sphinx.ext.autodoc``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The package from this clone, installed or not.
sys.path.insert(0, str(ROOT / "src"))

from guessfirst import __version__  # noqa: E402 (the path above first)

project = "guessfirst"
author = "the guessfirst authors"
copyright = "the guessfirst authors"
release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    "example_class.py",
    "**/.ipynb_checkpoints",
    "**/guessfirst-logs",
]

# MyST: `$…$` math as written in the pages, and anchors for `page.md#a-heading` links
# (GitHub makes the same ones).
# `html_image`: the pages' <img width=…> tags, which GitHub shows too, become images here.
myst_enable_extensions = ["dollarmath", "colon_fence", "html_image"]
myst_heading_anchors = 3

# The API reference: documented members in source order, type hints in the description.
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True}
# `make docs` installs only the `docs` extra: the teacher's DuckDB and pandas are stood in
# for while `guessfirst.teacher.report` is imported, which needs them only when it runs.
autodoc_mock_imports = ["duckdb", "pandas"]

html_theme = "pydata_sphinx_theme"
html_title = "guessfirst"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_show_sourcelink = False


def setup(app):
    """Blocks marked ``csv`` (GitHub shows them as tables) are highlighted as plain text."""
    from pygments.lexers.special import TextLexer

    app.add_lexer("csv", TextLexer)
