"""Step 1 for PDF pages: read an e-paper PDF into page text that ``split`` parses as articles.

Takes a PDF file (one newspaper page, or a whole issue) and returns one ``PdfPage`` per PDF
page: its text in the seed layout (one printed line per line, reading order) and its article
boxes with a bounding box per line. What the PDF knows and a text file has lost is used here:

1. Characters with their font size and position (pypdfium2, the PDF engine pdfplumber uses
   too, read directly because it is several times faster). Bold that the paper prints by
   overprinting (the same character twice, a hair apart) is kept once and marked bold.
2. Lines: characters on one baseline and of one size, cut where the space between two
   characters is wider than justification ever makes it (a column gutter).
3. Boxes: the page is cut recursively (XY-cut) along its widest empty bands. Bands that hold a
   printed rule, or are clearly wider than the gutter between columns, separate article boxes;
   narrower bands separate a headline from its body and the columns of one body.
4. Order: inside a box the display lines (larger type: kicker, headline, subtitle, section
   label) come first, then the body's columns left to right; boxes go row by row. So each
   article's headline stands right before its body, and two reports with nothing printed
   between them are still cut apart by the second one's headline.
5. Paragraph indents are kept as ``　　`` (``split`` then takes paragraphs from them alone).

A PDF with no text layer (a scan) raises ``read.PageError(source, problem)``, ``problem`` being
``SCANNED``; so does a file that is not a PDF.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .read import PageError

SCANNED = "scanned page: no text layer (not OCR'd)"
# Overprinted bold: the second impression sits within this share of the type size.
OVERPRINT_TOLERANCE = 0.3
# Justification spreads characters by well under half an em; a gutter is at least one em.
LINE_BREAK_GAP = 0.7
# Characters of one line share a baseline (to a tenth of an em) and follow each other without
# overlapping by more than squeezed punctuation does.
BASELINE_TOLERANCE = 0.1
OVERLAP_TOLERANCE = 0.3
# Sizes within a tenth of each other are one type size (a line is never set in two sizes
# that close; rounding in the PDF is far smaller).
SIZE_TOLERANCE = 0.1
# An overprinted twin follows its character within a few others on the line.
TWIN_LOOKBACK = 3
# Type this much larger than the body is display type (kicker, subtitle, section label) ...
DISPLAY_RATIO = 1.15
# ... and this much larger is a headline (newspapers set headlines at 1.5× the body and up).
HEADLINE_RATIO = 1.45
# A band wider than this multiple of the column gutter separates article boxes; one narrower
# than this share of it (or of an em) separates nothing (it is spacing inside a line).
MIN_COLUMN_GAP = 0.5
BOX_GAP_RATIO = 1.6
# Lines of a column are evenly spaced: a band wider than that space by a fifth of an em is
# space left on purpose (between a headline and its body, or two parts of a box).
LINE_GAP_EXTRA = 0.2
# A paragraph's first line starts two ems in; more than one and a half counts.
INDENT_EM = 1.5
MAX_INDENT_EM = 3.0
# A rule separates two parts of a region when it runs along at least this share of it.
RULE_COVER = 0.5
# Lines thinner than this (points) are rules; wider paths are frames (four rules).
RULE_THICKNESS = 3.0
# A subtitle and an author line: what a headline carries with it in body type.
MAX_HEAD_EXTRAS = 2
# A headline standing alone belongs to a headline-less body at most this many box gaps away.
PAIR_GAP_RATIO = 3.0
INDENT = "\u3000\u3000"
# The seed's layout: a blank line after every printed line (blank lines mean nothing to split).
LINE_SEPARATOR = "\n\n"


@dataclass
class PdfLine:
    """One printed line: text and bounding box (points from the top-left corner of the page)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool = False
    indented: bool = False
    start: int = -1  # where the line stands in the page text (set by page_text)
    end: int = -1

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom)."""
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass
class PdfBox:
    """An article box: its bounding box, its display lines (kicker, headline, subtitle, author,
    section label) and its body lines, each in reading order."""

    bbox: tuple[float, float, float, float]
    head: list[PdfLine]
    body: list[PdfLine]
    headlines: int = 0
    head_break: int = 0  # the text breaks the one-line headline here (order_headlines)

    @property
    def lines(self) -> list[PdfLine]:
        """The box's lines in the order the page text gives them: headline first."""
        return self.head + self.body


@dataclass
class PdfPage:
    """One PDF page as text in the seed layout, with the boxes the text came from."""

    number: int
    text: str
    boxes: list[PdfBox] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    problem: str = ""  # why the page has no text (SCANNED, unreadable), when it has none

    def bbox_of(self, span: tuple[int, int]) -> tuple[float, float, float, float] | None:
        """The area of the page that printed ``text[span[0]:span[1]]`` (e.g. an article's
        ``span``): the union of its lines' boxes, or None if the span holds no line."""
        boxes = [
            ln.bbox
            for box in self.boxes
            for ln in box.lines
            if ln.start < span[1] and ln.end > span[0]
        ]
        if not boxes:
            return None
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )


# A printed character is a list (cheaper than an object, and pages hold thousands):
# [base, x0, x1, top, size, text, bold], ``base`` being the bottom of the type (the font's
# descent line) and ``top`` its top, both measured from the top of the page.
BASE, X0, X1, TOP, SIZE, TEXT, BOLD = range(7)


def char(text: str, x0: float, x1: float, base: float, size: float, top: float | None = None):
    """A printed character as ``make_lines`` takes it."""
    return [base, x0, x1, base - size if top is None else top, size, text, False]


@dataclass
class _Item:
    """Something that occupies space on the page: a line, or a picture (no text)."""

    x0: float
    top: float
    x1: float
    bottom: float
    line: PdfLine | None = None
    display: bool = False  # a line in display type (larger than the body)


@dataclass
class _Rule:
    x0: float
    top: float
    x1: float
    bottom: float
    horizontal: bool = False

    def __post_init__(self) -> None:
        self.horizontal = (self.x1 - self.x0) >= (self.bottom - self.top)


# --------------------------------------------------------------------------- reading


def pdf_page_count(path: Path) -> int:
    """How many pages a PDF has (to spread its pages over workers); ``PageError`` if none."""
    doc = _open(path)
    try:
        return len(doc)
    finally:
        doc.close()


def _open(path: Path):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError, ValueError) as exc:
        raise PageError(str(path), f"not a readable PDF ({exc})") from exc


def pdf_pages(path: Path, numbers: Iterable[int] | None = None) -> list[PdfPage]:
    """Every page of a PDF (or the pages ``numbers``, 1-based) as seed-layout text with its
    article boxes.

    Raises ``PageError`` when the file is not a readable PDF, or when no page read has a text
    layer (a scan); a scanned page inside a PDF that has text elsewhere comes back with empty
    text and ``problem`` set to ``SCANNED``.
    """
    import pypdfium2 as pdfium

    doc = _open(path)
    try:
        pages = []
        wanted = range(1, len(doc) + 1) if numbers is None else numbers
        for i in (n - 1 for n in wanted):
            try:
                pages.append(_read_page(doc[i], i + 1))
            except pdfium.PdfiumError as exc:  # one damaged page does not lose the issue
                pages.append(PdfPage(i + 1, "", problem=f"unreadable page ({exc})"))
    finally:
        doc.close()
    if not pages or not any(p.text for p in pages):
        raise PageError(str(path), pages[0].problem if pages else "a PDF without pages")
    return pages


def _read_page(page, number: int) -> PdfPage:
    width, height = page.get_size()
    textpage = page.get_textpage()
    chars = _chars(textpage, height)
    textpage.close()
    result = PdfPage(number, "", width=width, height=height)
    if not any(c[TEXT].strip() for c in chars):
        result.problem = SCANNED
        return result
    rules, pictures = _graphics(page, height)
    result.boxes = layout(chars, rules, pictures)
    result.text = page_text(result.boxes)
    return result


def _chars(textpage, height: float) -> list[list]:
    """The page's printed characters and spaces (not the line breaks pdfium makes up)."""
    import pypdfium2.raw as raw

    n = textpage.count_chars()
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    tp = textpage.raw
    # The loose box spans the character's advance, not its ink (quotes and commas print in
    # one side of their cell: their ink boxes leave gaps as wide as a column gutter), and its
    # bottom is the font's descent line, one height for a whole line of one type.
    rect = raw.FS_RECTF()
    loose_box, font_size = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize
    chars: list[list] = []
    append = chars.append
    size, box_height = 0.0, -1.0
    for i, ch in enumerate(text[:n]):
        # pdfium makes up the line breaks; the spaces it marks as made up include printed ones
        # (with embedded fonts it re-creates every space from the gap): keep them all
        if ch in "\r\n":
            continue
        loose_box(tp, i, rect)
        top, bottom, left, right = rect.top, rect.bottom, rect.left, rect.right
        if ch == " " and chars:
            # a made-up space has no type of its own: it stands on the line it follows
            last = chars[-1]
            append([last[BASE], left, left, last[TOP], last[SIZE], ch, False])
            continue
        # the type size only changes where the box height does: ask pdfium only then
        if abs(top - bottom - box_height) > 0.01:
            box_height = top - bottom
            size = font_size(tp, i)
        append(
            [height - bottom, left, right if right > left else left, height - top, size, ch, False]
        )
    return chars


def _clusters(chars: list[list]) -> list[list[list]]:
    """Characters grouped by baseline (within a tenth of an em), each group left to right."""
    groups: list[list[list]] = []
    first = None
    for c in sorted(chars):
        if first is not None and c[BASE] - first[BASE] <= BASELINE_TOLERANCE * first[SIZE]:
            groups[-1].append(c)
        else:
            groups.append([c])
            first = c
    for g in groups:
        g.sort(key=lambda c: c[X0])
    return groups


def _without_twins(group: list[list]) -> list[list]:
    """One baseline's characters with overprinted twins dropped and the one kept made bold."""
    kept: list[list] = []
    for c in group:
        tol = OVERPRINT_TOLERANCE * c[SIZE]
        text, x0, base = c[TEXT], c[X0], c[BASE]
        for k in kept[-TWIN_LOOKBACK:]:
            if k[TEXT] == text and abs(k[X0] - x0) <= tol and abs(k[BASE] - base) <= tol:
                k[BOLD] = True
                break
        else:
            kept.append(c)
    return kept


def dedupe(chars: list[list]) -> list[list]:
    """Drop overprinted duplicates (the paper's bold) and mark the character kept as bold."""
    return [c for g in _clusters(chars) for c in _without_twins(g)]


def _graphics(page, height: float) -> tuple[list[_Rule], list[_Item]]:
    """Rules (thin paths; a frame gives its four sides) and pictures, top-down coordinates."""
    import pypdfium2.raw as raw

    rules: list[_Rule] = []
    pictures: list[_Item] = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE]):
        x0, y0, x1, y1 = obj.get_bounds()
        top, bottom = height - y1, height - y0
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
            pictures.append(_Item(x0, top, x1, bottom))
        elif x1 - x0 <= RULE_THICKNESS or bottom - top <= RULE_THICKNESS:
            rules.append(_Rule(x0, top, x1, bottom))
        else:
            rules.extend(
                [
                    _Rule(x0, top, x1, top),
                    _Rule(x0, bottom, x1, bottom),
                    _Rule(x0, top, x0, bottom),
                    _Rule(x1, top, x1, bottom),
                ]
            )
    return rules, pictures


# --------------------------------------------------------------------------- lines


def make_lines(chars: list[list]) -> list[PdfLine]:
    """Characters on one baseline and of one size, twins dropped, cut at gaps wider than
    justification makes."""
    lines: list[PdfLine] = []

    def flush(run: list[list]) -> None:
        # one size and baseline, left to right: the first character gives the type, the last
        # the right edge
        text = "".join([c[TEXT] for c in run]).strip()
        if text:
            first = run[0]
            bold = sum([c[BOLD] for c in run]) * 2 > len(run)
            x1 = run[-1][X1] if run[-1][X1] > run[-1][X0] else run[-1][X0]
            lines.append(PdfLine(text, first[X0], first[TOP], x1, first[BASE], first[SIZE], bold))

    for group in _clusters(chars):
        run: list[list] = []
        prev = None
        for c in _without_twins(group):
            if prev is not None:
                em = c[SIZE] if c[SIZE] > prev[SIZE] else prev[SIZE]
                gap = c[X0] - prev[X1]
                if (
                    abs(c[SIZE] - prev[SIZE]) > SIZE_TOLERANCE * em
                    or gap > LINE_BREAK_GAP * em
                    or gap < -OVERLAP_TOLERANCE * em
                ):
                    flush(run)
                    run = []
            run.append(c)
            prev = c
        flush(run)
    return lines


def body_size(lines: list[PdfLine]) -> float:
    """The type size most of the page's characters are set in."""
    weight: dict[float, int] = {}
    for line in lines:
        key = round(line.size * 2) / 2
        weight[key] = weight.get(key, 0) + len(line.text)
    return max(weight, key=weight.get)


def _gutter(lines: list[PdfLine], size: float) -> float:
    """The space between two columns of body text (lower quartile of side-by-side gaps)."""
    body = sorted(
        (ln for ln in lines if abs(ln.size - size) <= SIZE_TOLERANCE * size),
        key=lambda ln: (round(ln.top), ln.x0),
    )
    gaps = sorted(
        b.x0 - a.x1
        for a, b in zip(body, body[1:], strict=False)
        if round(a.top) == round(b.top) and 0 < b.x0 - a.x1 < 4 * size
    )
    return gaps[len(gaps) // 4] if gaps else size


def _line_gap(lines: list[PdfLine], size: float) -> float:
    """The usual space between two lines of one column (median)."""
    body = sorted(
        (ln for ln in lines if abs(ln.size - size) <= SIZE_TOLERANCE * size), key=lambda ln: ln.top
    )
    by_col: dict[int, PdfLine] = {}
    gaps = []
    for ln in body:
        key = round(ln.x1 / size)  # justified lines of one column end at one x
        prev = by_col.get(key)
        if prev is not None and 0 <= ln.top - prev.bottom < 2 * size:
            gaps.append(ln.top - prev.bottom)
        by_col[key] = ln
    gaps.sort()
    return gaps[len(gaps) // 2] if gaps else size * 0.5


# --------------------------------------------------------------------------- regions


@dataclass
class _Cuts:
    """Thresholds for one page's XY-cut."""

    rules: list[_Rule]
    box_gap: float  # bands at least this wide separate boxes
    size: float  # body type size
    min_x_gap: float
    min_y_gap: float


def _bands(items: list[_Item], axis: str) -> list[tuple[float, float, bool]]:
    """Empty bands between the items along an axis ('x' or 'y'): (start, end, whether the type
    changes across it, display type on one side and body type on the other)."""
    key = (lambda it: (it.x0, it.x1)) if axis == "x" else (lambda it: (it.top, it.bottom))
    ordered = sorted(items, key=key)
    bands = []
    reach = key(ordered[0])[1]
    display = ordered[0].display
    for it in ordered[1:]:
        lo, hi = key(it)
        if lo > reach:
            bands.append((reach, lo, display != it.display))
            display = False
        if hi > reach:
            reach = hi
        display = display or it.display
    return bands


def _ruled(band, axis: str, extent: tuple[float, float], rules: list[_Rule]) -> float:
    """How much of the region a rule inside the band runs along (0 if none runs along at least
    ``RULE_COVER`` of it)."""
    lo, hi = extent
    best = 0.0
    for r in rules:
        if axis == "y" and r.horizontal and band[0] <= (r.top + r.bottom) / 2 <= band[1]:
            best = max(best, (min(r.x1, hi) - max(r.x0, lo)) / (hi - lo or 1.0))
        if axis == "x" and not r.horizontal and band[0] <= (r.x0 + r.x1) / 2 <= band[1]:
            best = max(best, (min(r.bottom, hi) - max(r.top, lo)) / (hi - lo or 1.0))
    return min(best, 1.0) if best >= RULE_COVER else 0.0


def _best_cut(items: list[_Item], cuts: _Cuts, boxes_only: bool):
    """The band to cut at, the one with the longest rule first, else the widest: (axis,
    position, strong) or None."""
    best = None
    x_extent = (min(it.x0 for it in items), max(it.x1 for it in items))
    y_extent = (min(it.top for it in items), max(it.bottom for it in items))
    for axis, minimum, extent in (
        ("y", cuts.min_y_gap, x_extent),
        ("x", cuts.min_x_gap, y_extent),
    ):
        for band in _bands(items, axis):
            width = band[1] - band[0]
            # a headline stands apart from its body by its type, whatever the space between
            if width < minimum and not (axis == "y" and band[2]):
                continue
            ruled = _ruled(band, axis, extent, cuts.rules)
            strong = ruled or width >= cuts.box_gap
            if boxes_only and not strong:
                continue
            # a rule across the whole region (under a masthead, between rows) cuts before one
            # that runs along part of it (between two boxes of a row)
            key = (round(ruled, 1), width)
            if best is None or key > best[0]:
                best = (key, axis, (band[0] + band[1]) / 2, strong)
    return None if best is None else best[1:]


def _split(items: list[_Item], axis: str, at: float) -> tuple[list[_Item], list[_Item]]:
    if axis == "y":
        return [it for it in items if it.bottom <= at], [it for it in items if it.top >= at]
    return [it for it in items if it.x1 <= at], [it for it in items if it.x0 >= at]


def xy_cut(items: list[_Item], cuts: _Cuts, boxes_only: bool) -> list[list[_Item]]:
    """Cut a region recursively along its widest bands; the leaves in reading order."""
    if len(items) <= 1:
        return [items] if items else []
    found = _best_cut(items, cuts, boxes_only)
    if found is None:
        return [items]
    axis, at, _ = found
    first, second = _split(items, axis, at)
    return xy_cut(first, cuts, boxes_only) + xy_cut(second, cuts, boxes_only)


def _headline_groups(items: list[_Item], size: float) -> int:
    """How many separate headlines a region holds (headline lines stacked close are one)."""
    heads = sorted(
        (it.line for it in items if it.line and it.line.size >= HEADLINE_RATIO * size),
        key=lambda ln: ln.top,
    )
    groups: list[list[PdfLine]] = []
    for ln in heads:
        for g in groups:
            last = g[-1]
            overlap = min(ln.x1, last.x1) - max(ln.x0, last.x0) > 0
            if overlap and ln.top - last.bottom < ln.size:
                g.append(ln)
                break
        else:
            groups.append([ln])
    return len(groups)


def _articles(items: list[_Item], cuts: _Cuts, size: float) -> list[list[_Item]]:
    """Cut a box that still holds several headlines until each part holds at most one."""
    if _headline_groups(items, size) <= 1:
        return [items]
    found = _best_cut(items, cuts, boxes_only=False)
    if found is None:
        return [items]
    axis, at, _ = found
    first, second = _split(items, axis, at)
    return _articles(first, cuts, size) + _articles(second, cuts, size)


def _ordered(items: list[_Item], cuts: _Cuts, size: float) -> tuple[list[PdfLine], list[PdfLine]]:
    """An article's lines: its display parts (top to bottom), and the body's columns."""
    leaves = xy_cut(items, cuts, boxes_only=False)
    head = [
        leaf for leaf in leaves if any(it.display for it in leaf) or _printed_with_headline(leaf)
    ]
    rest = [leaf for leaf in leaves if leaf not in head]
    head.sort(key=lambda leaf: (min(it.top for it in leaf), min(it.x0 for it in leaf)))
    _mark_indents(items, size)

    def lines(group: list[list[_Item]]) -> list[PdfLine]:
        out: list[PdfLine] = []
        for leaf in group:
            out.extend(sorted((it.line for it in leaf if it.line), key=lambda ln: (ln.top, ln.x0)))
        return out

    return lines(head), lines(rest)


def _printed_with_headline(leaf: list[_Item]) -> bool:
    """True if a leaf holds only lines that stand with a headline in body type: author lines
    (□ 通讯员…) and subtitles (——…), as ``split`` recognises them."""
    from .split import AUTHOR, SUBTITLE, assign_roles, page_lines

    lines = [it.line for it in leaf if it.line]
    if not lines or len(lines) > MAX_HEAD_EXTRAS:
        return False
    parsed = page_lines("\n".join(ln.text for ln in lines))
    assign_roles(parsed)
    return all(p.role in (AUTHOR, SUBTITLE) for p in parsed)


def _mark_indents(items: list[_Item], size: float) -> None:
    """A body line that starts an indent right of its column's left edge opens a paragraph.

    The edge is where another line of the same column starts (one reaching at least as far
    right, as a full column line does), or a picture above a caption."""
    body = sorted((it for it in items if not it.display), key=lambda it: it.x0)
    starts = [it.x0 for it in body]
    for it in body:
        if it.line is None:
            continue
        em = it.line.size
        lo = bisect.bisect_left(starts, it.x0 - MAX_INDENT_EM * em)
        hi = bisect.bisect_right(starts, it.x0 - INDENT_EM * em)
        it.line.indented = any(other.x1 >= it.x1 - em for other in body[lo:hi])


def layout(chars: list[list], rules: list[_Rule], pictures: list[_Item]) -> list[PdfBox]:
    """Article boxes in reading order, each with its lines in reading order."""
    lines = make_lines(chars)
    if not lines:
        return []
    size = body_size(lines)
    gutter = _gutter(lines, size)
    line_gap = _line_gap(lines, size)
    cuts = _Cuts(
        rules=rules,
        box_gap=BOX_GAP_RATIO * gutter,
        size=size,
        min_x_gap=MIN_COLUMN_GAP * min(gutter, size),
        min_y_gap=line_gap + LINE_GAP_EXTRA * size,
    )
    items = [
        _Item(ln.x0, ln.top, ln.x1, ln.bottom, ln, ln.size >= DISPLAY_RATIO * size) for ln in lines
    ] + pictures
    boxes: list[PdfBox] = []
    for region in xy_cut(items, cuts, boxes_only=True):
        for part in _articles(region, cuts, size):
            head, body = _ordered(part, cuts, size)
            if not head and not body:
                continue
            bbox = (
                min(it.x0 for it in part),
                min(it.top for it in part),
                max(it.x1 for it in part),
                max(it.bottom for it in part),
            )
            boxes.append(PdfBox(bbox, head, body, _headline_groups(part, size)))
    return _pair_headlines(boxes, cuts.box_gap, rules)


def _headline_only(box: PdfBox) -> bool:
    """A headline standing apart (beside its body, with a wide band between): display lines,
    at most an author line or two, no sentence."""
    return bool(box.headlines) and not any("。" in ln.text for ln in box.body)


def _gap(a: PdfBox, b: PdfBox) -> float:
    """The band between two boxes side by side or one above the other (inf otherwise)."""
    ax0, at, ax1, ab = a.bbox
    bx0, bt, bx1, bb = b.bbox
    if min(ab, bb) > max(at, bt):  # overlap vertically: side by side
        return max(bx0 - ax1, ax0 - bx1)
    if min(ax1, bx1) > max(ax0, bx0):
        return max(bt - ab, at - bb)
    return math.inf


def _rule_between(a: tuple, b: tuple, rules: list[_Rule]) -> bool:
    """True if a rule runs between two boxes (one above the other, or side by side)."""
    lo_x, hi_x = max(a[0], b[0]), min(a[2], b[2])
    lo_y, hi_y = max(a[1], b[1]), min(a[3], b[3])
    for r in rules:
        if r.horizontal and min(a[3], b[3]) <= r.top <= max(a[1], b[1]):
            if r.x0 < hi_x and r.x1 > lo_x:
                return True
        if not r.horizontal and min(a[2], b[2]) <= r.x0 <= max(a[0], b[0]):
            if r.top < hi_y and r.bottom > lo_y:
                return True
    return False


def _pair_headlines(boxes: list[PdfBox], box_gap: float, rules: list[_Rule]) -> list[PdfBox]:
    """Join a headline that stands alone to the nearest box that has a body but no headline."""
    for box in [b for b in boxes if _headline_only(b)]:
        bodies = [
            (gap, i)
            for i, b in enumerate(boxes)
            if not b.headlines
            and b.body
            and (gap := _gap(box, b)) <= PAIR_GAP_RATIO * box_gap
            and not _rule_between(box.bbox, b.bbox, rules)
        ]
        if not bodies:
            continue
        _, i = min(bodies)
        other = boxes[i]
        other.head = sorted(box.head + other.head, key=lambda ln: (ln.top, ln.x0))
        other.body = box.body + other.body
        other.headlines = box.headlines
        other.bbox = (
            min(box.bbox[0], other.bbox[0]),
            min(box.bbox[1], other.bbox[1]),
            max(box.bbox[2], other.bbox[2]),
            max(box.bbox[3], other.bbox[3]),
        )
        boxes.remove(box)
    return boxes


def _text_lines(lines: list[PdfLine]) -> str:
    return "\n".join((INDENT if ln.indented else "") + ln.text for ln in lines)


def _open_ended(box: PdfBox) -> bool:
    """True if nothing printed closes the box's body (no end byline, no photo credit)."""
    from .split import BYLINE, CREDIT, assign_roles, page_lines

    lines = page_lines(_text_lines(box.body[-2:]))
    assign_roles(lines)
    return not lines or not (lines[-1].role in (BYLINE, CREDIT) or lines[-1].byline)


def _is_continuation(box: PdfBox) -> bool:
    """True if the box's text opens with a continuation marker (（接一版）)."""
    from .split import JUMP, assign_roles, page_lines

    lines = page_lines(_text_lines(box.body[:1]))
    assign_roles(lines)
    return bool(lines) and lines[0].role == JUMP


def _reads_as_subhead(box: PdfBox) -> bool:
    """True if ``split`` would take the box's headline for a subhead of the article before:
    a one-line headline alone, over a body that opens without a dateline."""
    from .split import CREDIT, assign_roles, page_lines

    if len(box.head) != 1 or not box.body or _is_continuation(box):
        return False
    first = page_lines(_text_lines(box.body[:1]))
    last = page_lines(_text_lines(box.body[-1:]))
    assign_roles(first)
    assign_roles(last)
    # a photo (its caption ends in a credit) is never folded into the article before it
    return bool(first) and not first[0].dateline and last[-1].role != CREDIT


def order_headlines(boxes: list[PdfBox]) -> None:
    """Keep ``split`` from taking a report's headline for a subhead of the report before.

    Each headline stands right before its body. ``split`` reads a lone one-line headline over
    dateline-less text, after a body that nothing closed (no end byline, no credit), as an
    in-article subhead, and folds the report into the one before. Such a headline is written on
    two lines: it is one headline still (``split`` joins a headline's lines), and no subhead.
    (Giving every headline of such a page after its body, the seed's order, does as well on
    generated pages and worse on the development set's reports.)"""
    last = None  # the last box with a report's text (page furniture between is no boundary)
    for box in boxes:
        if last is not None and _open_body(last) and _reads_as_subhead(box):
            box.head_break = max(1, len(box.head[0].text) // 2)
        if any("。" in ln.text for ln in box.body):
            last = box


def _open_body(box: PdfBox) -> bool:
    """A report's text (it has sentences) that nothing printed closes."""
    return any("。" in ln.text for ln in box.body) and _open_ended(box)


def page_text(boxes: list[PdfBox]) -> str:
    """The page in the seed layout: one printed line per line, a blank line between lines."""
    order_headlines(boxes)
    out: list[str] = []
    pos = 0
    for box in boxes:
        for ln in box.lines:
            printed = (INDENT if ln.indented else "") + ln.text
            if box.head_break and ln is box.head[0]:
                printed = printed[: box.head_break] + LINE_SEPARATOR + printed[box.head_break :]
            ln.start, ln.end = pos, pos + len(printed)
            pos = ln.end + len(LINE_SEPARATOR)
            out.append(printed)
    return LINE_SEPARATOR.join(out) + "\n" if out else ""


__all__ = [
    "SCANNED",
    "PageError",
    "PdfBox",
    "PdfLine",
    "PdfPage",
    "dedupe",
    "pdf_page_count",
    "pdf_pages",
]
