"""Test and benchmark pages: re-lay real articles as a different page would print them.

Takes parsed ``Article`` objects (from the real page) and returns page text with the artifacts
of the PDF extraction: one line per column line followed by a blank line, other column widths,
headlines above or below their articles, doubled bold photo captions, justification spaces.
Never used on ``seeds/``; the parser's tests and ``benchmarks/`` use it to check that the rules
are general, not fitted to one page's lines.

``lay_out`` prints ANY list of articles (``Article`` objects, or dicts with headline,
subheadline, dateline, paragraphs and byline) in one of several layout families and returns the
page text with its ground truth: for each report its headline as printed, where its headline
and body lines are in the text, what marks the boundary before it (``BOUNDARY_CLASSES``), and
its dateline and reporters as printed. The ``others`` family prints other papers' datelines
and credits (``DATELINE_STYLES``, ``CREDIT_STYLES``: templates composed here).
"""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from .repair import display_width
from .split import Article, names_of


@dataclass
class Layout:
    """How one synthetic page is printed."""

    width: int = 18
    headline_after: bool = True
    double_photos: bool = True
    justify_share: float = 0.05
    blank_lines: bool = True
    indent_marks: bool = False  # keep the paragraph indent as 　　 (some extractors do)


NO_LINE_START = "，。、；：！？”）》…,.;:!?)"


def wrap(text: str, width: int, indent: int = 2) -> list[str]:
    """Cut a paragraph into column lines (the first shorter by the indent) of ``width``
    character cells, digits and Latin letters taking half a cell as the paper prints them; as
    typesetters do, a line never starts with closing punctuation: it hangs at the end of the
    line before."""
    lines, pos, first = [], 0, True
    while pos < len(text):
        room = width - indent if first else width
        end, used = pos, 0.0
        while end < len(text):
            cell = display_width(text[end]) or 0.5
            if used + cell > room:
                break
            used += cell
            end += 1
        end = max(end, pos + 1)
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


# ------------------------------------------------------------ any articles, with ground truth

MARKED, HEADLINE_ONLY, UNMARKED = "marked", "headline only", "nothing"
# What stands between a report and the text printed before it: a dateline, byline, photo
# credit, author line, continuation marker or the page's top (marked); only headline lines
# (headline only); or nothing at all, one body running into the next (nothing).
BOUNDARY_CLASSES = (MARKED, HEADLINE_ONLY, UNMARKED)
# Families of layouts; each draws its per-report choices from its own probabilities.
LAYOUT_FAMILIES = ("above", "below", "mixed", "bare", "others")
# Column widths (characters) of the paper's pages and of other papers' pages laid out alike.
MIN_COLUMN, MAX_COLUMN = 12, 26
# A headline spans more than one column: it is printed on one line up to this many characters
# beyond the column width, and cut in two lines beyond that.
HEADLINE_EXTRA_WIDTH = 8
# Share of pages whose headlines are set in one column's width (wrapped like prose).
HEAD_IN_COLUMN_SHARE = 0.3
# Share of pages with a blank line after every printed line (the extractor's habit).
BLANK_LINE_SHARE = 0.7
# Shares of lines spread by justification spaces, one drawn per page.
JUSTIFY_SHARES = (0.0, 0.03, 0.08)
# A photo's caption runs under the photo, wider than a column; half the captions are bold.
PHOTO_EXTRA_WIDTH = 6
DOUBLED_PHOTO_SHARE = 0.5
# Share of pages whose extractor kept paragraph indents (　　).
INDENT_SHARE = 0.2
# Share of pages whose extractor kept the spaces that centre a headline.
CENTRED_SHARE = 0.2
# A committee's name is printed as its own kicker line (陇南市政协 / 召开…) when it is short.
MAX_KICKER = 7


@dataclass
class Story:
    """One article to lay out, whatever it came from."""

    headline: str
    paragraphs: list[str]
    subheadline: str = ""
    dateline: str = ""
    byline: str = ""
    kind: str = "article"
    continued_from: str = ""
    subheads: list[str] = field(default_factory=list)  # printed on a line of their own


def as_story(item: Article | dict) -> Story:
    """A ``Story`` from a parsed ``Article`` or a development-set dict."""
    if isinstance(item, Article):
        return Story(
            headline=item.headline,
            paragraphs=[p for p in item.body.split("\n") if p],
            subheadline=item.subheadline,
            dateline=item.dateline,
            byline=item.byline,
            kind=item.kind,
            continued_from=item.continued_from,
            subheads=list(item.subheads),
        )
    paras = item.get("paragraphs") or [p for p in item.get("body", "").split("\n")]
    return Story(
        headline=_clean(item.get("headline", "")),
        paragraphs=[_clean(p) for p in paras if _clean(p)],
        subheadline=_clean(item.get("subheadline", "")).lstrip("—－- "),
        dateline=_clean(item.get("dateline", "")),
        byline=(item.get("byline") or "").strip(),
    )


def _clean(text: str | None) -> str:
    """One printed run of text: no line breaks, no doubled spaces."""
    return re.sub(r"\s+", " ", text or "").strip()


@dataclass
class TruthReport:
    """Where one report is on a laid-out page and what a perfect parser returns for it."""

    headline: str  # as a parser joins its lines (no spaces between CJK characters)
    kind: str
    boundary: str  # one of BOUNDARY_CLASSES: what stands before the report
    body_span: tuple[int, int]  # character offsets of its first and past its last body line
    headline_span: tuple[int, int] | None
    headline_lines: int = 0
    headline_below: bool = False
    dateline: str = ""  # as printed, without spaces ('' when none is printed)
    reporters: list[str] = field(default_factory=list)  # named in its dateline or credits


@dataclass
class LaidPage:
    """A laid-out page: its text and, in reading order, its reports' ground truth."""

    text: str
    reports: list[TruthReport]
    family: str
    width: int


@dataclass
class _Choices:
    """What one report looks like on the page."""

    below: bool = False
    kicker: bool = True
    dateline: bool = True
    byline: str = "end"  # end (（张三）), author (□ 通讯员张三), one of CREDIT_STYLES, or none
    photo: bool = False
    continuation: bool = False
    dateline_style: str = ""  # one of DATELINE_STYLES (other papers'), '' for the story's own


def _family_choices(family: str, rng: random.Random, story: Story, first: bool) -> _Choices:
    """Draw one report's printing choices under a layout family."""
    short = sum(len(p) for p in story.paragraphs) < 160
    c = _Choices()
    if family == "above":
        c.below, c.dateline = False, rng.random() < 0.85
        c.byline = rng.choice(["end", "end", "author", "none"])
    elif family == "below":
        c.below, c.dateline = True, rng.random() < 0.7
        c.byline = rng.choice(["end", "author", "none"])
    elif family == "mixed":
        c.below, c.dateline = rng.random() < 0.5, rng.random() < 0.5
        c.byline = rng.choice(["end", "author", "none", "none"])
    elif family == "others":  # other papers' datelines and credits (OTHER_PAPERS)
        c.below, c.dateline = rng.random() < 0.5, rng.random() < OTHER_DATELINE_SHARE
        c.dateline_style = rng.choice(DATELINE_STYLES)
        c.byline = rng.choice(CREDIT_STYLES + ("end", "none"))
    else:  # bare: a page with no datelines or bylines at all
        c.below, c.dateline, c.byline = rng.random() < 0.5, False, "none"
    c.kicker = rng.random() < 0.7
    c.photo = short and rng.random() < 0.3
    c.continuation = first and not c.photo and rng.random() < 0.2
    if c.photo or c.continuation:
        c.below = False
    if not story.dateline and not c.dateline_style:
        c.dateline = False
    return c


# ------------------------------------------------------ other papers' datelines and credits
# How other papers and county media centres print who filed a report (templates composed here;
# {place} is the committee's place, {short} its name without 市/县/区, {name} a reporter):
# a media organ and 讯, a date, reporters in brackets or bare, the reporters' paper in brackets.
DATELINE_STYLES = (
    "{place}融媒体中心讯（记者 {name}）",
    "{short}新闻网讯",
    "{short}日报讯（记者 {name} 通讯员 {name2}）",
    "（{short}日报记者 {name}）",
    "{place}融媒体中心讯 记者 {name} ",
    "中国{short}网{month}月{day}日讯",
)
# Credits printed after a report (a line of their own unless they open with a bracket, which
# follows the last sentence): the end mark, who supplied it, a photo or text credit, an editor.
CREDIT_STYLES = (
    "（完）",
    "供稿：{place}政协办公室",
    "来源：{place}融媒体中心",
    "（{place}政协供稿）",
    "文/图 {name}",
    "记者 {name} 摄",
    "编辑 {name}",
    "通讯员 {name}",
)
# Share of reports in the "others" family printed with a dateline.
OTHER_DATELINE_SHARE = 0.7
# Places and reporters for stories whose headline names no place or whose byline no one
# (composed: common place and personal names of the paper's province).
FALLBACK_PLACES = ("平凉市", "庄浪县", "静宁县", "甘州区", "临洮县", "秦安县")
FALLBACK_NAMES = ("李明", "王芳", "赵刚", "孙丽", "周涛", "马文华")
_HEADLINE_PLACE = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:省|市|州|县|区|旗))政协")


def _fill(template: str, story: Story, names: list[str], rng: random.Random) -> str:
    """An other paper's dateline or credit for ``story``."""
    m = _HEADLINE_PLACE.match(story.headline.replace(" ", ""))
    place = m[1] if m and len(m[1]) >= 2 else rng.choice(FALLBACK_PLACES)
    pool = names + [n for n in FALLBACK_NAMES if n not in names]
    return template.format(
        place=place,
        short=place[:-1] if len(place) > 2 else place,
        name=pool[0],
        name2=pool[1],
        month=rng.randint(1, 12),
        day=rng.randint(1, 28),
    )


def _split_headline(headline: str, room: int, kicker: bool) -> list[str]:
    """A headline as printed: the committee as a kicker line, or cut into lines of ``room``
    characters when it is long (at its space if it has one)."""
    text = headline.replace(" ", "")
    cut = text.find("政协")
    if kicker and 0 < cut and cut + 2 < len(text) and cut + 2 <= MAX_KICKER and "：" not in text:
        return [text[: cut + 2], text[cut + 2 :]]
    if len(text) <= room:
        return [text]
    if " " in headline.strip():
        left, right = headline.strip().split(" ", 1)
        if len(left) <= room and len(right.replace(" ", "")) <= room:
            return [left, right.replace(" ", "")]
    if len(text) <= 2 * room:
        mid = len(text) // 2
        return [text[:mid], text[mid:]]
    return wrap(text, room, indent=0)


def _byline_names(story: Story) -> list[str]:
    """The reporters' names in a byline of any form (（张三）, 通讯员 张三, 张三 摄影报道)."""
    if re.search(r"供稿|来源", story.byline):  # who supplied it: an office, not a reporter
        return []
    who = re.sub(r"[（()）□■]|摄影报道|摄影|摄|文/|图/|文|图", " ", story.byline)
    return [n for n in names_of(who) if 2 <= len(n) <= 4][:3]


def lay_out(items: list, seed: int, family: str | None = None) -> LaidPage:
    """Lay out ``items`` (Articles or dicts) as one page in a seeded layout, with ground truth.

    ``family`` is one of ``LAYOUT_FAMILIES`` (drawn from the seed when None). The articles are
    printed in the given order."""
    rng = random.Random(seed)
    family = family or rng.choice(LAYOUT_FAMILIES)
    width = rng.randint(MIN_COLUMN, MAX_COLUMN)
    blank = rng.random() < BLANK_LINE_SHARE
    justify_share = rng.choice(JUSTIFY_SHARES)
    # some pages set headlines in one column's width, not across columns
    head_in_column = rng.random() < HEAD_IN_COLUMN_SHARE
    centred = rng.random() < CENTRED_SHARE
    indents = rng.random() < INDENT_SHARE
    stories = [as_story(x) for x in items]
    out: list[str] = []  # printed lines
    pos = 0
    sep = "\n\n" if blank else "\n"
    line_spans: list[tuple[int, int]] = []

    def emit(line: str, centre: bool = False) -> int:
        nonlocal pos
        text = line.lstrip()
        lead = line[: len(line) - len(text)]  # a kept paragraph indent (　　)
        if centre:  # a centred line as a layout-keeping extractor gives it: spaces before it
            lead = " " * max(0, int(width - display_width(text)))
        out.append(lead + text)
        line_spans.append((pos + len(lead), pos + len(lead) + len(text)))
        pos += len(lead) + len(text) + len(sep)
        return len(out) - 1

    reports: list[TruthReport] = []
    prev_end_marked = True  # the page's top marks the first report
    for k, story in enumerate(stories):
        c = _family_choices(family, rng, story, first=k == 0)
        names = _byline_names(story)
        if not names and not c.dateline_style:
            c.byline, c.photo = "none", False  # a photo is credited to its photographer
        names = names or ([rng.choice(FALLBACK_NAMES)] if c.dateline_style else [])
        dateline = ""
        if c.dateline:
            dateline = (
                _fill(c.dateline_style, story, names, rng)
                if c.dateline_style
                else (story.dateline)
            )
        credit_line = ""
        if c.byline in CREDIT_STYLES:
            credit_line = _fill(c.byline, story, names, rng)
        kind = "photo" if c.photo else "continuation" if c.continuation else story.kind
        if story.kind in ("photo", "continuation"):
            kind = story.kind
        head: list[str] = []
        headline = ""
        if kind != "continuation" and story.headline:
            room = width if head_in_column else width + HEADLINE_EXTRA_WIDTH
            head = _split_headline(story.headline, room, c.kicker)
            headline = "".join(head)
            if story.subheadline:
                head.append("——" + story.subheadline.replace(" ", ""))
            if c.byline == "author" and kind == "article":
                head.append("□ 通讯员" + " ".join(names))
        body: list[str] = []
        paras = story.paragraphs[:1] if kind == "photo" else story.paragraphs
        for i, para in enumerate(paras):
            text = para
            if i == 0 and dateline:
                text = dateline + text
            if i == len(paras) - 1 and c.byline == "end" and kind == "article":
                text += "（" + " ".join(names) + "）"
            if i == len(paras) - 1 and credit_line.startswith("（") and kind == "article":
                text += credit_line
            col = width + (PHOTO_EXTRA_WIDTH if kind == "photo" else 0)
            if para in story.subheads:
                body.append(para)
                continue
            for j, line in enumerate(wrap(text, col)):
                if rng.random() < justify_share and "（" not in line:
                    line = _justify(line, rng)
                if j == 0 and indents and not (i == 0 and c.dateline):
                    line = "\u3000\u3000" + line
                body.append(line)
        if kind == "photo":
            credit = names[0] + " 摄影报道"
            body.append(credit)
            if rng.random() < DOUBLED_PHOTO_SHARE:
                body = [_double(ln) for ln in body]
        if credit_line and not credit_line.startswith("（") and kind == "article":
            body.append(credit_line)
        marked_start = bool(dateline) or bool(head and c.byline == "author" and not c.below)
        head_idx: list[int] = []
        body_idx: list[int] = []
        if kind == "continuation":
            emit("视察调研")
            body_idx.append(emit(story.continued_from or "（接一版）"))
            marked_start = True
        if not c.below:
            head_idx += [emit(h, centred) for h in head]
        # an editor's credit is page furniture: printed after the report, not part of it
        editor = body and body[-1].startswith("编辑")
        body_idx += [emit(b) for b in (body[:-1] if editor else body)]
        if editor:
            emit(body[-1])
        if c.below:
            head_idx += [emit(h, centred) for h in head]
        if prev_end_marked or marked_start:
            boundary = MARKED
        elif head and not c.below or (reports and reports[-1].headline_below):
            boundary = HEADLINE_ONLY
        else:
            boundary = UNMARKED
        reports.append(
            TruthReport(
                headline=headline,
                kind=kind,
                boundary=boundary,
                body_span=(line_spans[body_idx[0]][0], line_spans[body_idx[-1]][1]),
                headline_span=(
                    (line_spans[head_idx[0]][0], line_spans[head_idx[-1]][1]) if head_idx else None
                ),
                headline_lines=len(head_idx),
                headline_below=c.below and bool(head),
                dateline=_squeeze(dateline),
                reporters=_reporters_printed(dateline, credit_line, c, names, kind),
            )
        )
        # a byline or credit closes the body even when the headline is printed after it
        prev_end_marked = kind == "photo" or (
            (c.byline == "end" or bool(credit_line)) and kind == "article"
        )
    return LaidPage(text=sep.join(out) + "\n", reports=reports, family=family, width=width)


def _reporters_printed(
    dateline: str, credit: str, c: _Choices, names: list[str], kind: str
) -> list[str]:
    """The reporters a perfect parser reads off a report's dateline and credits."""
    pool = names + [n for n in FALLBACK_NAMES if n not in names]
    found = sorted((n for n in pool if n in dateline), key=dateline.index)
    if kind == "article" and c.byline in ("end", "author"):
        found += names
    elif kind == "article" and not credit.startswith("编辑"):  # an editor is no reporter
        found += [n for n in names if n in credit]
    if kind == "photo":
        found += names[:1]
    return list(dict.fromkeys(found))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class ReportScore:
    """How one laid-out report came back from the parser."""

    report: TruthReport
    exactly_one: bool  # one article holds all of its body and nothing of another report's
    headline_right: bool  # the article holding most of its body carries its exact headline
    dateline_right: bool = False  # …and its dateline as printed ('' when none is printed)
    reporters_right: bool = False  # …and the reporters its dateline and credits name


def score_page(laid: LaidPage, articles: list[Article]) -> list[ReportScore]:
    """Compare parsed articles with a laid-out page's ground truth, report by report."""
    scores = []
    for r, report in enumerate(laid.reports):
        over = [(_overlap(a.span, report.body_span), k) for k, a in enumerate(articles)]
        holders = [k for size, k in over if size > 0]
        exactly_one = headline_right = dateline_right = reporters_right = False
        if holders:
            best = max(over)[1]
            art = articles[best]
            others = [
                q
                for q, other in enumerate(laid.reports)
                if q != r and _overlap(art.span, other.body_span) > 0
            ]
            exactly_one = (
                len(holders) == 1
                and not others
                and art.span[0] <= report.body_span[0]
                and art.span[1] >= report.body_span[1]
            )
            headline_right = _squeeze(art.headline) == _squeeze(report.headline)
            dateline_right = _squeeze(art.dateline) == report.dateline
            reporters_right = art.reporters == report.reporters
        scores.append(
            ReportScore(report, exactly_one, headline_right, dateline_right, reporters_right)
        )
    return scores


def merged_articles(laid: LaidPage, articles: list[Article]) -> list[bool]:
    """For each parsed article: does it hold text of two or more reports?"""
    return [sum(_overlap(a.span, r.body_span) > 0 for r in laid.reports) > 1 for a in articles]
