"""``python -m guessfirst.teacher.hubservice``: the same as ``guessfirst hub-service``."""

from __future__ import annotations

import argparse
import sys

from ._cli import add_arguments, run


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="guessfirst hub-service",
        description="Receive each student's events from their kernels, as a JupyterHub service.",
    )
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
