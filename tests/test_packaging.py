"""The wheel a teacher installs carries the front end and py.typed; the package finds its files."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _source(name: str) -> Path:
    """Where a checkout keeps a front-end file: the card's script is built into js/dist/."""
    return ROOT / "js" / "dist" / name if name == "widget.js" else ROOT / "js" / name


def test_wheel_from_a_clean_tree_ships_and_serves_the_front_end(tmp_path: Path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
    )
    (wheel,) = tmp_path.glob("guessfirst-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = ("loader.js", "widget.js", "widget.css", "dashboard.js", "dashboard.css")
        for name in (*names, "progress.js", "progress.css"):
            shipped = archive.read(f"guessfirst/_static/{name}")
            assert shipped == _source(name).read_bytes()
        for lang in ("en", "zh-HK"):  # the words every card says
            shipped = archive.read(f"guessfirst/locales/{lang}.json")
            assert (
                shipped == (ROOT / "src" / "guessfirst" / "locales" / f"{lang}.json").read_bytes()
            )
        assert not [n for n in archive.namelist() if "node_modules" in n or "/test/" in n]
        # The marker that lets a teacher's mypy read the package's own types.
        assert "guessfirst/py.typed" in archive.namelist()

    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), wheel],
        check=True,
    )
    probe = (
        "import guessfirst, guessfirst._assets as a;"
        "print(guessfirst.__file__);"
        "print(a.asset('widget.js'))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0].startswith(str(site))
    assert out[1] == str(site / "guessfirst" / "_static" / "widget.js")
