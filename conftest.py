"""Session-wide test set-up, shared by tests/ and the notebooks nbval runs.

Kernels started by nbval inherit this environment: their logs go to a throwaway
folder, and no student name from the developer's own machine leaks in.
"""

from __future__ import annotations

import os
import tempfile

os.environ["GUESSFIRST_LOG_DIR"] = tempfile.mkdtemp(prefix="guessfirst-tests-")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="guessfirst-tests-data-")
for _name in ("JUPYTERHUB_USER", "GUESSFIRST_STUDENT", "JPY_SESSION_NAME"):
    os.environ.pop(_name, None)
