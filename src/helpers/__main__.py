"""The main job: ``python -m helpers run`` parses ``seeds/``, executes every notebook in order
(which writes ``figures/``) and renders the HTML report. ``python -m helpers table`` prints the
article table only. ``python -m helpers pdf2txt FILE.pdf [-o OUT]`` writes a PDF page's text the
way a seed looks (to check or fix by hand)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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


def pdf2txt(pdf: Path, output: Path | None = None) -> list[Path]:
    """Write each page of a PDF as seed text: ``FILE.txt`` for a one-page PDF (or ``output``),
    ``FILE_pN.txt`` for each page of a longer one (in ``output``, a folder, if given)."""
    from .pdf import pdf_pages

    pages = pdf_pages(pdf)
    written = []
    for page in pages:
        if not page.text:  # a scanned page inside a PDF with text elsewhere
            print(f"{pdf} page {page.number}: skipped, no text layer", file=sys.stderr)
            continue
        if len(pages) == 1:
            path = output or pdf.with_suffix(".txt")
        else:
            folder = output or pdf.parent
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{pdf.stem}_p{page.number}.txt"
        path.write_text(page.text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    parser.add_argument("command", choices=["run", "table", "pdf2txt"], nargs="?", default="run")
    parser.add_argument("file", nargs="?", type=Path, help="pdf2txt: the PDF to convert")
    parser.add_argument("-o", "--output", type=Path, help="pdf2txt: output file (or folder)")
    args = parser.parse_args(argv)
    if args.command == "pdf2txt":
        if args.file is None:
            parser.error("pdf2txt needs a PDF file")
        from .read import PageError

        try:
            for path in pdf2txt(args.file, args.output):
                print(path)
        except PageError as exc:
            print(exc, file=sys.stderr)
            return 1
        return 0
    df = print_table()
    if args.command == "run" and df.empty:
        # every notebook charts articles: with none there is nothing to run them on
        print(f"no articles in {config.SEEDS}: notebooks not run, figures/ and reports/ kept")
        return 0
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
