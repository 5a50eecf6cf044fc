"""The main job: ``python -m helpers run`` parses ``seeds/``, executes every notebook in order
(which writes ``figures/``) and renders the HTML report. ``python -m helpers table`` prints the
article table only."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from . import config
from .corpus import load_corpus

SUMMARY_COLUMNS = ["issue", "article_no", "kind", "locality", "meeting_types", "headline"]


def print_table() -> pd.DataFrame:
    df = load_corpus(config.SEEDS)
    with pd.option_context(
        "display.max_rows",
        200,
        "display.width",
        160,
        "display.max_colwidth",
        40,
        "display.unicode.east_asian_width",
        True,
    ):
        print(df[SUMMARY_COLUMNS].to_string(index=False))
    pages = len(df.attrs["pages"])
    print(
        f"\n{len(df)} articles from {pages} pages; {len(df.attrs['skipped'])} files skipped; "
        f"{len(df.attrs['parsed'])} pages parsed now, the rest from the cache ({config.CACHE})."
    )
    return df


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    parser.add_argument("command", choices=["run", "table"], nargs="?", default="run")
    args = parser.parse_args(argv)
    print_table()
    if args.command == "run":
        from .notebook import execute_all

        executed = execute_all()
        print(f"executed {len(executed)} notebooks; figures in {config.FIGURES}")
        try:
            from .report import write_report
        except ImportError:
            return 0
        print(f"report: {write_report()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
