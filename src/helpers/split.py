"""Step 3 of the flow: split one page's text into articles and residue.

Takes the decoded text of a page (``str``) and returns a ``Page``: its ``articles`` (reports,
photo items and continuations from another page) and its ``residue`` (section labels and any
piece that belongs to no article). Every non-blank character of the page ends up in exactly one
article field (dateline, headline, subheadline, body, byline, continuation marker) or in the
residue.

How a page is read (see README "Parsing rules"):

1. Lines: every non-blank line is one printed column line. Doubled bold lines are halved,
   justification spaces dropped.
2. Roles: datelines (本报X讯), end bylines (（刘绍周）), photo credits (邵文学 摄影报道),
   author lines (□ 通讯员黄志权), subtitles (——…), continuation markers (（接一版）).
3. Paragraphs end at a line that is shorter than its column and ends a sentence.
4. Headlines: a short run of lines with no sentence punctuation that ends before a boundary,
   lines clearly shorter than their column at the head of a paragraph, and two-phrase subheads.
5. Bodies: runs of prose, cut at datelines, after bylines and credits, and at headlines.
6. Headlines go to bodies by what they say (IDF-weighted character bigrams shared with the
   body), with a bonus for standing next to it, one headline per body: headlines printed
   after, before or far from their article all find it.
"""

from __future__ import annotations

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
TERMINAL = "。！？…；!?"
CLOSERS = "”’」』）)"
# Headlines carry no commas or full stops; prose lines almost always do within a few lines.
SENTENCE_PUNCT = "，。；"
STRICT_PUNCT = "，。；、！？"
# A headline line at the head of a paragraph is clearly shorter than the column.
HEAD_WIDTH_SHARE = 0.75
# A section label (栏目) standing before a continuation marker is a short line.
MAX_LABEL_WIDTH = 8
KICKER_ENDS = ("政协", "委员会")
MIN_INDENTED_LINES = 3
# Two headlines of two lines each can stand between two articles.
MAX_HEADLINE_LINES = 4
ADJACENT_BONUS = 0.3
MIN_ADJACENT_SCORE = 0.3
MIN_DISTANT_MATCH = 0.5

_NAME = r"[\u4e00-\u9fff·]{1,4}"
_NAMES = rf"{_NAME}(?:[\s、，,]+{_NAME}){{0,5}}"
_ROLE = r"(?:本报|特约|见习)?(?:记者|通讯员|实习生|摄影记者)"
_DATELINE = re.compile(
    r"^\s*本\s*报\s*(?P<place>(?:[\u4e00-\u9fff]\s*){0,8}?)讯"
    r"\s*(?:[（(](?P<who>[^（）()]{1,40})[）)])?"
)
_BYLINE_SUFFIX = re.compile(rf"[（(]\s*(?P<who>(?:{_ROLE}\s*)?{_NAMES})\s*[）)]\s*$")
_CREDIT = re.compile(
    rf"^\s*(?:{_ROLE}\s*)?(?P<who>{_NAMES})\s*(?:摄影报道|摄影|摄)\s*$"
    rf"|^\s*(?:图|摄影|图片|图文)\s*[/:：]\s*(?:{_ROLE}\s*)?(?P<who2>{_NAMES})\s*$"
)
_AUTHOR = re.compile(
    rf"^\s*[□■◇◆●○]\s*(?:{_ROLE}\s*)?(?P<who>{_NAMES})\s*$"
    rf"|^\s*{_ROLE}\s*(?P<who2>{_NAMES})\s*$"
)
_SUBTITLE = re.compile(r"^\s*(?:——|—|－－|--)")
# Page furniture: the paper's name, the issue date, page numbers, editors' credits.
_FURNITURE = re.compile(
    r"^(?:(?:责任编辑|责编|编辑|美编|校对|版式|版式设计|审核|审校|组版|排版)[:：].*"
    r"|(?:19|20)\d\d年\d{1,2}月\d{1,2}日(?:星期[一二三四五六日天])?"
    r"|第?[0-9０-９一二三四五六七八九十]{1,2}版|星期[一二三四五六日天]"
    r"|[\u4e00-\u9fff]{2,8}报(?:社)?(?:电子版)?|(?:电话|传真|邮编|E-?mail|邮箱)[:：].*)$",
    re.I,
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
            line.indented = bool(_INDENT.match(raw_line))
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
        line.width = display_width(line.text) + (2 if line.indented else 0)
    return lines


_BYLINE_OPEN = re.compile(r"[（(][\u4e00-\u9fff·\s]{0,8}$")
_BYLINE_CLOSE = re.compile(r"^[\u4e00-\u9fff·\s]{1,8}[）)]$")
_DATELINE_OPEN = re.compile(r"^\s*本\s*报[^（）()]{0,12}讯\s*[（(][^（）()]{0,12}$")
_DATELINE_CLOSE = re.compile(r"^[^（）()]{0,12}[）)]")


def _join_split_bylines(lines: list[Line]) -> list[Line]:
    """Rejoin a byline or dateline that the column cut in two (…交流。（刘 / 绍周）)."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and (
            (_BYLINE_OPEN.search(prev.raw) and _BYLINE_CLOSE.match(line.raw))
            or (_DATELINE_OPEN.match(prev.raw) and _DATELINE_CLOSE.match(line.raw))
        ):
            joined = prev.raw + line.raw
            out[-1] = Line(prev.no, prev.start, line.end, joined, joined, "", False)
            continue
        out.append(
            Line(
                len(out),
                line.start,
                line.end,
                line.raw,
                line.halved,
                "",
                False,
                indented=line.indented,
            )
        )
    return out


def names_of(who: str) -> list[str]:
    """Personal names in a byline: role words dropped, print-spaced two-char names rejoined."""
    tokens = [t for t in re.split(r"[\s、，,]+", _ROLE_WORDS.sub(" ", who)) if t]
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


def ends_sentence(text: str) -> bool:
    """True if ``text`` ends a sentence (。！？… or a closing quote after one)."""
    text = text.rstrip()
    if not text:
        return False
    if text[-1] in TERMINAL:
        return True
    return len(text) > 1 and text[-1] in CLOSERS and text[-2] in TERMINAL


def assign_roles(lines: list[Line]) -> None:
    """Mark datelines, bylines, credits, author lines, subtitles and continuation markers."""
    for line in lines:
        h = line.halved
        if _FURNITURE.match(line.text):
            line.role = FURNITURE
        elif _JUMP.match(h):
            line.role = JUMP
        elif _SUBTITLE.match(h):
            line.role = SUBTITLE
        elif (m := _CREDIT.match(h)) and _names_ok(m["who"] or m["who2"]):
            line.role = CREDIT
            line.byline_who = m["who"] or m["who2"]
        elif (m := _AUTHOR.match(h)) and _names_ok(m["who"] or m["who2"]):
            line.role = AUTHOR
            line.byline_who = m["who"] or m["who2"]
        elif (m := _DATELINE.match(h)) and (not m["who"] or _names_ok(m["who"])):
            line.dateline = remove_justification_spaces(m.group(0).strip())
            line.dateline_place = re.sub(r"\s+", "", m["place"])
            line.dateline_who = m["who"] or ""
            if not line.text.startswith(line.dateline):
                line.dateline = ""
        if line.role != PROSE:
            continue
        if m := _JUMP_OUT.search(h):
            line.jump_out = remove_justification_spaces(m.group(0).strip())
            h = h[: m.start()]
        m = _BYLINE_SUFFIX.search(h)
        if m and _names_ok(m["who"]):
            before = h[: m.start()].strip()
            if not before or ends_sentence(before):
                line.byline = remove_justification_spaces(m.group(0).strip())
                line.byline_printed = " ".join(m.group(0).split())
                line.byline_who = m["who"]
                if not before:
                    line.role = BYLINE


# ---------------------------------------------------------------------- paragraphs


def _local_width(lines: list[Line], i: int, reach: int = 6) -> float:
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
    indents = sum(line.indented for line in lines) >= MIN_INDENTED_LINES
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
        short = not indents and line.width <= _local_width(lines, i) - 0.5
        if line.byline or line.jump_out or (ends_sentence(line.text) and short):
            paras.append(current)
            current = []
    if current:
        paras.append(current)
    return paras


def _sentence_runs(para: list[Line]) -> list[list[Line]]:
    """Cut a paragraph after every line that ends a sentence, whatever its width."""
    runs: list[list[Line]] = [[]]
    for line in para:
        runs[-1].append(line)
        if ends_sentence(line.text) or line.byline:
            runs.append([])
    return [r for r in runs if r]


def mark_headlines(lines: list[Line]) -> None:
    """Find headline lines among prose lines and mark paragraph starts.

    A headline can only begin where a sentence ended: at a paragraph start or after a line that
    ends a sentence (a full-width last line does not look short, so both are tried).
    """
    for para in paragraphs(lines):
        para[0].para_start = True
        widths = sorted(p.width for p in para)
        column = max(widths[int(0.75 * (len(widths) - 1))], _local_width(lines, para[0].no))
        runs = _sentence_runs(para)
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
            ):
                for p in run:
                    p.role = HEAD
                continue
            k = _short_unfinished(run, column)
            for p in run[:k]:
                p.role = HEAD
            while k < len(run) - 1:
                p = run[k]
                if p.dateline or any(c in STRICT_PUNCT for c in p.text):
                    break
                narrow = p.width <= HEAD_WIDTH_SHARE * column
                gaps = _CJK_GAP.findall(p.halved)
                # a committee's name on its own line is a kicker: the next line ends the headline
                after_kicker = k > 0 and run[k - 1].text.endswith(KICKER_ENDS)
                if not (
                    narrow
                    or after_kicker
                    or 0 < len(gaps) <= 2
                    or _COMMITTEE_HEADLINE.match(p.text)
                ):
                    break
                p.role = HEAD
                k += 1
            if k:
                run[k].para_start = True


def _short_unfinished(run: list[Line], column: float) -> int:
    """Prose never stops short of the column in mid-sentence: a clearly short line that ends
    with no punctuation, inside a run, ends a headline. Returns how many lines it takes."""
    for j, p in enumerate(run[:-1]):
        if p.dateline or any(c in SENTENCE_PUNCT for c in p.text):
            return 0
        # a run's first line may be a paragraph's, short by its indent: only later lines count
        if j and p.width <= column - 3 and not unicodedata.category(p.text[-1]).startswith("P"):
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
                current = _Body([])
                bodies.append(current)
                line.para_start = True
            current.lines.append(line)
            if line.byline or line.jump_out:
                current.closed = True
        elif role in (CREDIT, BYLINE):
            if current is not None and not current.closed and current.lines:
                current.credit.append(line)
                current.closed = True
                if role == CREDIT:
                    current.kind = "photo"
            else:
                residue.append(Residue(line.text, (line.start, line.end), f"orphan {role}"))
        elif role == JUMP:
            current = _Body([], kind="continuation", jump=line)
            bodies.append(current)
        elif role in (HEAD, SUBTITLE, AUTHOR):
            if groups and prev_role in (HEAD, SUBTITLE, AUTHOR):
                groups[-1].append(line)
            else:
                groups.append([line])
            if current is not None:
                current.closed = True
        elif role in (LABEL, FURNITURE):
            reason = "section label" if role == LABEL else "page furniture"
            residue.append(Residue(line.text, (line.start, line.end), reason))
            if current is not None:
                current.closed = True
        prev_role = role
    for body in [b for b in bodies if not b.lines]:
        # a continuation marker with no text after it
        residue.append(Residue(body.jump.text, (body.jump.start, body.jump.end), "empty jump"))
        bodies.remove(body)
    for body in [b for b in bodies if not any(c in "。！？，；" for c in b.text())]:
        # words without a single sentence (a table of contents, a list of names): no article
        for ln in ([body.jump] if body.jump else []) + body.lines + body.credit:
            residue.append(Residue(ln.text, (ln.start, ln.end), "text without sentences"))
        bodies.remove(body)
    return bodies, groups


# ---------------------------------------------------------------------- headlines


def _bigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


class _Matcher:
    """Scores how well a headline fits a body: shared rare bigrams, plus a bonus for nearness."""

    def __init__(self, bodies: list[_Body]):
        self.bodies = bodies
        self.grams = [_bigrams(b.text()) for b in bodies]
        df = Counter(g for grams in self.grams for g in grams)
        n = len(bodies)
        self.idf = lambda g: math.log((1 + n) / (1 + df.get(g, 0))) + 0.1
        self.spans = [(b.first, b.last) for b in bodies]
        self._weights: dict[str, dict[str, float]] = {}

    def containment(self, text: str, b: int) -> float:
        weights = self._weights.get(text)
        if weights is None:
            weights = self._weights[text] = {g: self.idf(g) for g in _bigrams(text)}
        if not weights:
            return 0.0
        body = self.grams[b]
        return sum(w for g, w in weights.items() if g in body) / sum(weights.values())

    def adjacent(self, unit: _Unit, b: int) -> bool:
        first, last = self.spans[b]
        lo, hi = (unit.last, first) if unit.last < first else (last, unit.first)
        return not any(
            lo < f <= hi or lo <= la < hi for k, (f, la) in enumerate(self.spans) if k != b
        )

    def score(self, unit: _Unit, b: int) -> float:
        if self.bodies[b].kind == "continuation":
            return 0.0
        match = self.containment(unit.text(), b)
        if self.adjacent(unit, b):
            return match + ADJACENT_BONUS
        return match if match >= MIN_DISTANT_MATCH else 0.0

    def best(self, unit: _Unit) -> tuple[float, int]:
        if not self.bodies:
            return 0.0, -1
        return max((self.score(unit, b), b) for b in range(len(self.bodies)))


def headline_units(groups: list[list[Line]], matcher: _Matcher) -> list[_Unit]:
    """Cut headline groups into headlines: after author lines, and where two headlines meet."""
    units: list[_Unit] = []
    for group in groups:
        block: list[Line] = []
        blocks = []
        for line in group:
            block.append(line)
            if line.role == AUTHOR:
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
    before = [b for b, body in enumerate(matcher.bodies) if body.last < whole.first]
    after = [b for b, body in enumerate(matcher.bodies) if body.first > whole.last]
    if not before or not after:
        return [whole]
    prev, nxt = before[-1], after[0]
    whole_score, _ = matcher.best(whole)
    best_split, best_gain = None, 0.1
    for k in range(1, len(heads)):
        a, b = _Unit(heads[:k], []), _Unit(heads[k:], extras)
        (sa, ba), (sb, bb) = matcher.best(a), matcher.best(b)
        if (ba, bb) != (prev, nxt) or min(sa, sb) < 0.45:
            continue
        gain = (sa + sb) / 2 - whole_score
        if gain > best_gain:
            best_split, best_gain = (a, b), gain
    return list(best_split) if best_split else [whole]


def assign_headlines(units: list[_Unit], matcher: _Matcher) -> list[_Unit]:
    """Give each body at most one headline, best fits first; return the units left over."""
    pairs = sorted(
        (
            (matcher.score(u, b), -abs(u.first - matcher.bodies[b].first), ui, b)
            for ui, u in enumerate(units)
            for b in range(len(matcher.bodies))
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


def to_article(body: _Body) -> Article:
    """Assemble the printed fields of one article from its lines."""
    lines = body.lines
    article = Article(kind=body.kind)
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
    matcher = _Matcher(bodies)
    units = headline_units(groups, matcher)
    for unit in assign_headlines(units, matcher):
        for ln in unit.heads + unit.extras:
            residue.append(Residue(ln.text, (ln.start, ln.end), "headline without article"))
    bodies = merge_subheads(bodies)
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
