"""PDF input against text input: speed, and how well each splits the same pages into reports.

Usage: python benchmarks/pdf.py [--pages 50] [--layouts 40] [--dev] [--ttf FONT.ttf]

Builds everything in a temporary folder (never in seeds/) from the real page's articles and the
reports composed for the tests (``helpers.synth_pdf.COMPOSED``); with ``--dev`` also from the
development set's reports (``dev/reports/*.json``, read at run time, never stored). PDFs are set
in reportlab's built-in CID font, or with ``--ttf`` in a TrueType font embedded in the PDF.

1. Speed: one PDF issue of N pages (default 50) and the same pages as text files (what
   ``python -m helpers pdf2txt`` writes). Times, one process, jieba and the tagger warmed up:
   (a) text: read + parse;           (b) PDF: read the PDF + parse;
   (c) text: read + parse + tag;     (d) PDF: read the PDF + parse + tag (what loading does).
   Prints pages per second and the ratios b/a and d/c. Target: d/c < 2.
2. Accuracy: many seeded page designs (``--layouts``, default 40; grid, type sizes, leading,
   rules, justification, headlines above/beside/below). Each report set on a page counts as
   right when exactly one parsed article has its kind, headline and body. The text path gets
   the same pages as a plain extractor gives them (``synth_pdf.plain_text``: one line per
   column line, bold captions doubled, headlines where the extractor meets them); the PDF path
   gets ``pdf_pages``. Also prints segmentation alone (body right, headline ignored). Target:
   PDF path ≥ 98% right.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from pathlib import Path

from helpers import parse_page
from helpers.corpus import page_rows
from helpers.pdf import pdf_pages
from helpers.split import Article
from helpers.synth_pdf import (
    COMPOSED,
    SetPage,
    plain_text,
    shuffled_pdf,
    use_font,
    write_pdf,
)
from helpers.tag import get_tagger

ROOT = Path(__file__).resolve().parents[1]
REAL_PAGE = ROOT / "tests" / "fixtures" / "000_c54ca6b4301f026a.txt"
DEV_REPORTS = ROOT / "dev" / "reports"
ARTICLES_PER_PAGE = 6
REPEATS = 3


def _norm(text: str) -> str:
    return re.sub(r"\s", "", text)


def _printed(article: Article) -> str:
    """An article's printed text but its headline (where the dateline ends and the body begins
    is the parser's business, the same for both paths)."""
    return _norm(article.dateline + article.continued_from + article.body + article.byline)


def score(text: str, held: SetPage) -> tuple[int, int]:
    """Reports right (one article, same kind, headline and text) and segmented right (text)."""
    got = parse_page(text).articles
    right = segmented = 0
    for article in held.articles:
        same_body = [g for g in got if _printed(g) == _printed(article)]
        segmented += len(same_body) == 1
        right += (
            len(same_body) == 1
            and same_body[0].headline == article.headline
            and same_body[0].kind == article.kind
        )
    return right, segmented


# The development set comes from web pages, with ASCII punctuation; the paper sets full-width.
FULL_WIDTH = str.maketrans(",;:()!?", "，；：（）！？")


def dev_articles() -> list[Article]:
    """The development set's reports as articles (other people's text: used, never kept),
    punctuated as the paper prints."""
    out = []
    for path in sorted(DEV_REPORTS.glob("*.json")):
        d = {
            k: v.translate(FULL_WIDTH) if isinstance(v, str) else v
            for k, v in json.loads(path.read_text(encoding="utf-8")).items()
        }
        paras = [p.strip().translate(FULL_WIDTH) for p in d.get("paragraphs", []) if p.strip()]
        if not d.get("headline") or not paras:
            continue
        out.append(
            Article(
                kind="article",
                headline=d["headline"].replace(" ", ""),
                subheadline=d.get("subheadline", ""),
                dateline=d.get("dateline", ""),
                byline=d.get("byline", ""),
                body="\n".join(paras),
            )
        )
    return out


def timed(runs: dict[str, tuple]) -> dict[str, float]:
    """The best of REPEATS rounds of each run, rounds interleaved (the machine is shared: load
    drifts, and the minimum is the least disturbed)."""
    best = {label: float("inf") for label in runs}
    for _ in range(REPEATS):
        for label, fn in runs.items():
            start = time.perf_counter()
            fn()
            best[label] = min(best[label], time.perf_counter() - start)
    for label, seconds in best.items():
        print(f"{label:<52}{seconds:>8.2f} s")
    return best


def speed(articles: list[Article], pages: int, work: Path) -> None:
    rng = random.Random(0)
    plan = []
    for _ in range(pages):
        chosen = rng.sample(articles, ARTICLES_PER_PAGE)
        plan.append(sorted(chosen, key=lambda a: a.kind != "continuation"))
    pdf = work / "2023-06-15.pdf"
    held = write_pdf(plan, pdf, seed=1)
    texts = []
    for page in pdf_pages(pdf):
        path = work / f"2023-06-15_p{page.number}.txt"
        path.write_text(page.text, encoding="utf-8")
        texts.append(path)
    n = len(held)
    chars = sum(len(_norm(p.read_text(encoding="utf-8"))) for p in texts)
    print(
        f"one PDF issue of {n} pages ({pdf.stat().st_size / 1e6:.1f} MB), {chars:,} characters"
        f" ({chars // n:,} a page; the real page has about 5,300)"
    )
    get_tagger()  # jieba and the tagger load once, before either path is timed
    page_rows(texts[0].read_bytes(), texts[0].name)

    def text_parse():
        for p in texts:
            parse_page(p.read_text(encoding="utf-8"), p.name)

    def pdf_parse():
        for page in pdf_pages(pdf):
            parse_page(page.text, f"{pdf.stem}_p{page.number}.txt")

    def text_load():
        for p in texts:
            page_rows(p.read_bytes(), p.name)

    def pdf_load():
        # page by page, as a loader spreading an issue over workers reads it (holding every
        # page's boxes while tagging would only feed the garbage collector)
        for number in range(1, n + 1):
            (page,) = pdf_pages(pdf, [number])
            page_rows(page.text.encode("utf-8"), f"{pdf.stem}_p{page.number}.txt")

    def pdf_read():
        pdf_pages(pdf)

    print(f"best of {REPEATS} interleaved rounds:")
    a, b, c, d, r = timed(
        {
            "(a) text: read + parse": text_parse,
            "(b) PDF: read + parse": pdf_parse,
            "(c) text: read + parse + tag": text_load,
            "(d) PDF: read + parse + tag": pdf_load,
            "    PDF reading alone (pdf_pages)": pdf_read,
        }
    ).values()
    print(f"pages per second: text {n / a:.1f} / PDF {n / b:.1f} (parse); ", end="")
    print(f"text {n / c:.1f} / PDF {n / d:.1f} (parse + tag); PDF reading {n / r:.1f}")
    print(f"ratio PDF/text: parse {b / a:.2f}×, parse + tag {d / c:.2f}× (target < 2×)\n")


def accuracy(articles: list[Article], layouts: int, work: Path, label: str) -> None:
    totals = {"pdf": [0, 0], "text": [0, 0]}
    reports = pages = 0
    for seed in range(layouts):
        rng = random.Random(seed)
        chosen = rng.sample(articles, min(len(articles), 2 * ARTICLES_PER_PAGE))
        path = work / f"layout{seed}.pdf"
        held = shuffled_pdf(chosen, path, seed)
        for page, setp in zip(pdf_pages(path), held, strict=True):
            pages += 1
            reports += len(setp.articles)
            for key, text in (("pdf", page.text), ("text", plain_text(setp, seed))):
                right, segmented = score(text, setp)
                totals[key][0] += right
                totals[key][1] += segmented
    print(f"{label}: {layouts} designs, {pages} pages, {reports} reports")
    for key in ("text", "pdf"):
        right, segmented = totals[key]
        print(
            f"  {key:>4} path: {right / reports:6.1%} one article with its exact headline"
            f"  ({segmented / reports:6.1%} segmented right)"
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--layouts", type=int, default=40)
    parser.add_argument("--dev", action="store_true", help="also the development set's reports")
    parser.add_argument("--ttf", type=Path, help="set the PDFs in this TrueType font, embedded")
    args = parser.parse_args()
    if args.ttf:
        use_font(args.ttf)
    real = parse_page(REAL_PAGE.read_text(encoding="utf-8")).articles
    own = real + COMPOSED
    with tempfile.TemporaryDirectory(prefix="cppcc-pdf-") as tmp:
        work = Path(tmp)
        speed(own, args.pages, work)
        accuracy(own, args.layouts, work, "real page's articles + composed reports")
        if args.dev:
            dev = dev_articles()
            if dev:
                accuracy(
                    dev + COMPOSED, args.layouts, work, f"{len(dev)} dev-set reports + composed"
                )
            else:
                print(f"no development set at {DEV_REPORTS}")


if __name__ == "__main__":
    main()
