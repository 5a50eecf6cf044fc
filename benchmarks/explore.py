"""Speed of the explore helpers on a large corpus: kwic must answer in < 0.5 s once warm.

Usage: python benchmarks/explore.py [--pages 500]

Builds the benchmark corpus as ``benchmarks/corpus.py`` does (its real page's articles
shuffled, re-laid and re-dated into N pages, in a temporary folder), loads it, and times in one
run, each the median of several calls:
  baseline  ``df["body"].str.contains(word)`` over the same bodies (which articles, no lines);
  kwic      the first call on the table (builds the index: texts joined, fingerprint), then
            warm calls for a word, a regular expression, a theme's words and a person;
  find, collocates, keyness, cooccurrence  warm.
It prints seconds and each kwic time as a ratio to the baseline. Target: warm kwic < 0.5 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REAL_PAGE  # noqa: E402  (the benchmark corpus is built from the same page)

from helpers import explore, load_corpus, parse_page  # noqa: E402
from helpers.synth import benchmark_pages  # noqa: E402

REPEATS = 5
TARGET_SECONDS = 0.5
WORD = "协商"


def median_seconds(fn, repeats: int = REPEATS) -> tuple[float, object]:
    """The median wall time of ``repeats`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(pages: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="cppcc-explore-"))
    try:
        articles = parse_page(REAL_PAGE.read_text(encoding="utf-8")).articles
        benchmark_pages(articles, pages, work / "seeds")
        start = time.perf_counter()
        df = load_corpus(work / "seeds", work / "cache")
        chars = int(df["body"].str.len().sum())
        print(
            f"benchmark corpus: {pages} pages, {len(df):,} articles, {chars:,} body characters "
            f"(built and loaded in {time.perf_counter() - start:.1f} s)\n"
        )
        base, hits = median_seconds(lambda: df["body"].str.contains(WORD, regex=False))
        label = f"baseline: body.str.contains({WORD!r})"
        print(f"{label:<44}{base:>9.4f} s   {hits.sum():>7,} articles")

        explore._INDEXES.clear()
        start = time.perf_counter()
        explore.kwic(df, WORD)
        first = time.perf_counter() - start
        print(f"{'kwic, first call (builds the index)':<44}{first:>9.4f} s")
        person = df["persons"].explode().dropna().value_counts().index[0]
        theme = df["themes"].explode().dropna().value_counts().index[0]
        cases = [
            (f"kwic({WORD!r})", lambda: explore.kwic(df, WORD)),
            ("kwic(r'\\d+月\\d+日')", lambda: explore.kwic(df, r"\d+月\d+日")),
            (f"kwic({theme!r}, by='theme')", lambda: explore.kwic(df, theme, by="theme")),
            (f"kwic({person!r}, by='person')", lambda: explore.kwic(df, person, by="person")),
        ]
        worst = 0.0
        for label, fn in cases:
            seconds, lines = median_seconds(fn)
            worst = max(worst, seconds)
            print(
                f"{label:<44}{seconds:>9.4f} s   {len(lines):>7,} lines   "
                f"{seconds / base:>6.1f} × baseline"
            )
        others = [
            (
                "find(meeting_type='调研', text=…)",
                lambda: explore.find(df, text=WORD, meeting_type="调研"),
            ),
            (f"collocates({WORD!r})", lambda: explore.collocates(df, WORD)),
            ("keyness(by='prefecture')", lambda: explore.keyness(df)),
            ("cooccurrence('themes')", lambda: explore.cooccurrence(df, "themes")),
        ]
        for label, fn in others:
            seconds, _ = median_seconds(fn, repeats=3)
            print(f"{label:<44}{seconds:>9.4f} s")
        verdict = "met" if worst < TARGET_SECONDS else "MISSED"
        print(f"\nslowest warm kwic {worst:.3f} s (target < {TARGET_SECONDS} s): {verdict}")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    main(parser.parse_args().pages)
