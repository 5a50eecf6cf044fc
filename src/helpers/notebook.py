"""Run the notebooks: execute each numbered notebook in place, in reading order.

Takes the notebooks folder and returns the paths it executed; a failing cell raises with the
notebook's name and leaves every notebook and figure as it was (the run writes its figures to
a staging folder and moves them, and the notebooks, into place only when all have run).
No timestamps are recorded, so a run on unchanged seeds leaves the files byte-identical.
Used by the main job (``python -m helpers run``) and by the tests, which run
them on temporary copies of the corpus through the ``CPPCC_*`` environment variables.
"""

from __future__ import annotations

import os
import shutil
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
    nb = run_notebook(path, env)
    target = out or path
    nbformat.write(nb, target)
    trust(nb)
    return target


def trust(nb) -> None:
    """Mark outputs this machine made as trusted for its user (Jupyter's signature database,
    nothing in the file), so JupyterLab runs the interactive tables' script on opening."""
    from nbformat.sign import NotebookNotary

    try:
        NotebookNotary().sign(nb)
    except Exception as error:  # a read-only or missing database only costs the tables' script
        print(f"could not mark the notebook trusted: {error}", flush=True)


def run_notebook(path: Path, env: dict | None = None):
    """Execute one notebook top to bottom in a fresh kernel; return it (nothing written)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
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
            record_timing=False,
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute()
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=False)
        sockets.cleanup()
        os.environ.clear()
        os.environ.update(saved)
    drop_widgets(nb)
    return nb


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def drop_widgets(nb) -> None:
    """Widgets need a live kernel: a saved notebook keeps each one's text fallback and no
    widget state (whose model ids are new on every run, and whose manager an exported page
    would fetch from the web)."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)


def execute_all(folder: Path = config.NOTEBOOKS, env: dict | None = None) -> list[Path]:
    """Execute every numbered notebook in order; write notebooks and figures only if all ran."""
    env = dict(env or {})
    figures = Path(env.get("CPPCC_FIGURES") or config.FIGURES)
    figures.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=figures))
    try:
        done = []
        for path in numbered_notebooks(folder):
            print(f"executing {path.name} …", flush=True)
            done.append((path, run_notebook(path, {**env, "CPPCC_FIGURES": str(staging)})))
        for made in sorted(staging.iterdir()):
            os.replace(made, figures / made.name)
        for path, nb in done:
            nbformat.write(nb, path)
            trust(nb)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [path for path, _ in done]
