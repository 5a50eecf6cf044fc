"""PDF pages: PDFs the project sets itself (reportlab) read back into the articles that were set.

Each test writes its PDFs in a temporary folder at test time, from the real page's articles
(tests/fixtures) and from reports composed for the tests (``helpers.synth_pdf.COMPOSED``), and
checks ``parse_page(pdf_pages(path)[i].text)`` against what was set: how many articles, their
headlines and their bodies.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from helpers import PageError, parse_page
from helpers.__main__ import main
from helpers.pdf import BOLD, SCANNED, char, dedupe, pdf_pages
from helpers.synth_pdf import (
    COMPOSED,
    PdfLayout,
    SetPage,
    shuffled_pdf,
    write_pdf,
    write_scanned_pdf,
)

from .conftest import REAL_PAGE


def _norm(text: str) -> str:
    return re.sub(r"\s", "", text)


def found(page_text: str, held: SetPage) -> tuple[int, list[str]]:
    """How many of the articles set on a page come back as exactly one article with the same
    kind, headline and body; and what went wrong with the others."""
    got = parse_page(page_text).articles
    right, wrong = 0, []
    for article in held.articles:
        same = [
            g
            for g in got
            if _norm(g.body) == _norm(article.body)
            and g.headline == article.headline
            and g.kind == article.kind
        ]
        if len(same) == 1:
            right += 1
        else:
            wrong.append(f"{article.kind} {article.headline!r}")
    return right, wrong


@pytest.fixture(scope="module")
def real_articles():
    page = parse_page(REAL_PAGE.read_text(encoding="utf-8"))
    # a continuation from the front page opens the page, as in print
    return sorted(page.articles, key=lambda a: a.kind != "continuation")


def _check_all(path: Path, held: list[SetPage]) -> None:
    pages = pdf_pages(path)
    assert len(pages) == len(held)
    for page, setp in zip(pages, held, strict=True):
        right, wrong = found(page.text, setp)
        assert not wrong, f"page {page.number}: {wrong}"
        assert len(parse_page(page.text).articles) == len(setp.articles)


def test_real_page_articles_come_back(tmp_path, real_articles):
    path = tmp_path / "real.pdf"
    held = write_pdf([real_articles], path, seed=1)
    assert sum(len(h.articles) for h in held) == len(real_articles) == 11
    _check_all(path, held)


@pytest.mark.parametrize("place", ["above", "beside", "below"])
def test_headline_above_beside_or_below(tmp_path, real_articles, place):
    path = tmp_path / f"{place}.pdf"
    layout = PdfLayout(headline_places=(place,))
    held = write_pdf([real_articles + COMPOSED], path, seed=2, layout=layout)
    assert place in {p for h in held for p in h.places}
    _check_all(path, held)


def test_composed_reports_without_rules(tmp_path):
    path = tmp_path / "composed.pdf"
    held = write_pdf([COMPOSED], path, seed=3, layout=PdfLayout(rules=False, columns=5))
    _check_all(path, held)
    kinds = [a.kind for h in held for a in h.articles]
    assert kinds.count("photo") == 1


def test_two_reports_with_nothing_between_them(tmp_path):
    """Neither report has a dateline or a byline: only the boxes and the headline type part
    them. A plain text of the same page gives the second headline as a subhead of the first."""
    plain = [a for a in COMPOSED if not a.dateline and not a.byline and a.kind == "article"]
    assert len(plain) == 2
    for seed in range(4):
        path = tmp_path / f"pair{seed}.pdf"
        held = write_pdf([plain], path, seed=seed, layout=PdfLayout(rules=seed % 2 == 0))
        (page,) = pdf_pages(path)
        articles = parse_page(page.text).articles
        assert [a.headline for a in articles] == [a.headline for a in held[0].articles]
        assert [_norm(a.body) for a in articles] == [_norm(a.body) for a in held[0].articles]


def test_overprinted_bold_is_read_once(tmp_path, real_articles):
    path = tmp_path / "bold.pdf"
    photos = [a for a in real_articles if a.kind == "photo"]
    write_pdf([photos], path, seed=4)
    (page,) = pdf_pages(path)
    bold = [ln for box in page.boxes for ln in box.lines if ln.bold]
    captions = [_norm(a.body) for a in photos]
    assert bold, "the photo captions are overprinted: bold"
    assert all(any(_norm(ln.text) in c for c in captions) or "摄" in ln.text for ln in bold)
    for caption in captions:
        assert caption[:12] in _norm(page.text)  # once, not 近日近日…
        assert _norm(page.text).count(caption[:6]) == 1


def test_dedupe_keeps_one_of_each_overprinted_pair():
    rng = random.Random(0)
    chars = [char("政", 10.0 * i, 10.0 * i + 9, 100.0, 9.0) for i in range(5)]
    twins = [char("政", 10.0 * i + 0.3, 10.0 * i + 9.3, 100.1, 9.0) for i in range(3)]
    mixed = chars + twins
    rng.shuffle(mixed)
    kept = dedupe(mixed)
    assert len(kept) == 5  # reduplicated characters a cell apart (常常) are both kept
    assert sum(c[BOLD] for c in kept) == 3


def test_scanned_page_is_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    write_scanned_pdf(path)
    with pytest.raises(PageError, match=re.escape(SCANNED)):
        pdf_pages(path)


def test_not_a_pdf_is_refused(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really\n")
    with pytest.raises(PageError, match="not a readable PDF"):
        pdf_pages(path)


def test_pdf2txt_writes_seed_text(tmp_path, real_articles):
    one = tmp_path / "2023-06-15_p3.pdf"
    short = [a for a in real_articles if len(a.body) < 400][:3]
    held = write_pdf([short], one, seed=5, layout=PdfLayout(columns=6))
    assert len(held) == 1
    assert main(["pdf2txt", str(one)]) == 0
    text = one.with_suffix(".txt").read_text(encoding="utf-8")
    assert text == pdf_pages(one)[0].text
    assert "\n\n" in text  # one printed line per line, blank lines between, as the seed
    issue = tmp_path / "2023-06-15.pdf"
    pages = write_pdf([real_articles[:3], COMPOSED[:3]], issue, seed=6)
    out = tmp_path / "txt"
    assert main(["pdf2txt", str(issue), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        f"2023-06-15_p{n}.txt" for n in range(1, len(pages) + 1)
    ]


def test_boxes_carry_positions(tmp_path, real_articles):
    path = tmp_path / "boxes.pdf"
    write_pdf([real_articles[:4]], path, seed=7)
    page = pdf_pages(path)[0]
    assert page.number == 1 and page.width > 0
    for box in page.boxes:
        x0, top, x1, bottom = box.bbox
        for ln in box.lines:
            assert x0 - 0.01 <= ln.x0 <= ln.x1 <= x1 + 0.01
            assert top - 0.01 <= ln.top <= ln.bottom <= bottom + 0.01


@pytest.mark.slow
def test_many_layouts(tmp_path, real_articles):
    """Random designs (grid, sizes, leading, rules, justification, headline places)."""
    right = total = 0
    misses = []
    for seed in range(12):
        path = tmp_path / f"layout{seed}.pdf"
        held = shuffled_pdf(real_articles + COMPOSED, path, seed)
        for page, setp in zip(pdf_pages(path), held, strict=True):
            r, wrong = found(page.text, setp)
            right += r
            total += len(setp.articles)
            misses += [f"seed {seed} p{page.number}: {w}" for w in wrong]
    assert right / total >= 0.98, misses


def test_article_spans_map_to_the_page(tmp_path, real_articles):
    """An article's span in the page text points back to where the PDF printed it."""
    path = tmp_path / "spans.pdf"
    held = write_pdf([real_articles[:4]], path, seed=8)
    page = pdf_pages(path)[0]
    for article in parse_page(page.text).articles:
        x0, top, x1, bottom = page.bbox_of(article.span)
        box = next(
            b
            for b in page.boxes
            if _norm(article.body)[:10] in _norm("".join(ln.text for ln in b.body))
        )
        bx0, btop, bx1, bbottom = box.bbox
        assert (
            bx0 - 0.01 <= x0 < x1 <= bx1 + 0.01 and btop - 0.01 <= top < bottom <= bbottom + 0.01
        )
    assert len(held[0].articles) >= 2


def test_scanned_page_inside_an_issue_is_marked(tmp_path, real_articles):
    import pypdfium2 as pdfium

    text, scan, issue = tmp_path / "text.pdf", tmp_path / "scan.pdf", tmp_path / "issue.pdf"
    write_pdf([real_articles[:2]], text, seed=9)
    write_scanned_pdf(scan)
    doc = pdfium.PdfDocument.new()
    for part in (text, scan):
        src = pdfium.PdfDocument(str(part))
        doc.import_pages(src)
    doc.save(str(issue))
    pages = pdf_pages(issue)
    assert [bool(p.text) for p in pages] == [True] * (len(pages) - 1) + [False]
    assert pages[-1].problem == SCANNED and not pages[0].problem


def test_pages_can_be_read_one_at_a_time(tmp_path, real_articles):
    """A loader can spread an issue's pages over workers: page n alone reads as in the whole."""
    from helpers.pdf import pdf_page_count

    path = tmp_path / "issue.pdf"
    write_pdf([real_articles[:3], COMPOSED[:3]], path, seed=10)
    whole = pdf_pages(path)
    assert pdf_page_count(path) == len(whole) >= 2
    for page in whole:
        (alone,) = pdf_pages(path, [page.number])
        assert (alone.number, alone.text) == (page.number, page.text)


def test_a_pdf_in_seeds_loads_like_a_text_page(real_articles, tmp_path):
    """End to end: a PDF put in seeds/ becomes the articles that were set, with their tags,
    ``source`` pointing into the PDF; ``pdf2txt``'s text file beside it is counted once."""
    import warnings

    from helpers import load_corpus

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    held = write_pdf([real_articles], seeds / "2023-06-08_p3.pdf", seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = load_corpus(seeds, cache_dir=tmp_path / "cache")
    assert sorted(df["headline"]) == sorted(a.headline for page in held for a in page.articles)
    pdf = seeds / "2023-06-08_p3.pdf"
    assert set(df["source"]) == {f"{pdf}#page={n}" for n in range(1, len(held) + 1)}
    assert df["issue_date"].dt.strftime("%Y-%m-%d").unique().tolist() == ["2023-06-08"]
    assert "陇南市" in set(df["locality"])
    assert main(["pdf2txt", str(seeds / "2023-06-08_p3.pdf")]) == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = load_corpus(seeds, cache_dir=tmp_path / "cache")
    assert len(again) == len(df)
    written = sorted(p.name for p in seeds.glob("*.txt"))
    assert sorted(Path(d["file"]).name for d in again.attrs["duplicates"]) == written
