"""Speed and memory of the corpus build at a year of issues and beyond.

Usage: python benchmarks/corpus.py [--pages 500] [--notebooks/--no-notebooks]

Builds a benchmark corpus of N pages from the real page's articles (shuffled, re-laid,
re-dated; in a temporary folder, never in seeds/) and times, in one run:
  (a) jieba.lcut over the same text in one process: the tokenization baseline;
  (b) a cold load_corpus (parse + tag) with an empty cache;
  (c) a warm load_corpus with nothing new;
  (d) adding one page to the warm corpus, in the same session (the worker pool that the
      cold build started is reused, so jieba is not loaded again), and once more (d');
  (e) executing every notebook on the benchmark corpus.
It prints each time, the ratios cold/(a), warm/cold, add-one/cold, characters per second, and
peak memory (RSS) of the process that built the table and of its workers. Targets: cold ≤ 1.5×
(a), warm ≤ 2% of cold, add-one ≤ 3% of cold, notebooks < 120 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jieba

from helpers import load_corpus, parse_page
from helpers.synth import benchmark_pages

REAL_PAGE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "000_c54ca6b4301f026a.txt"


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def in_new_process(statement: str, setup: str = "pass") -> float:
    """Seconds ``statement`` takes in a fresh Python process, after ``setup``."""
    code = (
        f"{setup}; import time; t = time.perf_counter(); {statement}; "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<46}{seconds:>9.2f} s")
    return result, seconds


def main(pages: int, notebooks: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="cppcc-bench-"))
    seeds, cache = work / "seeds", work / "cache"
    articles = parse_page(REAL_PAGE.read_text(encoding="utf-8")).articles
    paths = benchmark_pages(articles, pages + 1, seeds)
    extra = paths.pop()  # the page added to the warm corpus
    held = work / "held"
    held.mkdir()
    extra = extra.rename(held / extra.name)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    print(f"benchmark corpus: {pages} pages, {chars:,} characters, in {seeds}")
    print(f"machine: {os.cpu_count()} cores\n")

    def lcut_all():
        jieba.setLogLevel(60)
        jieba.initialize()
        for p in paths:
            jieba.lcut(p.read_text(encoding="utf-8"))

    _, base = timed("(a) jieba.lcut, one process", lcut_all)
    rss_before = peak_rss_mb()
    df, cold = timed("(b) cold load_corpus (parse + tag)", lambda: load_corpus(seeds, cache))
    rss_cold = peak_rss_mb()
    _, warm = timed("(c) warm load_corpus (nothing new)", lambda: load_corpus(seeds, cache))
    fresh_warm = in_new_process(
        f"load_corpus({str(seeds)!r}, {str(cache)!r})", setup="from helpers import load_corpus"
    )
    print(f"{'(c′) warm load_corpus in a new process':<46}{fresh_warm:>9.2f} s")
    imports = in_new_process("import helpers")
    print(f"{'    importing helpers in a new process':<46}{imports:>9.2f} s")
    startup = in_new_process("from helpers.tag import get_tagger; get_tagger()")
    print(f"{'    jieba + tagger start-up in a new process':<46}{startup:>9.2f} s")
    shutil.copy(extra, seeds / extra.name)
    grown, add = timed("(d) add one page to the warm corpus", lambda: load_corpus(seeds, cache))
    assert len(grown.attrs["parsed"]) == 1 and len(grown) > len(df)
    second = benchmark_pages(articles, pages + 2, held / "more")[-1]
    shutil.copy(second, seeds / "9999-01-01_p1.txt")
    _, add_again = timed("(d') add one more page", lambda: load_corpus(seeds, cache))
    nb_seconds = None
    if notebooks:
        from helpers.notebook import execute_notebook, numbered_notebooks

        env = {
            "CPPCC_SEEDS": str(seeds),
            "CPPCC_CACHE": str(cache),
            "CPPCC_FIGURES": str(work / "figures"),
        }
        (work / "notebooks").mkdir()

        def run_notebooks():
            for nb in numbered_notebooks():
                execute_notebook(nb, out=work / "notebooks" / nb.name, env=env)

        _, nb_seconds = timed("(e) execute every notebook", run_notebooks)

    print()
    print(f"{'cold / (a) jieba.lcut':<46}{cold / base:>9.2f}   (target ≤ 1.50)")
    print(f"{'warm / cold':<46}{warm / cold:>9.3f}   (target ≤ 0.020)")
    print(f"{'warm in a new process / cold':<46}{fresh_warm / cold:>9.3f}")
    print(f"{'add one page / cold':<46}{add / cold:>9.3f}   (target ≤ 0.030)")
    print(f"{'add one more page / cold':<46}{add_again / cold:>9.3f}")
    print(
        f"{'add one page in a new process / cold':<46}{(add + startup) / cold:>9.3f}"
        "   (start-up + add)"
    )
    if nb_seconds is not None:
        print(f"{'notebooks on the corpus (s)':<46}{nb_seconds:>9.1f}   (target < 120)")
    print(f"{'cold throughput (chars/s)':<46}{chars / cold:>12,.0f}")
    print(f"{'jieba.lcut throughput (chars/s)':<46}{chars / base:>12,.0f}")
    print(f"{'articles in the table':<46}{len(grown):>9,}")
    table_mb = grown.memory_usage(deep=True).sum() / 2**20
    print(f"{'table size in memory (MB)':<46}{table_mb:>9.1f}")
    print(f"{'peak RSS of this process before the build (MB)':<46}{rss_before:>9.1f}")
    print(f"{'peak RSS after the cold build (MB)':<46}{rss_cold:>9.1f}")
    print(f"{'peak RSS at the end, tagger loaded (MB)':<46}{peak_rss_mb():>9.1f}")
    print(
        f"{'peak RSS of a worker or kernel (MB)':<46}{peak_rss_mb(resource.RUSAGE_CHILDREN):>9.1f}"
    )
    shutil.rmtree(work)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--notebooks", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    main(args.pages, args.notebooks)
