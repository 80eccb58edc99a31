"""Build the question card's script (js/src -> js/dist/widget.js) before hatchling packs.

The card is written as ES modules in js/src and bundled by esbuild (``npm run build``);
the wheel ships the bundle. Every wheel (editable ones too) and the sdist are built with
a bundle no older than its sources, so a checkout needs Node.js 20 or later to install,
while an sdist, which carries the bundle, does not.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: What the bundle is made from, besides the sources under js/src.
_RECIPE = ("build.mjs", "package.json", "package-lock.json")


def _stale(js: Path) -> bool:
    """Whether js/dist/widget.js is missing or older than anything it is built from."""
    bundle = js / "dist" / "widget.js"
    if not bundle.is_file():
        return True
    made = bundle.stat().st_mtime
    sources = [path for path in (js / "src").rglob("*") if path.is_file()]
    sources += [js / name for name in _RECIPE if (js / name).is_file()]
    return any(path.stat().st_mtime > made for path in sources)


def _build(js: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "guessfirst's question card (js/dist/widget.js) is built from js/src with "
            "Node.js 20 or later, and npm was not found. Install Node.js 20+ "
            "(https://nodejs.org) and build again, or install from a release's wheel or sdist."
        )
    for step in (["ci", "--no-audit", "--no-fund", "--loglevel=error"], ["run", "build"]):
        subprocess.run([npm, *step], cwd=js, check=True)


class CardBuildHook(BuildHookInterface):
    """Bundle the card when the bundle is missing or out of date."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        js = Path(self.root) / "js"
        if _stale(js):
            _build(js)
