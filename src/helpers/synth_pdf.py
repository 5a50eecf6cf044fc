"""Test and benchmark PDFs: set articles on newspaper pages the way the paper prints them.

Takes ``Article`` objects (parsed from the real page, or composed in ``COMPOSED``) and writes a
PDF with reportlab: a grid of columns, article boxes side by side in rows, headlines in larger
type above, beside or below their bodies (a committee-name kicker in smaller type above,
subtitles, author lines), bodies flowed down several columns with indented, justified
paragraphs, photo boxes with a bold caption and a credit, a continuation under a section label,
bold runs overprinted (each character drawn twice at a tiny offset), page furniture, and rules
between boxes on some pages. Returns what it set on each page, so tests can compare the parse
with it. Never used on ``seeds/``.

Text is set in reportlab's built-in CID font STSong-Light: reportlab cannot embed the
PostScript-outline (CFF) Noto Sans CJK that the project ships, and the CID font needs no file.
"""

from __future__ import annotations

import dataclasses
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from .split import Article

FONT = "STSong-Light"
PAGE_WIDTH, PAGE_HEIGHT = 842.0, 1191.0  # A3 portrait, in points
MARGIN = 36.0
# Where the paper overprints bold text, the second impression sits this far (points) to the right.
OVERPRINT_OFFSET = 0.3
SUBHEAD_MIN_SIZE = 0.7  # share of the body size
NO_LINE_START = "，。、；：！？”）》…"


@dataclass
class PdfLayout:
    """How the pages of one generated PDF are set."""

    columns: int = 6
    body_size: float = 9.0
    leading: float = 1.5  # line pitch as a multiple of the type size
    headline_size: float = 18.0
    rules: bool = True  # thin rules between article boxes
    gutter_em: float = 1.0  # space between the columns of one article, in body ems
    box_gap_em: float = 2.5  # space between article boxes (wider than a column gutter)
    justify: bool = True
    headline_places: tuple[str, ...] = ("above", "beside", "below")
    stack: bool = True  # stack short reports under one another in a slot of a row


@dataclass
class _Text:
    x: float
    top: float  # distance from the box top to the top of the type
    text: str
    size: float
    bold: bool = False
    width: float = 0.0  # justify to this width when set
    fit: float = 0.0  # squeeze into this width when wider (hanging punctuation, long subheads)


@dataclass
class _Box:
    """One article's printed content, positions relative to its box's top-left corner."""

    article: Article
    width: float
    height: float = 0.0
    texts: list[_Text] = field(default_factory=list)
    images: list[tuple[float, float, float, float]] = field(default_factory=list)
    frames: list[tuple[float, float, float, float]] = field(default_factory=list)
    place: str = "none"  # where the headline stands: above, beside, below (none: no headline)


def text_width(text: str, size: float) -> float:
    """Printed width of ``text`` in the CID font at ``size``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    _register_font()
    return stringWidth(text, FONT, size)


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def use_font(ttf: Path) -> None:
    """Set the following PDFs in a TrueType font, embedded (as e-paper PDFs embed theirs),
    instead of the built-in CID font."""
    global FONT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = Path(ttf).stem
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(ttf)))
    FONT = name


def wrap(text: str, width: float, size: float, indent: float = 0.0) -> list[str]:
    """Cut a paragraph into lines that fit ``width``; closing punctuation hangs at line ends."""
    lines: list[str] = []
    current, used, limit = "", 0.0, width - indent
    for ch in text:
        w = text_width(ch, size)
        if current and used + w > limit + 0.01 and ch not in NO_LINE_START:
            lines.append(current)
            current, used, limit = "", 0.0, width
        current += ch
        used += w
    if current:
        lines.append(current)
    return lines


def _kicker_split(headline: str) -> tuple[str, str]:
    """A headline that opens with a committee's name prints the name as a kicker above."""
    if "：" in headline:
        return "", headline
    cut = headline.find("政协")
    if 0 < cut and cut + 2 < len(headline) and cut + 2 <= 7:
        return headline[: cut + 2], headline[cut + 2 :]
    return "", headline


def _head_stack(article: Article, width: float, lay: PdfLayout, rng: random.Random) -> _Box:
    """Kicker, headline (one or two lines), subtitle and author line, stacked in ``width``."""
    box = _Box(article, width)
    y = 0.0
    kicker, main = _kicker_split(article.headline)
    if kicker and rng.random() < 0.7:
        size = max(lay.headline_size * 0.65, lay.body_size * 1.25)
        box.texts.append(_Text((width - text_width(kicker, size)) / 2, y, kicker, size))
        y += size * 1.3
    else:
        main = article.headline
    size = lay.headline_size
    while text_width(main, size) / width > 2 and size > lay.body_size * 1.5:
        size -= 1
    lines = wrap(main, width, size)
    if len(lines) == 1 and len(main) >= 10 and rng.random() < 0.3:
        half = len(main) // 2
        lines = [main[:half], main[half:]]  # a two-line headline by choice, not by width
    for line in lines:
        box.texts.append(_Text((width - text_width(line, size)) / 2, y, line, size))
        y += size * 1.25
    for extra, sz in (
        ("——" + article.subheadline if article.subheadline else "", lay.body_size * 1.2),
        (article.byline if article.byline.startswith("□") else "", lay.body_size),
    ):
        if not extra:
            continue
        # a subtitle or author line is one line: smaller type, then tighter, if it must
        while text_width(extra, sz) > width and sz > lay.body_size:
            sz = max(lay.body_size, sz - 0.5)
        left = max(0.0, (width - text_width(extra, sz)) / 2)
        box.texts.append(_Text(left, y, extra, sz, fit=width))
        y += sz * lay.leading
    box.height = y
    return box


def _body_lines(
    article: Article, width: float, lay: PdfLayout
) -> list[tuple[str, bool, bool, bool]]:
    """The body as printed lines: (text, indented, bold, last line of its paragraph)."""
    size = lay.body_size
    out: list[tuple[str, bool, bool, bool]] = []
    bold_all = article.kind == "photo"
    if article.continued_from:
        out.append((article.continued_from, False, False, True))
    paras = article.body.split("\n")
    for i, para in enumerate(paras):
        if para in article.subheads:
            out.append((para, True, True, True))
            continue
        text = (article.dateline + para) if i == 0 and article.dateline else para
        if i == len(paras) - 1 and article.byline.startswith("（"):
            text += article.byline
        lines = wrap(text, width, size, indent=2 * size)
        for k, line in enumerate(lines):
            out.append((line, k == 0, bold_all, k == len(lines) - 1))
    if article.kind == "photo" and article.byline:
        out.append((article.byline, False, True, True))
    elif article.byline and not article.byline.startswith(("（", "□")):
        out.append((article.byline, True, False, True))  # 供稿：…, 记者 …: a line of its own
    return out


def _flow(box: _Box, body_lines, x0: float, top: float, width: float, k: int, lay: PdfLayout):
    """Flow body lines down ``k`` columns of equal length starting at (x0, top)."""
    size, pitch = lay.body_size, lay.body_size * lay.leading
    gutter = lay.gutter_em * size
    col_w = (width - (k - 1) * gutter) / k
    per_col = -(-len(body_lines) // k)
    for n, (line, indented, bold, last) in enumerate(body_lines):
        col, row = divmod(n, per_col)
        x = x0 + col * (col_w + gutter)
        y = top + row * pitch
        natural = text_width(line, size)
        if line == box.article.byline and box.article.kind == "photo":
            box.texts.append(_Text(x + max(0.0, col_w - natural), y, line, size, bold, fit=col_w))
        elif line in box.article.subheads:
            # a subhead keeps to one line: in smaller type where the column is narrow
            sub = max(SUBHEAD_MIN_SIZE * size, min(size, size * col_w / natural))
            left = x + max(0.0, (col_w - text_width(line, sub)) / 2)
            box.texts.append(_Text(left, y, line, sub, bold, fit=col_w))
        else:
            lead = 2 * size if indented and line != box.article.continued_from else 0.0
            just = col_w - lead if lay.justify and not last else 0.0
            box.texts.append(_Text(x + lead, y, line, size, bold, just, fit=col_w - lead))
    return per_col * pitch


def layout_box(
    article: Article, span: int, col_w: float, lay: PdfLayout, rng: random.Random
) -> _Box:
    """Set one article in a box ``span`` grid columns wide; returns its content and height."""
    gutter = lay.gutter_em * lay.body_size
    width = span * col_w + (span - 1) * gutter
    box = _Box(article, width)
    size = lay.body_size
    place = rng.choice(lay.headline_places) if article.headline else "none"
    if article.kind == "photo":
        place = "above" if place == "beside" else place
    if place == "beside" and span < 3:
        place = "above"
    head = None
    body_x, body_w, k = 0.0, width, span
    if place == "beside":
        head = _head_stack(article, col_w, lay, rng)
        if any(t.fit and text_width(t.text, t.size) > t.fit for t in head.texts):
            place = "above"  # a subtitle too long for a narrow stack: print it across the box
        else:
            body_x, body_w, k = col_w + gutter, width - col_w - gutter, span - 1
    if place in ("above", "below"):
        head = _head_stack(article, width, lay, rng)
    y = 0.0
    if article.continued_from:
        label = "视察调研"
        lsize = size * 1.3
        box.texts.append(_Text(0, y, label, lsize))
        box.frames.append((-2, y - 2, text_width(label, lsize) + 4, lsize + 4))
        y += lsize * 1.8
    if head is not None and place == "above":
        box.texts.extend(head.texts)
        y += head.height + size * 0.5
    if article.kind == "photo":
        img_h = width * 0.55
        box.images.append((0, y, width, img_h))
        y += img_h + size * 0.6
        k = 1
    lines = _body_lines(article, (body_w - (k - 1) * gutter) / k, lay)
    body_h = _flow(box, lines, body_x, y, body_w, k, lay)
    if head is not None and place == "beside":
        box.texts.extend(dataclasses.replace(t, top=y + t.top) for t in head.texts)
        body_h = max(body_h, head.height)
    y += body_h
    if head is not None and place == "below":
        y += size * 0.5
        box.texts.extend(dataclasses.replace(t, top=y + t.top) for t in head.texts)
        y += head.height
    box.height = y
    box.place = place
    return box


def _row_spans(columns: int, rng: random.Random) -> list[int]:
    """How a row of the grid is shared among boxes (e.g. 6 columns → 2+4, 3+3, 2+2+2)."""
    choices = {
        6: [(6,), (2, 4), (4, 2), (3, 3), (2, 2, 2), (3, 3)],
        5: [(5,), (2, 3), (3, 2)],
        4: [(4,), (2, 2), (1, 3), (3, 1)],
    }[columns]
    return list(rng.choice(choices))


def set_pages(
    articles: list[Article], lay: PdfLayout, rng: random.Random
) -> list[tuple[list[_Box], list[tuple[float, float, list[float]]]]]:
    """Place boxes row by row (a continuation first, as it opens the page), short reports
    stacked in a slot of a row under a shorter box; a new page when full.

    Returns per page its boxes (positions on the page) and its rows as (top, height, [x of
    each boundary between slots], [(y, x, width) of each boundary between stacked boxes]).
    """
    gutter = lay.gutter_em * lay.body_size
    box_gap = lay.box_gap_em * lay.body_size
    col_w = (PAGE_WIDTH - 2 * MARGIN - (lay.columns - 1) * box_gap) / lay.columns
    header = MARGIN + 40.0
    pages: list = [([], [])]
    y = header
    queue = articles[:]
    while queue:
        spans = _row_spans(lay.columns, rng)
        row_articles = queue[: len(spans)]
        spans = spans[: len(row_articles)]
        if len(row_articles) < len(spans) or sum(spans) < lay.columns:
            spans[-1] += lay.columns - sum(spans)
        # the longer report gets the wider box, so that the boxes of a row end near each other
        by_length = sorted(range(len(row_articles)), key=lambda i: len(row_articles[i].body))
        wide_last = sorted(spans)
        for i, span in zip(by_length, wide_last, strict=True):
            spans[i] = span
        boxes = []
        x = MARGIN
        for art, span in zip(row_articles, spans, strict=True):
            inner_w = span * col_w + (span - 1) * box_gap
            # within a box the grid's columns are redrawn with the narrower gutter
            box = layout_box(art, span, (inner_w - (span - 1) * gutter) / span, lay, rng)
            box.texts = [dataclasses.replace(t, x=t.x + x) for t in box.texts]
            box.images = [(a + x, b, c, d) for a, b, c, d in box.images]
            box.frames = [(a + x, b, c, d) for a, b, c, d in box.frames]
            boxes.append((box, x, inner_w))
            x += inner_w + box_gap
        height = max(b.height for b, _, _ in boxes)
        del queue[: len(row_articles)]
        # under a box that ends well above the row's foot, the next reports stack in its slot
        stacks = []
        for box, bx, w in boxes:
            stack, used = [(box, 0.0)], box.height
            while queue and lay.stack:
                span = round((w + box_gap) / (col_w + box_gap))
                extra = layout_box(queue[0], span, (w - (span - 1) * gutter) / span, lay, rng)
                if used + box_gap + extra.height > height:
                    break
                extra.texts = [dataclasses.replace(t, x=t.x + bx) for t in extra.texts]
                extra.images = [(a + bx, b, c, d) for a, b, c, d in extra.images]
                extra.frames = [(a + bx, b, c, d) for a, b, c, d in extra.frames]
                stack.append((extra, used + box_gap))
                used += box_gap + extra.height
                queue.pop(0)
            stacks.append((stack, bx, w))
        if y + height > PAGE_HEIGHT - MARGIN - 20 and pages[-1][0]:
            pages.append(([], []))
            y = header
        for stack, _, _ in stacks:
            for box, dy in stack:
                box.texts = [dataclasses.replace(t, top=t.top + y + dy) for t in box.texts]
                box.images = [(a, b + y + dy, c, d) for a, b, c, d in box.images]
                box.frames = [(a, b + y + dy, c, d) for a, b, c, d in box.frames]
                pages[-1][0].append(box)
        cuts = [(y + dy - box_gap / 2, bx, w) for stack, bx, w in stacks for _, dy in stack[1:]]
        pages[-1][1].append((y, height, [bx + w for _, bx, w in boxes[:-1]], cuts))
        y += height + box_gap
    return pages


def _photo_image():
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (8, 5), 128)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    return ImageReader(buf)


@dataclass
class SetPage:
    """What one generated PDF page holds: its articles in box order and where each headline
    stands."""

    articles: list[Article]
    places: list[str]
    layout: PdfLayout


def write_pdf(
    pages_articles: list[list[Article]], path: Path, seed: int = 0, layout: PdfLayout | None = None
) -> list[SetPage]:
    """Write one PDF page per list of articles (more if they overflow); return what each page
    holds, in the order the boxes were set."""
    from reportlab.pdfgen import canvas

    _register_font()
    rng = random.Random(seed)
    lay = layout or PdfLayout()
    c = canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    c.setPageCompression(0)
    image = _photo_image()
    held: list[SetPage] = []
    page_no = 0
    for articles in pages_articles:
        for boxes, rows in set_pages(articles, lay, rng):
            page_no += 1
            _furniture(c, page_no, lay)
            for box in boxes:
                for t in box.texts:
                    _draw(c, t)
                for x, top, w, h in box.images:
                    c.drawImage(image, x, PAGE_HEIGHT - top - h, w, h)
                for x, top, w, h in box.frames:
                    c.setLineWidth(0.5)
                    c.rect(x, PAGE_HEIGHT - top - h, w, h)
            if lay.rules:
                _rules(c, rows, lay)
            held.append(SetPage([b.article for b in boxes], [b.place for b in boxes], lay))
            c.showPage()
    c.save()
    return held


def _draw(c, t: _Text) -> None:
    c.setFont(FONT, t.size)
    space = 0.0
    natural = text_width(t.text, t.size)
    target = t.width or (t.fit if t.fit and natural > t.fit else 0.0)
    if target and len(t.text) > 1:
        space = (target - natural) / (len(t.text) - 1)
    baseline = PAGE_HEIGHT - t.top - t.size * 0.88
    # pdfium drops a string of one character in reportlab's CID encoding (two bytes); a
    # trailing space keeps it (and is stripped again when the line is read)
    text = t.text + " " if len(t.text) == 1 else t.text
    for dx in (0.0, OVERPRINT_OFFSET) if t.bold else (0.0,):
        c.drawString(t.x + dx, baseline, text, charSpace=space)


def _rules(c, rows, lay: PdfLayout) -> None:
    gap = lay.box_gap_em * lay.body_size
    c.setLineWidth(0.5)
    for top, height, xs, stacked in rows:
        bottom = PAGE_HEIGHT - top - height - gap / 2
        c.line(MARGIN, bottom, PAGE_WIDTH - MARGIN, bottom)
        for x in xs:
            c.line(x + gap / 2, PAGE_HEIGHT - top, x + gap / 2, PAGE_HEIGHT - top - height)
        for y, x, w in stacked:  # between reports stacked in one slot of the row
            c.line(x, PAGE_HEIGHT - y, x + w, PAGE_HEIGHT - y)


def _furniture(c, page_no: int, lay: PdfLayout) -> None:
    """Masthead, date and page number above a rule; the editor's credit at the foot."""
    top = PAGE_HEIGHT - MARGIN
    c.setFont(FONT, 14)
    c.drawString(MARGIN, top - 14, "民主协商报")
    c.setFont(FONT, lay.body_size)
    c.drawCentredString(PAGE_WIDTH / 2, top - 12, "2023年6月15日 星期四")
    c.drawRightString(PAGE_WIDTH - MARGIN, top - 12, f"第{page_no}版")
    c.setLineWidth(1)
    c.line(MARGIN, top - 22, PAGE_WIDTH - MARGIN, top - 22)
    c.drawString(MARGIN, MARGIN - 12, "责任编辑：李明")


def write_scanned_pdf(path: Path) -> None:
    """A page that is only a picture (a scan with no text layer)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    c.drawImage(_photo_image(), 0, 0, PAGE_WIDTH, PAGE_HEIGHT)
    c.showPage()
    c.save()


# Reports written for these tests in the paper's manner (no sentence is from a real report).
# Several have neither dateline nor byline, so that nothing printed marks where one ends and the
# next begins: only the layout (boxes, rules, headline type) does.
COMPOSED = [
    Article(
        kind="article",
        headline="永登县政协走访调研民营企业",
        body=(
            "为进一步了解全县民营企业发展现状，近日，永登县政协组织部分委员深入工业园区，"
            "先后走访了建材、农产品加工和物流等8家企业，实地察看生产车间，详细询问企业"
            "在用工、融资和物流成本等方面遇到的实际困难。\n"
            "调研组要求，各级各部门要主动靠前服务，梳理企业反映的问题清单，逐项研究解决"
            "办法，帮助企业稳订单、拓市场、增效益。政协委员要发挥联系广泛的优势，及时"
            "反映企业诉求，为优化营商环境贡献政协力量。"
        ),
    ),
    Article(
        kind="article",
        headline="康乐县政协举办委员履职能力培训班",
        body=(
            "为期两天的康乐县政协委员履职能力培训班日前结业，全县60余名政协委员参加培训。"
            "培训班邀请省委党校教授围绕人民政协理论、提案撰写和调查研究方法等内容进行"
            "专题辅导，并组织委员分组讨论、交流履职心得。\n"
            "参训委员纷纷表示，培训内容丰富、针对性强，将把所学所悟转化为履职实效，"
            "多建睿智之言，多献务实之策。"
        ),
    ),
    Article(
        kind="article",
        headline="甘州区政协：聚焦乡村振兴建言献策",
        dateline="本报张掖讯（通讯员王春燕）",
        dateline_place="张掖",
        body=(
            "5月下旬，甘州区政协组织调研组赴花寨乡、安阳乡等地，就特色产业发展和农村"
            "人居环境整治开展专题调研。调研组先后察看了食用菌种植基地、蔬菜冷链仓储中心和"
            "村级污水处理站，听取乡镇工作汇报，与村干部和种植大户座谈交流。\n"
            "调研组建议，要立足资源禀赋，做大做强特色种养业，延伸产业链条，完善利益联结"
            "机制，让农民更多分享产业增值收益；要持续推进农村厕所革命和生活垃圾治理，"
            "建立长效管护机制，加快建设宜居宜业和美乡村。"
        ),
    ),
    Article(
        kind="article",
        headline="让协商议事室成为群众的“暖心屋”",
        subheadline="静宁县政协推进基层协商议事工作见闻",
        byline="□ 通讯员马建军",
        body=(
            "走进静宁县城关镇东关社区的协商议事室，墙上张贴着议事规则和近期议题，"
            "几位居民代表正和政协委员围坐在一起，商量小区停车难的解决办法。\n"
            "今年以来，静宁县政协在全县建成乡镇（街道）协商议事室24个，组织委员定期"
            "进驻，围绕老旧小区改造、农村饮水安全、校园周边交通等群众关心的问题开展"
            "协商，推动解决实际问题40余件。\n"
            "“有事好商量，众人的事情由众人商量。”社区党支部书记说，协商议事室建起来以后，"
            "居民有了说事的地方，很多矛盾在家门口就化解了。"
        ),
    ),
    Article(
        kind="photo",
        headline="临夏州政协委员走进社区开展义诊",
        byline="张晓东 摄",
        body=(
            "近日，临夏州政协组织医药卫生界委员走进城区社区开展义诊活动，"
            "为居民免费测量血压血糖，解答健康咨询。"
        ),
    ),
    Article(
        kind="article",
        headline="庆阳市政协召开党组理论学习中心组学习会议",
        byline="（李文华）",
        body=(
            "6月12日，庆阳市政协党组理论学习中心组召开学习会议，传达学习有关会议精神，"
            "交流研讨学习体会。\n"
            "会议强调，要坚持把学习贯穿履职全过程，在学懂弄通做实上下功夫，把学习成果"
            "转化为推动工作的具体举措，围绕全市中心工作深入开展调研协商和民主监督，"
            "以高质量履职服务高质量发展。"
        ),
    ),
]


def random_layout(rng: random.Random) -> PdfLayout:
    """A page design drawn at random: grid, type sizes, leading, rules, justification."""
    return PdfLayout(
        columns=rng.choice([4, 5, 6]),
        body_size=rng.choice([9.0, 9.5, 10.0]),
        leading=rng.choice([1.4, 1.5, 1.6]),
        headline_size=rng.choice([15.0, 16.0, 18.0, 20.0]),
        rules=rng.random() < 0.5,
        justify=rng.random() < 0.8,
    )


def shuffled_pdf(articles: list[Article], path: Path, seed: int) -> list[SetPage]:
    """A PDF of ``articles`` in a random order and design (a continuation opens the page)."""
    rng = random.Random(seed)
    order = articles[:]
    rng.shuffle(order)
    order.sort(key=lambda a: a.kind != "continuation")
    return write_pdf([order], path, seed=seed, layout=random_layout(rng))


def plain_text(page: SetPage, seed: int = 0) -> str:
    """The same page as a plain text extractor gives it (the seed's form): one line per column
    line, bold captions doubled, each headline where the extractor meets it — before a body it
    stands above or beside, after one it stands below."""
    from . import synth

    rng = random.Random(seed)
    lay = page.layout
    col_chars = int((PAGE_WIDTH - 2 * MARGIN) / lay.columns / lay.body_size) - 1
    lines: list[str] = []
    for article, place in zip(page.articles, page.places, strict=True):
        layout = synth.Layout(width=col_chars, headline_after=place == "below")
        lines.extend(synth.article_lines(article, layout, rng))
    return "\n\n".join(lines) + "\n"
