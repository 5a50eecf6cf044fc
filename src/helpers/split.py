"""Step 3 of the flow: split one page's text into articles and residue.

Takes the decoded text of a page (``str``) and returns a ``Page``: its ``articles`` (reports,
photo items and continuations from another page) and its ``residue`` (section labels and any
piece that belongs to no article). Every non-blank character of the page ends up in exactly one
article field (dateline, headline, subheadline, body, byline, continuation marker) or in the
residue.

How a page is read (see README "Parsing rules"):

1. Lines: every non-blank line is one printed column line. Doubled bold lines are halved,
   justification spaces dropped.
2. Roles: datelines (本报X讯, and other papers': 平凉融媒体中心讯（记者…）, （X日报记者 Y）…),
   end bylines (（刘绍周）), photo credits (邵文学 摄影报道, 记者 X 摄), author lines
   (□ 通讯员黄志权, 文/图 X), source lines and end marks (供稿：…, 来源：…, （完）) that close
   a report, subtitles (——…), continuation markers (（接一版）).
3. Paragraphs end at a line that is shorter than its column and ends a sentence.
4. Headlines: a short run of lines with no sentence punctuation that ends before a boundary,
   lines clearly shorter than their column at the head of a paragraph, and two-phrase subheads.
5. Leads: a line that opens with when and a committee (6月5日，清水县政协…) after a sentence
   end starts a new report, unless that leaves a side without a headline.
6. Bodies: runs of prose, cut at datelines, after bylines and credits, at headlines and leads.
7. Headlines go to bodies by what they say (IDF-weighted character bigrams shared with the
   body), with a bonus for standing next to it, one headline per body: headlines printed
   after, before or far from their article all find it. A headline left over next to an
   article headed from its other side takes the text from the lead that fits it.

Each article says what marked its start (``boundary``) and whether it likely holds two
reports (``merged_suspect``: a lead of another place or day inside it, or a headline that fits
a later sentence and not its opening).
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .repair import (
    display_width,
    doubled_runs,
    doubling_strength,
    join_lines,
    remove_justification_spaces,
)

FURNITURE = "furniture"
# What marks where an article starts (``Article.boundary``): a dateline, byline, photo credit,
# author line, continuation marker, change of print or the page's top; only a headline; a
# sentence that opens like a report's lead (when + committee); or nothing printed, the cut
# placed where a headline left over fits the text best (a guess).
MARKED, HEADLINE_ONLY, LEAD, GUESSED = "marked", "headline", "lead", "guessed"
BOUNDARIES = (MARKED, HEADLINE_ONLY, LEAD, GUESSED)
PROSE, HEAD, SUBTITLE, AUTHOR, CREDIT, BYLINE, JUMP, LABEL = (
    "prose",
    "head",
    "subtitle",
    "author",
    "credit",
    "byline",
    "jump",
    "label",
)

# Characters that end a sentence; a closing quote or bracket after one of them also does.
# Pages copied from the web print ASCII commas and semicolons (,;) where the paper prints full
# width ones: both count the same.
TERMINAL = "。！？…；!?;"
CLOSERS = "”’」』）)"
# Headlines carry no commas or full stops; prose lines almost always do within a few lines.
SENTENCE_PUNCT = "，。；,;"
STRICT_PUNCT = "，。；、！？,;!?"
# Marks after which a sentence goes on.
OPEN_CLAUSE_ENDS = "，,、；;：:（(“《"
# A headline line at the head of a paragraph is clearly shorter than the column: a prose line
# there is short only by its two-character indent, which leaves more than three quarters of
# even the narrowest columns (12 characters).
HEAD_WIDTH_SHARE = 0.75
# Prose fills its column and passes it only by hanging punctuation (at most two marks, 。”): a
# line this much wider than the column is a headline spanning columns.
WIDE_MARGIN = 3
# A line that ends in a character passes its column only by a digit's half cell of rounding.
NO_HANG_MARGIN = 1
# A line this much shorter than its column is clearly short (a paragraph's end, a headline);
# a line within FULL_MARGIN of it is full.
SHORT_MARGIN = 3
FULL_MARGIN = 1
# A paragraph's first line is indented by two characters (　　); a line after more blank space
# than that (in character cells; an ASCII space is half a cell) is centred: a headline.
MAX_INDENT_CELLS = 2.5
# A paragraph's first line is indented by two characters (　　).
PARA_INDENT = 2
# Most lines of a column are full: the upper quartile of nearby widths is the column's width,
# measured over the NEAR_LINES lines on either side (a column of a short report).
NEAR_LINES = 6
# A line shorter than its column by half a cell (one digit) or more is short: it stops early.
HALF_CELL = 0.5
FULL_LINE_QUANTILE = 0.75
# A section label (栏目) standing before a continuation marker is a short line.
MAX_LABEL_WIDTH = 8
KICKER_ENDS = ("政协", "委员会")
# Kept indents mark paragraphs only on a page where a few prose lines have them.
MIN_INDENTED_LINES = 3
# Two headlines of two lines each can stand between two articles.
MAX_HEADLINE_LINES = 4
# A bigram every body prints still counts a little (smoothed IDF, never zero).
IDF_FLOOR = 0.1
# A headline standing next to a body scores this bonus on top of the share of its (weighted)
# bigrams the body prints; a pairing below MIN_ADJACENT_SCORE is no pairing (a neighbour that
# shares nothing). A headline away from a body must share at least half its words.
ADJACENT_BONUS = 0.3
MIN_ADJACENT_SCORE = 0.3
MIN_DISTANT_MATCH = 0.5
# A headline group between two articles is cut in two when each part fits the article on its
# side (score: shared-bigram share plus ADJACENT_BONUS) by at least MIN_SPLIT_FIT — half again
# the bonus, so some words must be shared — or, where the second part opens with a named
# committee (a headline's usual start), by a little more than the bonus; and when the parts fit
# better on average than the whole group by MIN_SPLIT_GAIN (at a named committee: at all).
MIN_SPLIT_FIT = 0.45
MIN_SPLIT_FIT_AT_COMMITTEE = 0.35
MIN_SPLIT_GAIN = 0.1
# A report's first LEAD_CHARS characters print most of its headline's words: on the
# development set at least half (by IDF weight) for 90% of reports, while another report's
# paragraph prints more than a quarter for only 1% of pairs. A leftover headline takes a part
# of a neighbouring text only where a lead fits it this well.
LEAD_CHARS = 60
MIN_LEAD_FIT = 0.2
# A headline is printed on the same page as its article, and a page holds at most about twenty
# reports: bodies further away than this (in bodies) are never its article.
MAX_HEADLINE_REACH = 24

_NAME = r"[\u4e00-\u9fff·]{1,4}"
_NAMES = rf"{_NAME}(?:[\s、，,]+{_NAME}){{0,5}}"
_ROLE = r"(?:本报|特约|见习|实习)?(?:摄影记者|记者|通讯员|实习生)"
# several roles with their names on one line: 记者 王刚 通讯员 李明
_ROLE_NAMES = rf"{_NAMES}(?:\s*{_ROLE}\s*[:：]?\s*{_NAMES})*"
# A news organ that files reports (融媒体中心, 新闻网, 日报, 电视台, 新华社…): other papers'
# datelines name one, possibly with a place and a date after it, then 讯 or 电.
_MEDIA = r"(?:融媒体中心|融媒中心|融媒|新闻中心|新闻网|电视台|日报|晚报|时报|新闻|网|台|社)"
# 讯/电 ends a dateline, not a word (通讯员, 电话, 电视, 电子…); 电 is a common character, so the
# text after it must start with a date, a time word, a bracket, a space or punctuation.
_MEDIA_END = (
    r"(?:电\s*讯|讯(?![员息号])|电(?![员息号话视子力器脑商网影])"
    r"(?=\s|[（(:：，,]|$|\d|近日|日前|近期|连日|今年|[上下]午|[本今昨]天))"
)
_DATELINE = re.compile(
    # 本报讯, 本报平凉讯, 本报济宁9月24日讯, 本报兰州3月5日电
    r"^\s*本\s*报\s*(?P<place>(?:[\u4e00-\u9fff]\s*){0,8}?)"
    r"(?:\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*)?(?:讯|(?<=日)\s*电)"
    r"\s*(?:[（(](?P<who>[^（）()]{1,40})[）)])?"
    # other papers and sites: 平凉融媒体中心讯, 陇上新闻网6月2日讯（记者…）,
    # 新华社兰州6月5日电（记者…）, with the reporters' own paper before them: （陇上日报通讯员…）
    rf"|^\s*(?!本报)(?P<org>[\u4e00-\u9fff·]{{1,12}}?{_MEDIA})"
    rf"(?P<where>[\u4e00-\u9fff]{{0,6}}?)\s*(?:\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)?\s*{_MEDIA_END}"
    rf"\s*(?:[（(](?P<who4>[^（）()]{{0,14}}?{_ROLE}[^（）()]{{1,40}})[）)])?"
    rf"|^\s*(?!本报)[\u4e00-\u9fff](?:(?!本报)[\u4e00-\u9fff\w·]){{1,15}}?"
    rf"(?:讯|电\s*讯|电)\s*[（(]"
    rf"(?P<who3>[^（）()]{{0,14}}?{_ROLE}[^（）()]{{1,40}})[）)]"
    # a reporters' credit in brackets before the text: （平凉日报记者 李明）3月6日，…
    rf"|^\s*[（(](?P<who5>[^（）()]{{0,14}}?{_ROLE}[^（）()]{{1,40}})[）)]"
)
# How a dateline's first line opens: 本报, a bracket, or a news organ's name.
_DATELINE_HEAD = re.compile(rf"^\s*(?:本\s*报|[（(]|[\u4e00-\u9fff·]{{1,12}}?{_MEDIA})")
# a role word may be followed by a colon (记者：张三), and a bare colon may open the bracket
_ROLE_OPT = rf"(?:{_ROLE}\s*[:：]?\s*|[:：]\s*)?"
_BARE_REPORTERS = re.compile(
    rf"^\s*(?P<who>{_ROLE}\s*[\u4e00-\u9fff·]{{2,4}}(?:\s+{_ROLE}\s*[\u4e00-\u9fff·]{{2,4}})*)"
    r"\s"
)
# an end byline; the reporters' paper may stand before the role: （平凉日报记者 李明）
_PAPER = r"(?:[\u4e00-\u9fff·]{2,14}?(?=(?:本报|特约|见习|实习)?(?:摄影记者|记者|通讯员)))?"
_BYLINE_SUFFIX = re.compile(rf"[（(]\s*{_PAPER}(?P<who>{_ROLE_OPT}{_ROLE_NAMES})\s*[）)]\s*$")
_CREDIT = re.compile(
    rf"^\s*{_ROLE_OPT}(?P<who>{_ROLE_NAMES})\s*(?:摄影报道|摄影|摄)\s*$"
    rf"|^\s*(?:图|摄影|图片|图文)\s*[/:：]\s*{_ROLE_OPT}(?P<who2>{_ROLE_NAMES})\s*$"
)
_AUTHOR = re.compile(
    rf"^\s*[□■◇◆●○]\s*{_ROLE_OPT}(?P<who>{_ROLE_NAMES})\s*$"
    rf"|^\s*(?:{_ROLE}\s*[:：]?|(?:文\s*/\s*图|图\s*/\s*文)\s*[/:：]?|(?:文图|图文|撰文|文)\s*[/:：])"
    rf"\s*(?P<who2>{_ROLE_NAMES}(?:\s+图\s*[/:：]\s*{_NAMES})?)\s*$"
)
# Who supplied a report, printed after it: 供稿：县政协办公室, 来源：平凉融媒体中心,
# （政协办供稿）, （X政协 供稿）; and the end mark （完）. They close the report before them.
_SOURCE = r"(?:供稿|来源|稿源|信息来源)\s*[:：]\s*[^（）()]{2,24}|[^（）()：:]{2,24}?\s*供稿"
_END_MARK = r"[（(]\s*(?:完|全文完)\s*[）)]"
_SOURCE_LINE = re.compile(rf"^\s*(?:{_SOURCE}|[（(]\s*(?:{_SOURCE})\s*[）)]|{_END_MARK})\s*$")
_SOURCE_SUFFIX = re.compile(rf"(?:[（(]\s*(?:{_SOURCE})\s*[）)]|{_END_MARK})\s*$")
# An organisation, not a person, supplied it (县政协办公室, 平凉融媒体中心).
_ORGANISATION_END = re.compile(r"(?:政协|办公室|办|中心|部|委|局|会|室|台|网|报|社|处|科|组)$")
_SOURCE_WHO = re.compile(r"[:：]\s*([^（）()]+?)\s*[）)]?\s*$|^[（(]?\s*([^（）()：:]+?)\s*供稿")
_SUBTITLE = re.compile(r"^\s*(?:——|—|－－|--)")
# Page furniture: the paper's name, the issue date, page numbers, editors' credits (with a
# colon, or with a space and names: 编辑 王芳 校对 李明).
_EDITOR = r"(?:责任编辑|责编|编辑|美编|校对|版式|版式设计|审核|审校|组版|排版|值班编辑)"
_FURNITURE = re.compile(
    rf"^(?:{_EDITOR}[:：].*"
    r"|(?:19|20)\d\d年\d{1,2}月\d{1,2}日(?:星期[一二三四五六日天])?"
    r"|第?[0-9０-９一二三四五六七八九十]{1,2}版|星期[一二三四五六日天]"
    r"|[\u4e00-\u9fff]{2,8}报(?:社)?(?:电子版)?|(?:电话|传真|邮编|E-?mail|邮箱)[:：].*)$",
    re.I,
)
_EDITOR_LINE = re.compile(
    rf"^\s*{_EDITOR}(?:\s*[:：]\s*|\s+)[\u4e00-\u9fff·]{{2,4}}"
    rf"(?:\s+(?:{_EDITOR}(?:\s*[:：]\s*|\s+))?[\u4e00-\u9fff·]{{2,4}})*\s*$"
)
_JUMP = re.compile(
    r"^\s*[（(]\s*(?:上)?接\s*(?:第)?\s*[一二三四五六七八九十\d]{1,3}\s*版\s*[）)]\s*$"
)
_JUMP_OUT = re.compile(
    r"[（(]\s*(?:下)?转\s*(?:第)?\s*[一二三四五六七八九十\d]{1,3}\s*版\s*[）)]\s*$"
)
_ROLE_WORDS = re.compile(_ROLE)
_CJK_GAP = re.compile(r"[\u4e00-\u9fff”》]\s+[\u4e00-\u9fff“《]")
# 天水市政协：关注… — a committee's name and a colon open a headline, not a sentence
_COMMITTEE_HEADLINE = re.compile(r"^[\u4e00-\u9fff]{1,12}(?:政协|委员会|委)：[^：]+$")
# A report's lead opens with when (6月5日上午, 近日, 连日来…) and who: a committee (县政协,
# 清水县政协); an article's later paragraphs rarely do both. A paragraph opening this way after
# a sentence end may start a new report even with nothing printed between them.
_WHEN = (
    r"(?:(?:\d{2,4}年)?\d{1,2}月(?:\d{1,2}[日号]?)?"
    r"(?:\s*[至到\-—～~]\s*(?:\d{1,2}月)?\d{1,2}[日号]?)*"
    r"(?:[上中下]午|早上|晚上?)?(?:\s*\d{1,2}[:：]\d{2})?|近日|日前|近期|连日来|今年以来|年初以来|近年来|[上下]午)"
)
_COMMITTEE = r"[\u4e00-\u9fff]{0,10}?(?:政协|政治协商会议)"
_LEAD = re.compile(
    rf"^(?:{_WHEN}\s*[，,]?\s*(?P<who>{_COMMITTEE})"
    rf"|(?P<named>[\u4e00-\u9fff]{{1,10}}?(?:省|市|州|县|区|旗|盟)政协))"
)
_OPENS_COMMITTEE = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:省|市|州|县|区|旗|盟)政协")
_LEADING_NOTE = re.compile(r"^\s*[（(][^（）()]{1,20}[）)]\s*")
# A sentence may be followed by a bracketed note: a byline or source (…成效。（王立新）).
_TRAILING_NOTE = re.compile(r"(?<=[。！？!?”])\s*[（(][^（）()]{1,24}[）)]$")
_QUOTED = re.compile(r"“[^“”]*”|《[^《》]*》|\"[^\"]*\"")
_INDENT = re.compile(r"^(?:\u3000|\s{2,})\S")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


@dataclass
class Line:
    """One printed line of the page, with its place in the source text."""

    no: int
    start: int
    end: int
    raw: str
    halved: str
    text: str
    doubled: bool
    role: str = PROSE
    width: float = 0.0
    para_start: bool = False
    dateline: str = ""
    dateline_place: str = ""
    dateline_who: str = ""
    byline: str = ""
    byline_printed: str = ""
    byline_who: str = ""
    jump_out: str = ""
    indented: bool = False
    centred: bool = False  # printed after more blank space than a paragraph's indent


@dataclass
class Residue:
    """A piece of the page that belongs to no article, with why."""

    text: str
    span: tuple[int, int]
    reason: str


@dataclass
class Article:
    """One article, photo item or continuation as printed on the page."""

    kind: str
    headline: str = ""
    subheadline: str = ""
    body: str = ""
    dateline: str = ""
    byline: str = ""
    continued_from: str = ""
    continued_on: str = ""
    reporters: list[str] = field(default_factory=list)
    dateline_place: str = ""
    subheads: list[str] = field(default_factory=list)
    span: tuple[int, int] = (0, 0)
    headline_span: tuple[int, int] | None = None
    event_date: object = None
    event_date_text: str = ""
    boundary: str = MARKED  # what marks where the article starts (BOUNDARIES)
    merged_suspect: bool = False  # may hold two reports: a lead of another place or day inside
    # it, or a headline that fits a later sentence, not its opening

    def printed_fields(self) -> list[str]:
        """The fields that together hold every character the page printed for this article."""
        return [
            self.dateline,
            self.headline,
            self.subheadline,
            self.body,
            self.byline,
            self.continued_from,
            self.continued_on,
        ]


@dataclass
class Page:
    """A parsed page: its articles in reading order and what belongs to none of them."""

    source: str
    articles: list[Article]
    residue: list[Residue]
    year: int | None = None


# --------------------------------------------------------------------------- lines


def page_lines(text: str) -> list[Line]:
    """Cut text into non-blank lines with offsets; halve doubled bold lines in context."""
    lines: list[Line] = []
    pos = 0
    for raw_line in text.split("\n"):
        stripped = raw_line.strip()
        if stripped:
            start = pos + raw_line.index(stripped[0])
            line = Line(len(lines), start, start + len(stripped), stripped, stripped, "", False)
            # an indent the extractor kept (　　 or several spaces) starts a paragraph
            blank = raw_line[: len(raw_line) - len(raw_line.lstrip())]
            cells = sum(1.0 if c == "\u3000" else 0.5 for c in blank)
            line.centred = cells > MAX_INDENT_CELLS
            line.indented = bool(_INDENT.match(raw_line)) and not line.centred
            lines.append(line)
        pos += len(raw_line) + 1
    lines = _join_split_bylines(lines)
    strength = [doubling_strength(line.raw) for line in lines]
    for i, line in enumerate(lines):
        near_strong = any(strength[j] == 2 for j in (i - 1, i + 1) if 0 <= j < len(lines))
        if strength[i] == 2 or (strength[i] == 1 and near_strong):
            line.halved = "".join(doubled_runs(line.raw))
            line.doubled = True
        line.text = remove_justification_spaces(line.halved)
        line.width = display_width(line.text) + (PARA_INDENT if line.indented else 0)
    return lines


_BYLINE_OPEN = re.compile(r"[（(][\u4e00-\u9fff·\s:：/]{0,8}$")
_BYLINE_CLOSE = re.compile(r"^[\u4e00-\u9fff·\s]{1,8}[）)]$")
# A dateline that the column cut runs over at most this many lines.
MAX_DATELINE_LINES = 3


def _join_split_bylines(lines: list[Line]) -> list[Line]:
    """Rejoin a byline or dateline that the column cut (…交流。（刘 / 绍周）,
    本报白银讯（通讯员张 / 子慧）12月16日…)."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        take = 1
        prev = out[-1] if out else None
        if prev is not None and _BYLINE_OPEN.search(prev.raw) and _BYLINE_CLOSE.match(line.raw):
            joined = prev.raw + line.raw
            out[-1] = Line(prev.no, prev.start, line.end, joined, joined, "", False)
            i += 1
            continue
        take = _dateline_lines(lines, i)
        last = lines[i + take - 1]
        raw = "".join(ln.raw for ln in lines[i : i + take])
        out.append(
            Line(
                len(out),
                line.start,
                last.end,
                raw,
                raw,
                "",
                False,
                indented=line.indented,
                centred=line.centred,
            )
        )
        i += take
    return out


def _dateline_lines(lines: list[Line], i: int) -> int:
    """How many lines from line i hold one dateline whose bracket the column cut (1 if none)."""
    joined = lines[i].raw
    m = _DATELINE.match(joined)
    rest = joined[m.end() :].lstrip() if m else ""
    if m and (_dateline_who(m) or (rest and rest[0] not in "（(")):
        return 1  # a whole dateline, or one with the article's text after it
    for take in range(2, MAX_DATELINE_LINES + 1):
        if i + take > len(lines) or ends_sentence(joined):
            break
        before = len(joined)
        joined += lines[i + take - 1].raw
        m = _DATELINE.match(joined)
        # the first line opens the dateline (a line before a dateline is not part of it)
        if m and _dateline_who(m) and m.end() > before and _DATELINE_HEAD.match(lines[i].raw):
            return take
    return 1


def _dateline_match(printed: str, text: str, after_sentence: bool) -> re.Match | None:
    """A dateline at the start of a line, as printed or with justification spaces dropped
    (中 国 旬 阳 网 1 0 月…讯). Reporters in brackets on a line of their own open the text
    after them only where no sentence ended before them; there they close it (a byline)."""
    m = _DATELINE.match(printed) or _DATELINE.match(text)
    if m and m["who5"] and after_sentence and not m.string[m.end() :].strip():
        return None
    return m


def _dateline_who(m: re.Match) -> str:
    """The bracketed reporters of a dateline match, whichever form it took ('' if none)."""
    return m["who"] or m["who3"] or m["who4"] or m["who5"] or ""


def _media_place(org: str, where: str) -> str:
    """The place a news organ's dateline names: the place printed after the organ
    (每日甘肃网兰州…讯 → 兰州), else the longest division name inside the organ's name
    (中国张掖网 → 张掖市, 平凉融媒体中心 → 平凉市), else the organ's name before its media word
    (a place the gazetteer does not know is still the place as printed)."""
    if where:
        return where
    stem = re.sub(rf"{_MEDIA}$", "", org)
    from .gazetteer import load_gazetteer  # only papers other than this one need it

    gazetteer = load_gazetteer()
    for size in range(len(stem), 1, -1):
        for at in range(len(stem) - size, -1, -1):  # nearest the media word first
            found = gazetteer.candidates(stem[at : at + size])
            if found:
                return found[0].name
    return stem


def _source_who(text: str) -> str:
    """The person a source line credits (供稿：李明), '' for an organisation (县政协办公室)."""
    m = _SOURCE_WHO.search(text.strip())
    who = re.sub(r"\s+", "", (m[1] or m[2]) if m else "")
    if re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", who) and not _ORGANISATION_END.search(who):
        return who
    return ""


def names_of(who: str) -> list[str]:
    """Personal names in a byline: role words dropped, print-spaced two-char names rejoined."""
    tokens = [t for t in re.split(r"[\s、，,:：]+", _ROLE_WORDS.sub(" ", who)) if t]
    names: list[str] = []
    i = 0
    while i < len(tokens):
        # 高 磊 (a two-character name spaced to fill three cells), 刘 绍 周 (a spread line)
        j = i
        while j < len(tokens) and len(tokens[j]) == 1:
            j += 1
        if j - i >= 2:
            names.extend(_cut_spread(tokens[i:j]))
            i = j
            continue
        names.append(tokens[i])
        i += 1
    return names


def _cut_spread(chars: list[str]) -> list[str]:
    """Names from a run of single characters: up to 3 is one name, longer runs are cut in
    names of three (two for four characters)."""
    n = len(chars)
    if n <= 3:
        return ["".join(chars)]
    size = 2 if n == 4 else 3
    return ["".join(chars[k : k + size]) for k in range(0, n, size)]


def _names_ok(who: str) -> bool:
    names = names_of(who)
    return bool(names) and all(2 <= len(n) <= 4 for n in names)


def _reporters(who: str) -> str:
    """The reporters in a dateline's bracket, without the paper before them
    (陇上日报记者 王芳 → 记者 王芳)."""
    m = _ROLE_WORDS.search(who)
    return who[m.start() :] if m else who


def ends_sentence(text: str) -> bool:
    """True if ``text`` ends a sentence (。！？… or a closing quote after one)."""
    text = _TRAILING_NOTE.sub("", text.rstrip())
    if not text:
        return False
    if text[-1] in TERMINAL:
        return True
    return len(text) > 1 and text[-1] in CLOSERS and text[-2] in TERMINAL


def assign_roles(lines: list[Line]) -> None:
    """Mark datelines, bylines, credits, author lines, subtitles and continuation markers."""
    for i, line in enumerate(lines):
        h = line.halved
        dateline_end = 0  # where a dateline ends in h: a byline cannot start inside it
        after_sentence = i > 0 and ends_sentence(lines[i - 1].text)
        if _FURNITURE.match(line.text) or _EDITOR_LINE.match(h):
            line.role = FURNITURE
        elif _SOURCE_LINE.match(h):
            # 供稿：…, 来源：…, （完）: the end of the report before it
            line.role = BYLINE
            line.byline_who = _source_who(h)
        elif _JUMP.match(h):
            line.role = JUMP
        elif _SUBTITLE.match(h):
            line.role = SUBTITLE
        elif (m := _CREDIT.match(h)) and _names_ok(m["who"] or m["who2"]):
            line.role = CREDIT
            line.byline_who = m["who"] or m["who2"]
        elif (m := _AUTHOR.match(h)) and _names_ok(m["who"] or m["who2"]):
            # under a headline it names the author; after a sentence end it closes the text
            # before it, as a credit does (…发展。 / 文/图 李明)
            line.role = BYLINE if after_sentence else AUTHOR
            line.byline_who = m["who"] or m["who2"]
        elif (m := _dateline_match(h, line.text, after_sentence)) and (
            not _dateline_who(m) or _names_ok(_reporters(_dateline_who(m)))
        ):
            h, dateline_end = m.string, m.end()
            line.dateline = remove_justification_spaces(m.group(0).strip())
            line.dateline_place = re.sub(r"\s+", "", m["place"] or "")
            if m["org"]:
                line.dateline_place = _media_place(m["org"], m["where"] or "")
            line.dateline_who = _reporters(_dateline_who(m))
            # reporters printed after 本报讯 with no brackets: 本报讯 记者 王刚 4月10日…
            rest = h[m.end() :]
            # names at the line's end are whole when the next line opens with a date or time
            nxt = lines[i + 1].text if i + 1 < len(lines) else ""
            if re.match(_WHEN, nxt):
                rest += " "
            bare = _BARE_REPORTERS.match(rest) if not line.dateline_who else None
            if bare and _names_ok(bare["who"]):
                line.dateline = remove_justification_spaces((m.group(0) + bare.group(0)).strip())
                line.dateline_who = bare["who"]
                dateline_end += bare.end()
            if not line.text.startswith(line.dateline):
                line.dateline = ""
        if line.role != PROSE:
            continue
        if m := _JUMP_OUT.search(h):
            line.jump_out = remove_justification_spaces(m.group(0).strip())
            h = h[: m.start()]
        m = _SOURCE_SUFFIX.search(h, dateline_end) or _BYLINE_SUFFIX.search(h, dateline_end)
        if m and (m.re is _SOURCE_SUFFIX or _names_ok(m["who"])):
            before = h[: m.start()].strip()
            if not before or ends_sentence(before):
                line.byline = remove_justification_spaces(m.group(0).strip())
                line.byline_printed = " ".join(m.group(0).split())
                line.byline_who = _source_who(m.group(0)) if m.re is _SOURCE_SUFFIX else m["who"]
                if not before:
                    line.role = BYLINE


# ---------------------------------------------------------------------- paragraphs


def _local_width(lines: list[Line], i: int, reach: int = NEAR_LINES) -> float:
    """Column width near line i: the median width of nearby prose lines of the same print."""
    doubled = lines[i].doubled
    near = sorted(
        line.width
        for line in lines[max(0, i - reach) : i + reach + 1]
        if line.no != i and line.role == PROSE and line.doubled == doubled
    )
    if not near:
        return lines[i].width
    mid = len(near) // 2
    return near[mid] if len(near) % 2 else (near[mid - 1] + near[mid]) / 2


def _column_width(lines: list[Line], i: int, reach: int = NEAR_LINES + 2) -> float:
    """The width of a full column line near line i: the upper quartile of nearby prose lines
    of the same print that stop in mid-sentence (a paragraph's end is short, a headline
    may be short or wide; most lines that run on are full)."""
    doubled = lines[i].doubled
    near = sorted(
        line.width
        for line in lines[max(0, i - reach) : i + reach + 1]
        if line.no != i
        and line.role == PROSE
        and line.doubled == doubled
        and not ends_sentence(line.text)
    )
    if not near:
        return _local_width(lines, i)
    return near[int(FULL_LINE_QUANTILE * (len(near) - 1))]


def _is_boundary(lines: list[Line], i: int, after: Line) -> bool:
    """True if line i (or the page end) starts something new after line ``after``."""
    if i >= len(lines):
        return True
    line = lines[i]
    return (
        line.role != PROSE or bool(line.dateline) or line.indented or line.doubled != after.doubled
    )


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Group consecutive prose lines into paragraphs (a paragraph may hold headline lines)."""
    paras: list[list[Line]] = []
    current: list[Line] = []
    # where the extractor kept paragraph indents, they alone mark paragraphs
    # (counting prose lines only: an extractor that keeps layout also indents centred headlines)
    indents = (
        sum(line.indented and any(c in SENTENCE_PUNCT for c in line.text) for line in lines)
        >= MIN_INDENTED_LINES
    )
    for i, line in enumerate(lines):
        if line.role != PROSE:
            if current:
                paras.append(current)
            current = []
            continue
        if current and (line.dateline or line.indented or line.doubled != current[-1].doubled):
            paras.append(current)
            current = []
        current.append(line)
        short = not indents and line.width <= _local_width(lines, i) - HALF_CELL
        if line.byline or line.jump_out or (ends_sentence(line.text) and short):
            paras.append(current)
            current = []
    if current:
        paras.append(current)
    return paras


def _sentence_runs(para: list[Line], lines: list[Line]) -> list[list[Line]]:
    """Cut a paragraph after every line that ends a sentence, whatever its width, and after a
    paragraph that ends with its full stop missing."""
    runs: list[list[Line]] = [[]]
    for line in para:
        runs[-1].append(line)
        if ends_sentence(line.text) or line.byline or _unterminated_end(runs[-1], lines):
            runs.append([])
    return [r for r in runs if r]


def _unterminated_end(run: list[Line], lines: list[Line]) -> bool:
    """True if the run's last line ends a paragraph whose full stop is missing: full column
    lines with some punctuation (headlines have none), then a clearly short line ending in a
    character (…委员们参加了活动)."""
    if len(run) < 2 or unicodedata.category(run[-1].text[-1]).startswith("P"):
        return False
    if not any(c in STRICT_PUNCT for ln in run[:-1] for c in unquoted(ln.text)):
        return False
    column = _column_width(lines, run[-1].no)
    # the run's first line may be a paragraph's first, short by the indent
    return run[-1].width <= column - SHORT_MARGIN and all(
        ln.width >= column - FULL_MARGIN - (PARA_INDENT if k == 0 else 0)
        for k, ln in enumerate(run[:-1])
    )


def mark_headlines(lines: list[Line]) -> None:
    """Find headline lines among prose lines and mark paragraph starts.

    A headline can only begin where a sentence ended: at a paragraph start or after a line that
    ends a sentence (a full-width last line does not look short, so both are tried).
    """
    for para in paragraphs(lines):
        para[0].para_start = True
        widths = sorted(p.width for p in para)
        column = max(
            widths[int(FULL_LINE_QUANTILE * (len(widths) - 1))], _local_width(lines, para[0].no)
        )
        runs = _sentence_runs(para, lines)
        for r, run in enumerate(runs):
            last = run[-1]
            is_last_run = r == len(runs) - 1
            if (
                is_last_run
                and len(run) <= MAX_HEADLINE_LINES
                and not ends_sentence(last.text)
                and not run[0].dateline
                and all(not any(c in SENTENCE_PUNCT for c in p.text) for p in run)
                and _is_boundary(lines, last.no + 1, last)
                and not _unterminated_prose(run, lines)
            ):
                for p in run:
                    p.role = HEAD
                continue
            k = max(_short_unfinished(run, column), _headline_to_wide_line(run, lines))
            for p in run[:k]:
                p.role = HEAD
            while k < len(run) - 1:
                p = run[k]
                wide = _is_wide(lines, p)
                # a headline may list (考察甘肃、新疆); a prose line that is no wider than
                # its column and carries only such marks is rare, a wide one never happens
                # a committee's name on its own line is a kicker: the next line ends the headline
                after_kicker = k > 0 and run[k - 1].text.endswith(KICKER_ENDS)
                punct = SENTENCE_PUNCT if wide or after_kicker else STRICT_PUNCT
                if p.dateline or any(c in punct for c in unquoted(p.text)):
                    break
                narrow = p.width <= HEAD_WIDTH_SHARE * column
                gaps = _CJK_GAP.findall(p.halved)
                if not (
                    narrow
                    or wide
                    or p.centred
                    or after_kicker
                    or 0 < len(gaps) <= 2
                    or _COMMITTEE_HEADLINE.match(p.text)
                ):
                    break
                p.role = HEAD
                k += 1
            if k:
                run[k].para_start = True
            first, lead = _headline_before_lead(run, k)
            for p in run[first:lead]:
                p.role = HEAD
            if lead:
                run[lead].para_start = True


# A headline of this many lines or more set in one column is rare; with full lines and a list
# mark (、) it is the end of a paragraph whose full stop is missing.
MIN_PROSE_LINES = 3


def _unterminated_prose(run: list[Line], lines: list[Line]) -> bool:
    """True if a run without sentence punctuation reads as prose whose full stop is missing:
    three lines or more, every line but the last filling the column (the first may be short
    by a paragraph's indent), and a list mark (、)."""
    if len(run) < MIN_PROSE_LINES or not any("、" in unquoted(p.text) for p in run):
        return False
    column = _column_width(lines, run[0].no)
    return all(
        p.width >= column - FULL_MARGIN - (PARA_INDENT if k == 0 else 0)
        for k, p in enumerate(run[:-1])
    )


def _with_next(lines: list[Line], k: int) -> str:
    """Line k's text and the next line's: a lead's committee may run over the line end."""
    return lines[k].text + (lines[k + 1].text if k + 1 < len(lines) else "")


def _headline_before_lead(run: list[Line], start: int) -> tuple[int, int]:
    """Lines without sentence punctuation right before a line that opens a report's lead
    (6月5日，清水县政协…) are its headline, even when the text before them never ended its
    sentence. Returns the headline's first line and the lead's line in the run (0, 0 if
    none)."""
    for lead in range(start + 1, len(run)):
        if not (opens_report(_with_next(run, lead)) or _repeats_committee(run, lead)):
            continue
        first = lead
        while (
            first > start
            and lead - first < MAX_HEADLINE_LINES
            and not run[first - 1].dateline
            and not any(c in SENTENCE_PUNCT for c in unquoted(run[first - 1].text))
        ):
            first -= 1
        # a headline may carry a comma (凝心聚力，共谋发展): the few lines from a sentence end to
        # a lead are a headline when the last of them stops without punctuation, as prose
        # running on into the lead's line would not
        if (
            first > start
            and lead - start <= MAX_HEADLINE_LINES
            and run[lead - 1].text[-1] not in OPEN_CLAUSE_ENDS
            and not any(ln.dateline for ln in run[start:lead])
        ):
            first = start
        return (first, lead) if first < lead else (0, 0)
    return 0, 0


def _repeats_committee(run: list[Line], lead: int) -> bool:
    """True if line ``lead`` opens with the committee (named with its place) that the line
    before it opens with, and that line has no sentence punctuation: a lead repeating its
    headline's subject (沿河县政协超额完成… / 沿河县政协积极…); prose does not run on into a
    line that starts with the words its own line started with."""
    before, line = run[lead - 1].text, _with_next(run, lead)
    m = _OPENS_COMMITTEE.match(before)
    return bool(
        m and line.startswith(m[0]) and not any(c in SENTENCE_PUNCT for c in unquoted(before))
    )


def unquoted(text: str) -> str:
    """The text outside quotes and titles: a headline may quote a slogan with commas in it
    (召开“学政策，促发展”座谈会)."""
    return _QUOTED.sub("", text)


def _is_wide(lines: list[Line], p: Line) -> bool:
    """True if a line is wider than its column as prose never is: by WIDE_MARGIN, or past it
    at all without ending in a punctuation mark that could hang."""
    column = _column_width(lines, p.no)
    if p.width >= column + WIDE_MARGIN:
        return True
    hangs = unicodedata.category(p.text[-1]).startswith("P")
    return not hangs and p.width > column + NO_HANG_MARGIN


def _headline_to_wide_line(run: list[Line], lines: list[Line]) -> int:
    """A line wider than the column is a headline's, and so are the lines before it after a
    sentence end (a two-line headline). Returns how many lines the headline takes."""
    taken = 0
    for k, p in enumerate(run[:MAX_HEADLINE_LINES]):
        if p.dateline or any(c in SENTENCE_PUNCT for c in unquoted(p.text)):
            break
        if _is_wide(lines, p):
            taken = k + 1
    return taken if taken < len(run) else 0


def _short_unfinished(run: list[Line], column: float) -> int:
    """Prose never stops short of the column in mid-sentence: a clearly short line that ends
    with no punctuation, inside a run, ends a headline. Returns how many lines it takes."""
    for j, p in enumerate(run[:-1]):
        if p.dateline or any(c in SENTENCE_PUNCT for c in p.text):
            return 0
        # a run's first line may be a paragraph's, short by its indent: only later lines count
        # (and a line after a headline may be a paragraph's first, short by its indent)
        short = p.width <= column - SHORT_MARGIN - PARA_INDENT
        if j and short and not unicodedata.category(p.text[-1]).startswith("P"):
            return j + 1
    return 0


def mark_labels(lines: list[Line]) -> None:
    """A short headline-like line right before a continuation marker is a section label."""
    for i, line in enumerate(lines[:-1]):
        if line.role == HEAD and lines[i + 1].role == JUMP and line.width <= MAX_LABEL_WIDTH:
            line.role = LABEL


# ---------------------------------------------------------------------- bodies


@dataclass
class _Body:
    """Lines of one article's text while the page is being cut (before it has a headline)."""

    lines: list[Line]
    kind: str = "article"
    closed: bool = False
    jump: Line | None = None
    credit: list[Line] = field(default_factory=list)
    unit: _Unit | None = None
    subheads: list[Line] = field(default_factory=list)
    closed_by_byline: bool = False
    cut_at_lead: bool = False  # cut from the body before it where a report's lead opened
    closed_by: str = ""  # what ended the body: a MARKED item or a HEADLINE_ONLY group
    boundary: str = ""  # what marks the body's start (BOUNDARIES)
    merged_suspect: bool = False
    lead_para_start: bool = False  # whether that lead line started a paragraph before the cut

    @property
    def first(self) -> int:
        """Number of the body's first line (its continuation marker, if it has one)."""
        return self.jump.no if self.jump else self.lines[0].no

    @property
    def last(self) -> int:
        nos = [ln.no for ln in self.lines + self.credit] + ([self.jump.no] if self.jump else [])
        return max(nos)

    def text(self) -> str:
        return "".join(ln.text for ln in self.lines + self.credit)


@dataclass
class _Unit:
    """One headline: its lines, and the subtitle and author lines printed with it."""

    heads: list[Line]
    extras: list[Line]  # subtitles and author lines that travel with the headline

    @property
    def first(self) -> int:
        return min(ln.no for ln in self.heads + self.extras)

    @property
    def last(self) -> int:
        return max(ln.no for ln in self.heads + self.extras)

    def text(self) -> str:
        return "".join(ln.text for ln in self.heads + self.extras if ln.role != AUTHOR)


def build_bodies(
    lines: list[Line], residue: list[Residue]
) -> tuple[list[_Body], list[list[Line]]]:
    """Cut prose into bodies and collect the headline groups that stand between them."""
    bodies: list[_Body] = []
    groups: list[list[Line]] = []
    current: _Body | None = None
    prev_role = None
    for line in lines:
        role = line.role
        if role == PROSE:
            awaiting_jump_text = (
                current is not None and current.jump is not None and not current.lines
            )
            new = not awaiting_jump_text and (
                current is None
                or current.closed
                or bool(line.dateline)
                or line.doubled != current.lines[-1].doubled
                or prev_role in (HEAD, SUBTITLE, AUTHOR, LABEL)
            )
            if new:
                marked = (
                    current is None
                    or current.closed_by == MARKED
                    or bool(line.dateline)
                    or line.doubled != current.lines[-1].doubled
                    or prev_role in (AUTHOR, LABEL)
                )
                current = _Body([], boundary=MARKED if marked else HEADLINE_ONLY)
                bodies.append(current)
                line.para_start = True
            current.lines.append(line)
            if line.byline or line.jump_out:
                current.closed, current.closed_by = True, MARKED
        elif role in (CREDIT, BYLINE):
            if current is not None and not current.closed and current.lines:
                current.credit.append(line)
                current.closed, current.closed_by = True, MARKED
                if role == CREDIT:
                    current.kind = "photo"
            else:
                residue.append(Residue(line.text, (line.start, line.end), f"orphan {role}"))
        elif role == JUMP:
            current = _Body([], kind="continuation", jump=line, boundary=MARKED)
            bodies.append(current)
        elif role in (HEAD, SUBTITLE, AUTHOR):
            if groups and prev_role in (HEAD, SUBTITLE, AUTHOR):
                groups[-1].append(line)
            else:
                groups.append([line])
            if current is not None and not current.closed:
                current.closed, current.closed_by = True, HEADLINE_ONLY
        elif role in (LABEL, FURNITURE):
            reason = "section label" if role == LABEL else "page furniture"
            residue.append(Residue(line.text, (line.start, line.end), reason))
            if current is not None:
                current.closed, current.closed_by = True, MARKED
        prev_role = role
    for body in [b for b in bodies if not b.lines]:
        # a continuation marker with no text after it
        residue.append(Residue(body.jump.text, (body.jump.start, body.jump.end), "empty jump"))
        bodies.remove(body)
    for body in [b for b in bodies if not any(c in TERMINAL + SENTENCE_PUNCT for c in b.text())]:
        # words without a single sentence (a table of contents, a list of names): no article
        for ln in ([body.jump] if body.jump else []) + body.lines + body.credit:
            residue.append(Residue(ln.text, (ln.start, ln.end), "text without sentences"))
        bodies.remove(body)
    return bodies, groups


def opens_report(text: str, named: bool = False) -> bool:
    """True if a line opens like a report's lead: when and a committee (6月5日，县政协…), or,
    if ``named``, a committee named with its place (清水县政协…). A reporter's name in
    brackets may stand first ((王立新)近日，…)."""
    m = _LEAD.match(_LEADING_NOTE.sub("", text))
    return bool(m and (named or m["who"]))


def cut_at_leads(bodies: list[_Body]) -> list[_Body]:
    """Cut a body where, after a sentence end, a line opens like a new report's lead."""
    out: list[_Body] = []
    for body in bodies:
        piece = body
        out.append(piece)
        lines = body.lines
        for k in range(1, len(lines)):
            prev, line = lines[k - 1], lines[k]
            if not (ends_sentence(prev.text) and opens_report(_with_next(lines, k))):
                continue
            if line.doubled != prev.doubled:
                continue
            cut = k - (len(lines) - len(piece.lines))
            rest = _Body(
                piece.lines[cut:],
                closed=piece.closed,
                cut_at_lead=True,
                lead_para_start=line.para_start,
                boundary=LEAD,
            )
            rest.credit, piece.credit = piece.credit, []
            if rest.credit and piece.kind == "photo":
                rest.kind, piece.kind = "photo", "article"
            piece.lines = piece.lines[:cut]
            line.para_start = True
            out.append(rest)
            piece = rest
    return out


def _lead_text(lines: list[Line]) -> str:
    """The first ``LEAD_CHARS`` characters of a text."""
    lead = ""
    for ln in lines:
        lead += ln.text
        if len(lead) >= LEAD_CHARS:
            break
    return lead[:LEAD_CHARS]


def rejoin_headless(bodies: list[_Body], matcher: _Matcher) -> list[_Body]:
    """Undo a cut at a lead when a side is left without a headline: a report has one (a
    continuation excepted), so that lead was a paragraph of a neighbouring piece. A headless
    piece goes with the next piece when that one was also cut at a lead and its headline is
    printed below it and fits this piece's lead better than its own (the report starts at
    the first lead), else with the piece before."""
    forward: list[_Body] = []
    for k, body in enumerate(bodies):
        nxt = bodies[k + 1] if k + 1 < len(bodies) else None
        if (
            body.cut_at_lead
            and body.unit is None
            and nxt is not None
            and nxt.cut_at_lead
            and nxt.unit is not None
            and nxt.unit.first > nxt.last
            # and its headline fits this piece's lead better than its own
            and matcher.fit(head_text(nxt.unit), _lead_text(body.lines))
            > matcher.fit(head_text(nxt.unit), _lead_text(nxt.lines))
        ):
            # the next piece starts at this piece's lead instead
            nxt.lines[0].para_start = nxt.lead_para_start
            nxt.lines[:0] = body.lines
            nxt.lead_para_start = body.lead_para_start
            continue
        forward.append(body)
    out: list[_Body] = []
    for body in forward:
        prev = out[-1] if out else None
        if (
            body.cut_at_lead
            and prev is not None
            and (body.unit is None or (prev.unit is None and prev.kind != "continuation"))
        ):
            body.lines[0].para_start = body.lead_para_start
            # a lead kept inside an article: most often a paragraph of the same report,
            # sometimes a report whose headline was lost (``foreign_lead`` tells them apart)
            prev.lines.extend(body.lines)
            prev.credit.extend(body.credit)
            if body.kind == "photo":
                prev.kind = "photo"
            prev.unit = prev.unit or body.unit
            continue
        out.append(body)
    return out


# ---------------------------------------------------------------------- headlines


def _bigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


class _Matcher:
    """Scores how well a headline fits a body: shared rare bigrams, plus a bonus for nearness.

    Only bodies within ``MAX_HEADLINE_REACH`` bodies of a headline are scored, so matching
    costs the same per headline on a page of any length.
    """

    def __init__(self, bodies: list[_Body]):
        self.bodies = bodies
        self.grams = [_bigrams(b.text()) for b in bodies]
        df = Counter(g for grams in self.grams for g in grams)
        n = len(bodies)
        self.idf = lambda g: math.log((1 + n) / (1 + df.get(g, 0))) + IDF_FLOOR
        self.spans = [(b.first, b.last) for b in bodies]
        # bodies are cut in reading order and do not overlap: sorted ends allow bisection
        self.firsts = sorted(f for f, _ in self.spans)
        self.lasts = sorted(la for _, la in self.spans)
        self._weights: dict[str, dict[str, float]] = {}

    def containment(self, text: str, b: int) -> float:
        """Share of the headline's (IDF-weighted) bigrams that body b also prints."""
        weights = self._weights.get(text)
        if weights is None:
            weights = self._weights[text] = {g: self.idf(g) for g in _bigrams(text)}
        if not weights:
            return 0.0
        body = self.grams[b]
        return sum(w for g, w in weights.items() if g in body) / sum(weights.values())

    def fit(self, headline: str, text: str) -> float:
        """Share of the headline's (IDF-weighted) bigrams that ``text`` prints."""
        weights = {g: self.idf(g) for g in _bigrams(headline)}
        if not weights:
            return 0.0
        grams = _bigrams(text)
        return sum(w for g, w in weights.items() if g in grams) / sum(weights.values())

    def adjacent(self, unit: _Unit, b: int) -> bool:
        """True if no other body starts or ends between the headline and body b."""
        first, last = self.spans[b]
        lo, hi = (unit.last, first) if unit.last < first else (last, unit.first)
        # body firsts in (lo, hi] and lasts in [lo, hi), not counting body b's own
        starts = bisect.bisect_right(self.firsts, hi) - bisect.bisect_right(self.firsts, lo)
        ends = bisect.bisect_left(self.lasts, hi) - bisect.bisect_left(self.lasts, lo)
        starts -= lo < first <= hi
        ends -= lo <= last < hi
        return starts == 0 and ends == 0

    def candidates(self, unit: _Unit) -> range:
        """Bodies near enough to the headline to be its article."""
        at = bisect.bisect_left(self.firsts, unit.first)
        return range(
            max(0, at - MAX_HEADLINE_REACH), min(len(self.bodies), at + MAX_HEADLINE_REACH)
        )

    def score(self, unit: _Unit, b: int) -> float:
        """How well the headline fits body b (0 for a continuation or a distant weak match)."""
        if self.bodies[b].kind == "continuation":
            return 0.0
        match = self.containment(unit.text(), b)
        if self.adjacent(unit, b):
            return match + ADJACENT_BONUS
        return match if match >= MIN_DISTANT_MATCH else 0.0

    def best(self, unit: _Unit) -> tuple[float, int]:
        """The best score among nearby bodies and that body's number (-1 if none)."""
        if not self.bodies:
            return 0.0, -1
        return max((self.score(unit, b), b) for b in self.candidates(unit))


def headline_units(groups: list[list[Line]], matcher: _Matcher) -> list[_Unit]:
    """Cut headline groups into headlines: after author lines, and where two headlines meet."""
    units: list[_Unit] = []
    for group in groups:
        block: list[Line] = []
        blocks = []
        for k, line in enumerate(group):
            block.append(line)
            nxt = group[k + 1] if k + 1 < len(group) else None
            # an author line ends a headline, and so does a subtitle that a headline follows
            if line.role == AUTHOR or (
                line.role == SUBTITLE and nxt is not None and nxt.role == HEAD
            ):
                blocks.append(block)
                block = []
        if block:
            blocks.append(block)
        for block in blocks:
            heads = [ln for ln in block if ln.role == HEAD]
            extras = [ln for ln in block if ln.role != HEAD]
            units.extend(_split_block(heads, extras, matcher))
    return units


def _split_block(heads: list[Line], extras: list[Line], matcher: _Matcher) -> list[_Unit]:
    """Split a block in two when its head fits the body before it and its tail the one after."""
    whole = _Unit(heads, extras)
    if len(heads) < 2:
        return [whole]
    # the bodies just before and just after the block (bodies are in reading order)
    nxt = bisect.bisect_right(matcher.firsts, whole.last)
    prev = bisect.bisect_left(matcher.lasts, whole.first) - 1
    if prev < 0 or nxt >= len(matcher.bodies):
        return [whole]
    whole_score, _ = matcher.best(whole)
    best_split, best_gain = None, MIN_SPLIT_GAIN
    for k in range(1, len(heads)):
        if heads[k - 1].text.endswith(KICKER_ENDS):
            continue  # a kicker (陇南市政协) is printed with the headline after it
        a, b = _Unit(heads[:k], []), _Unit(heads[k:], extras)
        (sa, ba), (sb, bb) = matcher.best(a), matcher.best(b)
        # a line that opens with a named committee opens a headline of its own: the parts
        # need only fit their sides
        at_committee = bool(_OPENS_COMMITTEE.match(heads[k].text))
        need = MIN_SPLIT_FIT_AT_COMMITTEE if at_committee else MIN_SPLIT_FIT
        if (ba, bb) != (prev, nxt) or min(sa, sb) < need:
            continue
        gain = (sa + sb) / 2 - whole_score + (MIN_SPLIT_GAIN if at_committee else 0.0)
        if gain > best_gain:
            best_split, best_gain = (a, b), gain
    return list(best_split) if best_split else [whole]


def assign_headlines(units: list[_Unit], matcher: _Matcher) -> list[_Unit]:
    """Give each body at most one headline, best fits first; return the units left over."""
    pairs = sorted(
        (
            (matcher.score(u, b), -abs(u.first - matcher.bodies[b].first), ui, b)
            for ui, u in enumerate(units)
            for b in matcher.candidates(u)
        ),
        reverse=True,
    )
    used_units: set[int] = set()
    for score, _, ui, b in pairs:
        if score < MIN_ADJACENT_SCORE:
            break
        body = matcher.bodies[b]
        if ui in used_units or body.unit is not None:
            continue
        body.unit = units[ui]
        used_units.add(ui)
    return [u for ui, u in enumerate(units) if ui not in used_units]


def head_text(unit: _Unit) -> str:
    """The headline lines' text of a unit."""
    return "".join(ln.text for ln in unit.heads)


def place_leftover_headlines(
    units: list[_Unit], bodies: list[_Body], matcher: _Matcher
) -> tuple[list[_Body], list[_Unit]]:
    """A headline left over next to an article whose own headline stands on its other side
    (or next to a continuation) heads part of that text: two reports ran together with
    nothing printed between them. Cut the text where each headline fits its part best; return
    the bodies and the headlines still left over."""
    left: list[_Unit] = []
    for unit in units:
        firsts = [b.first for b in bodies]
        at = bisect.bisect_left(firsts, unit.first)  # bodies[at] is the first after the unit
        prev = bodies[at - 1] if at > 0 and bodies[at - 1].last < unit.first else None
        nxt = bodies[at] if at < len(bodies) else None
        done = False
        if prev is not None and (
            prev.kind == "continuation" or (prev.unit and prev.unit.last < prev.first)
        ):
            done = _cut_for(unit, prev, at - 1, bodies, matcher, unit_after=True)
        if not done and nxt is not None and nxt.unit and nxt.unit.first > nxt.last:
            done = _cut_for(unit, nxt, at, bodies, matcher, unit_after=False)
        if not done:
            left.append(unit)
    return bodies, left


def _cut_for(
    unit: _Unit, body: _Body, b: int, bodies: list[_Body], matcher: _Matcher, unit_after: bool
) -> bool:
    """Cut ``body`` in two where the second report's lead opens, and give ``unit`` the part on
    its side (the tail when it stands after the body). A lead repeats its headline's words:
    the cut is the sentence start whose next ``LEAD_CHARS`` characters fit the second part's
    headline best."""
    lines = body.lines
    second = unit.text() if unit_after else (head_text(body.unit) if body.unit else "")
    best, best_k = MIN_LEAD_FIT, 0
    for k in range(1, len(lines)):
        if not (lines[k].para_start or ends_sentence(lines[k - 1].text)):
            continue
        if lines[k].doubled != lines[k - 1].doubled:
            continue
        score = matcher.fit(second, _lead_text(lines[k:]))
        if score > best:
            best, best_k = score, k
    if not best_k:
        return False
    tail = _Body(lines[best_k:], closed=body.closed, boundary=GUESSED)
    tail.credit, body.credit = body.credit, []
    if tail.credit and body.kind == "photo":
        tail.kind, body.kind = "photo", "article"
    body.lines = lines[:best_k]
    lines[best_k].para_start = True
    if unit_after:
        tail.unit = unit
    else:
        tail.unit, body.unit = body.unit, unit
    bodies.insert(b + 1, tail)
    return True


def merge_subheads(bodies: list[_Body]) -> list[_Body]:
    """Fold a body that follows an in-article subhead back into the article it continues."""
    merged: list[_Body] = []
    for body in bodies:
        prev = merged[-1] if merged else None
        unit = body.unit
        if (
            prev is not None
            and unit is not None
            and len(unit.heads) == 1
            and not unit.extras
            and unit.first > prev.last
            and unit.last < body.first
            and not body.lines[0].dateline
            # a subhead names no committee, and the text after it does not open a report
            and "政协" not in head_text(unit)
            and not opens_report(_with_next(body.lines, 0), named=True)
            and body.kind == "article"
            and not prev.credit
            and not prev.closed_by_byline
            and prev.lines[-1].doubled == body.lines[0].doubled
            and (prev.kind == "continuation" or (prev.unit and prev.unit.last < prev.first))
        ):
            head = unit.heads[0]
            head.para_start = True
            prev.subheads.append(head)
            prev.lines.extend([head] + body.lines)
            prev.credit.extend(body.credit)
            prev.closed_by_byline = any(ln.byline for ln in body.lines)
            continue
        body.closed_by_byline = any(ln.byline for ln in body.lines)
        merged.append(body)
    return merged


# ---------------------------------------------------------------------- articles


def _paragraph_texts(body: _Body) -> list[str]:
    paras: list[list[str]] = []
    for i, line in enumerate(body.lines):
        text = line.text
        if line.dateline:
            text = text[len(line.dateline) :]
        if line.jump_out and text.endswith(line.jump_out):
            text = text[: -len(line.jump_out)]
        if line.byline and text.endswith(line.byline):
            text = text[: -len(line.byline)]
        text = text.strip()
        if i == 0 or line.para_start or line in body.subheads:
            paras.append([])
        paras[-1].append(text)
    return [p for p in (join_lines(p) for p in paras) if p]


def _span(lines: list[Line]) -> tuple[int, int]:
    return (min(ln.start for ln in lines), max(ln.end for ln in lines))


# A committee named with its place (清水县政协, 天水市麦积区政协): a report's locality.
_PLACE_COMMITTEE = re.compile(r"([\u4e00-\u9fff]{1,10}?(?:省|市|州|县|区|旗|盟))政协")
_DAY = re.compile(r"\d{1,2}月\d{1,2}日")


def _same_place(a: str, b: str) -> bool:
    """True if two places as printed may be one (天水市麦积区 / 麦积区; 清水县 / 清水县)."""
    return a.endswith(b) or b.endswith(a)


def foreign_lead(body: _Body) -> bool:
    """True if a sentence inside the body opens like another report's lead: when and a
    committee of a place that neither the headline nor the body's own lead names (a change of
    locality, as when a Gansu county's report runs into another county's), or of a day other
    than the one the body's own lead gives."""
    lines = body.lines
    # the body's own lead: its first sentence
    own_text = (head_text(body.unit) if body.unit else "") + re.split(
        r"[。！？!?]", _lead_text(lines), maxsplit=1
    )[0]
    own = _PLACE_COMMITTEE.findall(own_text)
    for k in range(1, len(lines)):
        if not (lines[k].para_start or ends_sentence(lines[k - 1].text)):
            continue
        lead = _LEADING_NOTE.sub("", _with_next(lines, k))
        m = _LEAD.match(lead)
        if not (m and m["who"]):
            continue
        place = _PLACE_COMMITTEE.search(m["who"])
        if place and not any(_same_place(place[1], p) for p in own):
            return True
        # or of another day: a report's later paragraphs do not open with a new date and a
        # committee
        day, other_day = _DAY.match(_lead_text(lines)), _DAY.match(lead)
        if day and other_day and day[0] != other_day[0]:
            return True
    return False


# A report's lead prints at least half its headline's words (by IDF weight) for 90% of
# reports; another report's paragraph prints more than a quarter for 1% of pairs.
LEAD_FIT = 0.5
OTHER_REPORT_FIT = 0.25


def headline_fits_later(body: _Body, matcher: _Matcher) -> bool:
    """True if the body's headline fits a later sentence start as a lead and its own opening
    as another report's paragraph: the article holds the end of one report and then the
    report its headline belongs to."""
    return _late_lead(body, matcher) > 0


def _late_lead(body: _Body, matcher: _Matcher) -> int:
    """The line where the lead that the body's headline fits opens, if the body's own
    opening fits it as another report's paragraph would (0 if none)."""
    if body.unit is None or body.kind == "continuation":
        return 0
    head = head_text(body.unit)
    if matcher.fit(head, _lead_text(body.lines)) >= OTHER_REPORT_FIT:
        return 0
    lines = body.lines
    for k in range(1, len(lines)):
        if (lines[k].para_start or ends_sentence(lines[k - 1].text)) and matcher.fit(
            head, _lead_text(lines[k:])
        ) >= LEAD_FIT:
            return k
    return 0


def to_article(body: _Body) -> Article:
    """Assemble the printed fields of one article from its lines."""
    lines = body.lines
    article = Article(
        kind=body.kind, boundary=body.boundary or MARKED, merged_suspect=body.merged_suspect
    )
    first = lines[0]
    if body.jump is not None:
        article.continued_from = body.jump.text
    if first.dateline:
        article.dateline = first.dateline
        article.dateline_place = first.dateline_place
        article.reporters.extend(names_of(first.dateline_who) if first.dateline_who else [])
    bylines = []
    if body.unit is not None:
        heads = [ln.text for ln in body.unit.heads]
        article.headline = join_lines(heads)
        subs = [ln.text.lstrip("—－-") for ln in body.unit.extras if ln.role == SUBTITLE]
        article.subheadline = join_lines(subs)
        for ln in body.unit.extras:
            if ln.role == AUTHOR:
                bylines.append(" ".join(ln.halved.split()))
                article.reporters.extend(names_of(ln.byline_who))
        article.headline_span = _span(body.unit.heads + body.unit.extras)
    for ln in lines + body.credit:
        if ln.byline and ln.role != BYLINE:
            bylines.append(ln.byline_printed)
        if ln.role in (BYLINE, CREDIT):
            bylines.append(" ".join(ln.halved.split()))
        if ln.byline_who:
            article.reporters.extend(names_of(ln.byline_who))
        if ln.jump_out:
            article.continued_on = ln.jump_out
    article.byline = " ".join(bylines)
    article.reporters = list(dict.fromkeys(article.reporters))
    article.subheads = [join_lines([h.text]) for h in body.subheads]
    article.body = "\n".join(_paragraph_texts(body))
    span_lines = lines + body.credit + ([body.jump] if body.jump else [])
    article.span = _span(span_lines)
    return article


def split_articles(text: str, source: str = "") -> Page:
    """Split a page's text into articles and residue (no dates; see ``parse_page``)."""
    lines = page_lines(text)
    assign_roles(lines)
    mark_headlines(lines)
    mark_labels(lines)
    residue: list[Residue] = []
    bodies, groups = build_bodies(lines, residue)
    bodies = cut_at_leads(bodies)
    matcher = _Matcher(bodies)
    units = headline_units(groups, matcher)
    bodies, left = place_leftover_headlines(assign_headlines(units, matcher), bodies, matcher)
    for unit in left:
        for ln in unit.heads + unit.extras:
            residue.append(Residue(ln.text, (ln.start, ln.end), "headline without article"))
    bodies = rejoin_headless(bodies, matcher)
    bodies = merge_subheads(bodies)
    for body in bodies:
        body.merged_suspect = foreign_lead(body) or headline_fits_later(body, matcher)
    articles = [to_article(b) for b in bodies]
    residue.sort(key=lambda r: r.span)
    return Page(source=source, articles=articles, residue=residue)


def parse_page(text: str, source: str = "") -> Page:
    """Parse one page's text: articles with their fields and dates, and the page's residue."""
    from .dates import event_date, page_year
    from .read import parse_page_name

    name = parse_page_name(source) if source else None
    issue_date = name.issue_date if name else None
    page = split_articles(text, source)
    page.year = issue_date.year if issue_date is not None else page_year(text)
    for article in page.articles:
        article.event_date, article.event_date_text = event_date(
            article.body, page.year, issue_date
        )
    return page
