"""How long a reader waits: each notebook's Run All and the whole main job, warm cache.

    python3 benchmarks/notebooks.py [--pages N]

Runs on temporary copies (the repository's notebooks, figures and report are not touched): the
real page alone (default) or N synthetic pages made from its articles (``helpers.synth``).
Everything is timed in one run against a baseline measured in the same run — a notebook with
one cell, ``import helpers`` (kernel start-up plus the package import), which every notebook
pays too — so the ratios say how much work the notebooks add whatever the machine's load.
Targets (issue 13): each notebook ≤ 5 s on the real page and ≤ 10 s on 500 pages; the main job
≤ 20 s; both warm (the corpus cache already built).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
REAL_PAGE = ROOT / "tests" / "fixtures" / "000_c54ca6b4301f026a.txt"

NOTEBOOK_TARGET_S = {1: 5.0, 500: 10.0}  # per notebook, by corpus size in pages
MAIN_JOB_TARGET_S = 20.0


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main(pages: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="cppcc-nb-bench-"))
    env = {
        "CPPCC_SEEDS": str(work / "seeds"),
        "CPPCC_CACHE": str(work / "cache"),
        "CPPCC_FIGURES": str(work / "figures"),
        "CPPCC_REPORTS": str(work / "reports"),
        # the kernels import this tree's helpers, not whichever one is installed
        "PYTHONPATH": os.pathsep.join(
            p for p in [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")] if p
        ),
    }
    os.environ.update(env)  # before helpers is imported: config reads them once
    from helpers import load_corpus, parse_page
    from helpers.notebook import execute_all, numbered_notebooks, run_notebook
    from helpers.report import write_report
    from helpers.synth import benchmark_pages

    seeds = work / "seeds"
    if pages <= 1:
        seeds.mkdir()
        shutil.copy(REAL_PAGE, seeds / REAL_PAGE.name)
    else:
        benchmark_pages(parse_page(REAL_PAGE.read_text(encoding="utf-8")).articles, pages, seeds)
    notebooks = work / "notebooks"
    notebooks.mkdir()
    for path in numbered_notebooks():
        shutil.copy(path, notebooks)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cold, _ = timed(lambda: load_corpus(seeds))
    print(f"corpus: {pages} page(s) in {work}; cold load {cold:.1f} s (builds the cache)\n")

    execute_all(notebooks, env=env)  # untimed: fills the caches a warm run has (maps, …)
    base_nb = work / "baseline.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("import helpers")]), base_nb)
    run_notebook(base_nb, env)  # once to warm the disk cache of the kernel's imports
    baseline, _ = timed(lambda: run_notebook(base_nb, env))
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} (times scale with it)")
    print(f"{'baseline: kernel + import helpers':40} {baseline:6.2f} s   1.00 ×")
    target = NOTEBOOK_TARGET_S[1 if pages <= 1 else 500]
    failed = 0
    for path in numbered_notebooks(notebooks):
        seconds, _ = timed(lambda p=path: run_notebook(p, env))
        verdict = "ok" if seconds <= target else f"over {target:.0f} s"
        failed += seconds > target
        print(f"{path.stem:40} {seconds:6.2f} s {seconds / baseline:6.2f} ×   {verdict}")

    def main_job():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            load_corpus(seeds)
        execute_all(notebooks, env=env)
        write_report(work / "reports", notebooks)

    seconds, _ = timed(main_job)
    verdict = "ok" if seconds <= MAIN_JOB_TARGET_S else f"over {MAIN_JOB_TARGET_S:.0f} s"
    failed += seconds > MAIN_JOB_TARGET_S
    label = "main job (load, 4 notebooks, report)"
    print(f"{label:40} {seconds:6.2f} s {seconds / baseline:6.2f} ×   {verdict}")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages", type=int, default=1, help="synthetic pages (default: the real page)"
    )
    sys.exit(main(parser.parse_args().pages))
