"""Run the notebooks: execute each numbered notebook in place, in reading order.

Takes the notebooks folder and returns the paths it executed; a failing cell raises with the
notebook's name. Used by the main job (``python -m helpers run``) and by the tests, which run
them on temporary copies of the corpus through the ``CPPCC_*`` environment variables.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import nbformat
from jupyter_client import KernelManager
from nbclient import NotebookClient

from . import config

CELL_TIMEOUT = 600


def numbered_notebooks(folder: Path = config.NOTEBOOKS) -> list[Path]:
    """``NN_*.ipynb`` in reading order."""
    return sorted(p for p in folder.glob("[0-9][0-9]*_*.ipynb") if p.is_file())


def execute_notebook(path: Path, out: Path | None = None, env: dict | None = None) -> Path:
    """Execute one notebook top to bottom (counts 1…N) and write it to ``out`` (in place)."""
    nb = nbformat.read(path, as_version=4)
    saved = dict(os.environ)
    os.environ.update(env or {})
    sockets = tempfile.TemporaryDirectory(prefix="cppcc-kernel-")
    # IPC sockets in a private folder: the kernel talks to this process through files, not TCP
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets.name}/ipc")
    try:
        client = NotebookClient(
            nb,
            km=manager,
            timeout=CELL_TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute()
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=False)
        sockets.cleanup()
        os.environ.clear()
        os.environ.update(saved)
    target = out or path
    nbformat.write(nb, target)
    return target


def execute_all(folder: Path = config.NOTEBOOKS, env: dict | None = None) -> list[Path]:
    """Execute every numbered notebook in place, in order."""
    done = []
    for path in numbered_notebooks(folder):
        print(f"executing {path.name} …", flush=True)
        done.append(execute_notebook(path, env=env))
    return done
