"""Test and benchmark pages: re-lay real articles as a different page would print them.

Takes parsed ``Article`` objects (from the real page) and returns page text with the artifacts
of the PDF extraction: one line per column line followed by a blank line, other column widths,
headlines above or below their articles, doubled bold photo captions, justification spaces.
Never used on ``seeds/``; the parser's tests and ``benchmarks/`` use it to check that the rules
are general, not fitted to one page's lines.
"""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass
from pathlib import Path

from .split import Article


@dataclass
class Layout:
    """How one synthetic page is printed."""

    width: int = 18
    headline_after: bool = True
    double_photos: bool = True
    justify_share: float = 0.05
    blank_lines: bool = True
    indent_marks: bool = False  # keep the paragraph indent as 　　 (some extractors do)


NO_LINE_START = "，。、；：！？”）》…"


def wrap(text: str, width: int, indent: int = 2) -> list[str]:
    """Cut a paragraph into column lines (the first shorter by the indent); as typesetters do,
    a line never starts with closing punctuation: it hangs at the end of the line before."""
    lines, pos, first = [], 0, True
    while pos < len(text):
        end = pos + (width - indent if first else width)
        while end < len(text) and text[end] in NO_LINE_START:
            end += 1
        lines.append(text[pos:end])
        pos = end
        first = False
    return lines


def _justify(line: str, rng: random.Random) -> str:
    """Spread a line out with spaces between characters, as justification does."""
    return " ".join(line) if len(line) > 4 else line


def _double(line: str) -> str:
    """Bold text as the extractor gives it: every run printed twice (近日近日，，文县文县)."""
    runs = re.findall(r"[^，。、；：！？\s]+|[，。、；：！？]|\s+", line)
    return "".join(run if run.isspace() else run * 2 for run in runs)


def _headline_lines(headline: str) -> list[str]:
    """A headline as printed: committee name on its own line when it leads (陇南市政协 / 召开…)."""
    if "：" in headline:
        return [headline]
    cut = headline.find("政协")
    if 0 < cut and cut + 2 < len(headline) and cut + 2 <= 7:
        return [headline[: cut + 2], headline[cut + 2 :]]
    return [headline]


def article_lines(article: Article, layout: Layout, rng: random.Random) -> list[str]:
    """The printed lines of one article under a layout."""
    paras = article.body.split("\n")
    body: list[str] = []
    for i, para in enumerate(paras):
        text = (article.dateline + para) if i == 0 and article.dateline else para
        if i == len(paras) - 1 and article.byline.startswith("（"):
            text += article.byline
        width = layout.width + (8 if article.kind == "photo" else 0)
        if para in article.subheads:
            body.append(para)
            continue
        for k, line in enumerate(wrap(text, width)):
            if rng.random() < layout.justify_share and "（" not in line:
                line = _justify(line, rng)
            if k == 0 and layout.indent_marks and not (i == 0 and article.dateline):
                line = "\u3000\u3000" + line
            body.append(line)
    if article.kind == "photo":
        body.append(article.byline)
        if layout.double_photos:
            body = [_double(line) for line in body]
    head = _headline_lines(article.headline) if article.headline else []
    if article.subheadline:
        head.append("——" + article.subheadline)
    if article.byline.startswith("□"):
        head.append(article.byline)
    if article.kind == "continuation":
        return ["视察调研", article.continued_from] + body
    if article.kind == "photo" or not layout.headline_after:
        return head + body
    return body + head


def layout_page(articles: list[Article], layout: Layout, rng: random.Random) -> str:
    """Page text for ``articles`` in the given order under ``layout``."""
    lines: list[str] = []
    for article in articles:
        lines.extend(article_lines(article, layout, rng))
    sep = "\n\n" if layout.blank_lines else "\n"
    return sep.join(lines) + "\n"


def shuffled_page(articles: list[Article], seed: int) -> tuple[str, list[Article]]:
    """A page with the articles in a random order and a random layout; returns text and order."""
    rng = random.Random(seed)
    order = articles[:]
    rng.shuffle(order)
    # a continuation from the front page opens its column, as it does in print
    order.sort(key=lambda a: a.kind != "continuation")
    layout = Layout(
        width=rng.choice([14, 16, 18, 20, 22, 24]),
        headline_after=rng.random() < 0.5,
        double_photos=rng.random() < 0.5,
        justify_share=rng.choice([0.0, 0.05, 0.1]),
        blank_lines=rng.random() < 0.8,
    )
    return layout_page(order, layout, rng), order


_MONTH_DAY = re.compile(r"(\d{1,2})(\s*)月(\s*)(\d{1,2})(\s*)日")


def redate(text: str, day: datetime.date) -> str:
    """Move every 'M月D日' in a page to the days before ``day``, keeping the layout."""

    def shift(m: re.Match) -> str:
        when = day - datetime.timedelta(days=int(m.group(4)) % 5 + 1)
        return f"{when.month}{m.group(2)}月{m.group(3)}{when.day}{m.group(5)}日"

    return _MONTH_DAY.sub(shift, text)


def benchmark_pages(articles: list[Article], n: int, folder, start=None) -> list:
    """Write ``n`` synthetic pages (shuffled, re-laid, re-dated) into ``folder``; return paths.

    Pages are named like real issues (``YYYY-MM-DD_pN.txt``): four pages an issue, an issue
    every few days from ``start``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    start = start or datetime.date(2023, 1, 3)
    paths = []
    for k in range(n):
        day = start + datetime.timedelta(days=3 * (k // 4))
        text, _ = shuffled_page(articles, seed=k)
        path = folder / f"{day.isoformat()}_p{k % 4 + 1}.txt"
        path.write_text(redate(text, day), encoding="utf-8")
        paths.append(path)
    return paths
