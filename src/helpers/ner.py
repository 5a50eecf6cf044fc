"""Personal names (人名) and the places People's Daily marks: the one recognizer behind the
``persons`` column and ``helpers.entities``.

Takes a text and its jieba tokens (``Tagger.tokens``) and returns ``Person`` spans, each with
the title that introduced it (``政协主席``) and where that title starts. A name is a surname
(``surnames.txt``: the 百家姓 and compound surnames) and one or two characters, not a dictionary
word; it is believed where its context says it is a person:

- after a title, and every name listed after it (``副主席张三、李四、王五``); after a title and
  before punctuation, any item of 2–4 characters that holds no word (``县委书记才某某，``); a
  full name that opens a common noun (王国|珍) where a title and a follower frame it;
- before a title or a word that follows people (``马学文委员``, ``王建平主持``, ``…等政协委员``,
  ``…当选``, ``张某故居``), with the list before it (``赵红梅、刘志刚等``), and before 等 + a
  noun phrase headed by a person noun (``等困难群众``);
- after a title with 是 and a colon (``执行主席是：张三、李四``); any one-word name between a
  title and a word that follows people (``副主席秀荣一行``, ``主席向秋主持``);
- a list item that is no word, before ``为`` + title or ``等``, and the list before it
  (``王五、释宽东为常务委员``);
- every item of a list of people: three or more 、-separated items that are names by shape and
  no common word (``潘某、方某、杨某某、高某``), with the items of any origin among them
  (Tibetan names of up to six characters);
- a new word jieba's HMM built in the shape of a name, a three-character name jieba's dictionary
  tags nr (``金大中``), and national leaders (a list). These count by shape alone for
  ``helpers.entities``; the ``persons`` column takes them only where context vouches: a title
  or person noun before, a follower after, co-ordination (、和与及) with a vouched person, or
  the start of a clause before a verb, adverb or preposition (``，翁立钧都…``).

How long a name is (王建 or 王建平) is decided by what follows it: a name ends where a
punctuation mark, a function word, a title or a word that follows people begins
(``李国平等`` → 李国平, because ``等`` ends it and ``平等`` does not start there).

``PlaceRules`` applies People's Daily's conventions for places to the tagger's entity spans
(``Tagger.entities``): a place that opens an organisation's name is part of it (青岛海牛队,
美国财政部: ORG), one that opens a facility's name makes one place with it (南非国家博物馆);
known names jieba tags as persons or common words (莫斯科, 合肥: countries, regions and
time-zone cities from Babel's CLDR data, Chinese prefectures and provinces), rare words it tags
as places (西柏坡), places fused to a title or 人 (法国总理, 法国人) and pairs of one-character
country abbreviations (日|俄) are places; two generic words of the land (海洋, 山坡) are not.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import cache

# Words that follow a personal name (梁英主持, 李鹏说); they confirm a name-shaped word.
NAME_FOLLOWERS = (
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
    "当选",
    "陪同",
    "参加",
    "代表",
    # what is named after a person (张三故居, 李四墓, 王五作品集)
    "故居",
    "旧居",
    "墓",
    "纪念馆",
    "作品",
)
# After a list of names, 等 is followed by who they are (赵红梅、刘志刚等政协委员).
PEOPLE_AFTER_DENG = re.compile(
    r"等(?:\d+|[一二两三四五六七八九十]+)?(?:位|名)?(?:政协)?(?:委员|同志|人|领导|代表|干部|负责人|一行|专家)"
)
# A count of people after a list says who they are, with or without 等 (张三、李四两位委员).
PEOPLE_COUNTED = re.compile(
    r"(?:\d+|[一二两三四五六七八九十]+)(?:位|名)(?:政协)?(?:委员|同志|代表|干部|专家|老人|群众)"
)
# Characters that may stand just before a name (由张三主持, 和李四, 邀请王五).
_PUNCTUATION = "，。、；：！？（）“”《》,.;:!?()\"' \n\t\u3000"
# A verb of speech glued to the name before it (李某说：…).
# One-character verbs and conjunctions a two-character name may run into: 说, 讲, 作 (作报告),
# 率 (率队, 率调研组), 及 (杜伶|及秘书长).
SPEECH_AFTER_NAME = set("说讲作率及")
# After a person noun only a name the dictionary has (almost) never seen: jieba tags some
# common words nr (福祉 38), and 民生 ends like a person noun.
PERSON_NOUN_NAME_FREQ = 10
LEFT_BOUNDARY_CHARS = set("由和与及同请向对给让被将把是为了在") | set(_PUNCTUATION)
# Characters and words that may stand just after a name: punctuation and function words.
# 家 ends a name as its owner's home (村民马寿兰家), the longer name being tried first.
RIGHT_BOUNDARY_CHARS = set("和与及等在是为向对从到率带就也都已作家") | set(_PUNCTUATION)
# Person nouns end in these characters (党员, 会长, 残疾人, 困难户, 企业家, 讲师, 村民, 候选人):
# a name right after such a noun is that person (困难党员李红军).
PERSON_NOUN_ENDS = set("员长人户者家师生民工官士授")  # 教授
# One-character tokens that end a person noun jieba cut in two (网格|员, 脱贫|户, 创业|者).
PERSON_SUFFIX_TOKENS = set("员户者")
# A group of people ends in these: after 等 it says who the listed were (等困难群众), but no
# name follows it (让群众明白).
GROUP_NOUN_ENDS = set("众")
# Characters that never occur in a given name (和各组, 李们): function words and counters.
NOT_IN_GIVEN_NAME = set("各们的了着这那哪些每该其此及与或被把就都也还又很最所吗呢吧啊等")
NOT_IN_GIVEN_NAME |= set("个位名次年月日副")
# Characters that end no name: function words (赵和平为秘书长 is not 平为).
# and the suffixes of organisations (县民宗局 is no 宗局).
# 原 before a title is "former" (师专原党委书记), not a name's end
NOT_NAME_END = set("为在和与及是等的了原并着") | set("局委办部厅处科所站院组队团")
# Organs whose titles follow them (政协副主席, 人大副主任): no part of a name.
ORGAN_WORDS = ("政协", "人大", "党委", "政府", "纪委")
NOT_NAME_END |= set("人们个名位次年月日时些")  # counts: 70余人, 三名
NOT_NAME_END |= set("上下里内外")  # locatives (分会场线上参加); 中 ends names (王建中)
# Characters that end counts and common words jieba's HMM glues after a surname (万人, 余人).
NOT_GIVEN_NAME_END = set("人们年月日时次个名位家多余等些里后前上下中内外")
PLACE_SUFFIX_CHARS = set("县市镇村乡区省州庄屯寨")
# Forms of address that follow a surname inside one token (江主席, 陈老师).
ADDRESS_WORDS = ("主席", "总理", "书记", "老师", "同志", "先生", "女士", "师傅", "教授", "总")
# Organs written before a title (市政协 + 主席 → 政协主席).
ORGAN_BEFORE_TITLE = re.compile(r"(?:政协|党组|市委|县委|区委|州委|省委)$")
# Titles a reporter signs with: the people after them wrote the report, they are not in it.
REPORTER_TITLES = {"记者", "本报记者", "通讯员", "见习记者", "特约记者", "摄影", "摄"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ITEM_BEFORE_PUNCTUATION = re.compile(r"[\u4e00-\u9fff]{2,4}(?=[，、。；,;])")
_FUNCTION_CHARS = set("的了在和及与到赴对于等是向从至把被将为或并且也都就又去来")
# Surnames that are far more often a function word or a verb (和, 有, 于, 时, 从).
_WORDLIKE_SURNAMES = _FUNCTION_CHARS | set("有时从向于以但而却之其暨")
# jieba's tags of a surname's character that make it rather a function word: adverbs,
# prepositions, conjunctions, locatives (边|视察, 都|参加); such a surname, where jieba has seen
# the character alone at least WORDLIKE_SURNAME_FREQ times, needs a given name that is no word.
WORDLIKE_SURNAME_TAGS = ("d", "p", "c", "f")
WORDLIKE_SURNAME_FREQ = 10_000
# jieba's dictionary lists rare words (frequency below this) that are mostly fragments of names
# and places (苏定 2, 丁东 3); such a word starting at a name's first character does not stop
# the name, a common word (常态 188) does.
RARE_WORD_FREQ = 5
# A two-character word jieba's dictionary lists below this frequency is, at a surname, rather
# the start of a name (苏定|武 2, 马元|永 10) than a word: common words run to the hundreds
# (常态 188, 高度 3000+), and the name must still end where a name can end.
NAME_FRAGMENT_FREQ = 50
# A two-character word jieba's dictionary has seen this often is a word even where it is
# tagged nr (明白, 智慧, 文明): real two-character names in it are rarer (李鹏 675).
NR_WORD_FREQ = 1000
# A title may introduce its names after 是/为 and a colon (执行主席是：张三、李四).
AFTER_TITLE = re.compile(r"(?:是|为|由)[:：]?\s*|[:：]\s*")
# Longest name allowed between a title and a word that follows people (副主席秀荣一行): a name
# of any origin stands there (Mongolian and Tibetan names have no Han surname).
MAX_SANDWICHED_NAME = 4
# A surname and a two-character given name: the commonest full name, and the shape of the names
# jieba's dictionary tags nr that are names indeed (shorter nr words are often words: 高峰).
FULL_NAME_LENGTH = 3
# Characters after which a clause starts (a list's 、 is not one), and the first letters of the
# jieba tags of words that follow a clause's subject: verbs, adverbs, prepositions (鼓励, 都, 对).
CLAUSE_STARTS = set("，。；：！？,.;:!?\n")
SUBJECT_FOLLOWER_TAGS = set("vdp")
# Prepositions and adverbs that follow a clause's subject whatever word jieba makes of them.
SUBJECT_FOLLOWER_CHARS = set("在对向从把被就都也还又已")
# Separators that co-ordinate two names (张三、李四, 张三和李四).
CO_ORDINATORS = "、和与及"
# A list of people: at least this many items separated by 、 that are names by shape and no
# common dictionary word (three surname-led words jieba barely knows in a row are not chance).
MIN_NAMES_IN_LIST = 3
# jieba tags of words that end a name written in parts: verbs, adjectives, adverbs, function
# words (有幸 a).
NOT_NAME_PART_TAGS = set("vadpcurfmqt")
# Longest part of a name written in parts joined by · (买买提, 努尔兰, 尼古拉斯).
MAX_NAME_PART = 6
# Longest item of such a list (Tibetan names run to six characters: 久美曲智尖措).
MAX_LIST_ITEM = 6
_LIST_ITEM = re.compile(rf"[\u4e00-\u9fff]{{2,{MAX_LIST_ITEM}}}(?=[、，。；,;])")
# After 等, the noun phrase that says who they were: up to this many tokens (等困难|群众).
MAX_TOKENS_AFTER_DENG = 3
# How far back a title may start before a name it introduces (characters; the longest titles
# with 是 and a colon).
MAX_TITLE_REACH = 16


@dataclass
class Person:
    """One personal name in a text, with the title that introduced it (or '')."""

    name: str
    start: int
    end: int
    title: str = ""
    title_start: int = -1
    national: bool = False
    in_context: bool = True  # False: only its shape and jieba's HMM say it is a name


class PersonRecognizer:
    """Finds personal names; built once by the ``Tagger`` with its dictionaries."""

    def __init__(
        self,
        freq: dict[str, int],
        word_tags: dict[str, str],
        titles: list[str],
        surnames: set[str],
        national: set[str],
        not_names: set[str],
    ):
        self.freq = freq
        self.word_tags = word_tags
        self.titles = sorted(titles, key=len, reverse=True)
        self.title_set = set(titles)
        self.surnames = surnames
        self.national = national
        # the characters a name can open with (a surname's or a leader's first)
        self.name_initials = {name[0] for name in surnames | set(national) if name}
        # national leaders by their first character: a token is checked against its own few
        self.national_by_first: dict[str, list[str]] = {}
        for name in sorted(national, key=lambda n: (-len(n), n)):
            self.national_by_first.setdefault(name[0], []).append(name)
        self.not_names = not_names  # stopwords and place names
        self.title_re = re.compile("|".join(re.escape(t) for t in self.titles))
        followers = sorted(set(NAME_FOLLOWERS) | self.title_set, key=len, reverse=True)
        self.follower_re = re.compile("|".join(re.escape(w) for w in followers))
        titles_alt = "|".join(re.escape(t) for t in self.titles)
        # a title just before a name, perhaps with 是/为 and a colon (执行主席是：)
        self.title_before_re = re.compile(rf"(?:{titles_alt})(?:是|为)?[:：]?\s*$")
        self.appointed_re = re.compile(rf"为(?=[^，。、；,;：:]{{0,12}}?(?:{titles_alt}))")

    # ------------------------------------------------------------------ shape

    def surname_length(self, s: str) -> int:
        """Length of the surname ``s`` opens with (2 for 欧阳, 1 for 王), 0 if none."""
        if s[:2] in self.surnames:
            return 2
        return 1 if s[:1] in self.surnames else 0

    def is_name(self, s: str) -> bool:
        """A personal name's shape: a surname then one or two characters, not a dictionary word."""
        if not 2 <= len(s) <= 4 or not all(_CJK.match(c) for c in s):
            return False
        if s in self.national:
            return True
        lengths = [n for n in (2, 1) if s[:n] in self.surnames and len(s) - n in (1, 2)]
        if not lengths:
            return False
        surname = lengths[0]
        if any(c in NOT_IN_GIVEN_NAME for c in s[surname:]) or s[-1] in NOT_NAME_END:
            return False
        if any(organ in s for organ in ORGAN_WORDS):
            return False  # 原政协|副主席, 区人大|副主任: an organ before its title
        if s[surname:] in self.title_set:
            return False  # 吴|主席: a surname and a title, a form of address, no full name
        if surname == 1 and len(s) == 3 and self.modal_then_verb(s):
            return False  # 全|覆盖, 应|出席: a common word and a verb
        # a surname that is mostly a function word (和, 于, 向) needs a given name that is not a
        # word of its own (秘书长和常务委员, 和广大委员)
        if surname == 1 and self.freq.get(s[1:]) and self.wordlike_surname(s[0]):
            return False
        if s in self.title_set or s in self.not_names:
            return False
        # jieba tags frequent words nr by mistake (明白 10875, 智慧 1581); its two-character
        # names run lower (李鹏 675, 乔石 182)
        if len(s) == 2 and self.freq.get(s, 0) >= NR_WORD_FREQ:
            return False
        if s[-1] in PLACE_SUFFIX_CHARS:  # 朱村, 耿镇: places named after a family
            return False
        tag = self.word_tags.get(s)
        return tag is None or tag.startswith("nr")

    def modal_then_verb(self, cand: str) -> bool:
        """Is ``cand`` a frequent one-character word that is mostly no surname, then a verb
        jieba knows well (应|出席)? Not a name (刘|建设 is: 刘 is mostly a surname)."""
        rest = cand[1:]
        return (
            self.freq.get(cand[0], 0) >= WORDLIKE_SURNAME_FREQ
            # a verb, adjective, adverb or function word (应, 全), not a measure word (张)
            and self.word_tags.get(cand[0], "")[:1] in ("v", "a", "d", "p", "c")
            and self.word_tags.get(rest, "") in ("v", "vn")
            and self.freq.get(rest, 0) >= NAME_FRAGMENT_FREQ
        )

    def wordlike_surname(self, char: str) -> bool:
        """Is the surname ``char`` far more often a function word (和, 于, 边, 都)?"""
        return char in _WORDLIKE_SURNAMES or (
            self.word_tags.get(char, "").startswith(WORDLIKE_SURNAME_TAGS)
            and self.freq.get(char, 0) >= WORDLIKE_SURNAME_FREQ
        )

    def _right_ok(self, text: str, end: int, words: dict[int, str]) -> bool:
        """Can a name end at ``end``? Before punctuation, a function word, a title, a word that
        follows people, or a word of jieba's dictionary that starts there (冯新山|立即)."""
        if end >= len(text) or text[end] in RIGHT_BOUNDARY_CHARS:
            return True
        if self.follower_re.match(text, end) is not None:
            return True
        return end in words and text[end - 1] not in _FUNCTION_CHARS

    def _left_ok(self, text: str, start: int, token_starts: set[int]) -> bool:
        """Can a name start at ``start``? After punctuation, a function word or a word's end."""
        if start and text[start - 1].isdigit():
            return False  # 70余人: a count, not a name
        return start == 0 or text[start - 1] in LEFT_BOUNDARY_CHARS or start in token_starts

    def name_from(self, text: str, start: int, words: dict[int, str]) -> int:
        """End of a name that starts at ``start`` and ends where a name can end, or 0."""
        if self._opens_word(start, words):
            return 0
        for length in (4, 3, 2):
            cand = text[start : start + length]
            if len(cand) < length or self.surname_length(cand) + 2 < length:
                continue
            if self.is_name(cand) and self._right_ok(text, start + length, words):
                # 李妮|说, 马林|作报告: a one-character verb of speech after a shorter name is no
                # given name; nor a character that opens a conjunction (刘明|以及)
                joined = text[start + length - 1 : start + length + 1]
                if (
                    length > 2
                    and (
                        cand[-1] in SPEECH_AFTER_NAME
                        or self.word_tags.get(joined, "").startswith("c")
                    )
                    and self.is_name(cand[:-1])
                    and not self.freq.get(cand)
                ):
                    return start + length - 1
                return start + length
        return 0

    def _opens_word(self, start: int, words: dict[int, str]) -> bool:
        """Does a dictionary word other than a name start here (常态|化, 包抓)? Then no name
        does: jieba's dictionary knows the surname's character as part of a common word."""
        word = words.get(start, "")
        if not word or word in self.surnames:  # 欧阳 is a word and a surname
            return False
        if len(word) == 2 and self.freq.get(word, 0) < NAME_FRAGMENT_FREQ:
            return False  # a rare fragment (苏定|武), not a word that runs past the name
        return not self.word_tags.get(word, "").startswith("nr")

    def name_before(
        self, text: str, end: int, token_starts: set[int], words: dict[int, str]
    ) -> int:
        """Start of a name that ends at ``end`` and starts where a name can start, or -1."""
        for length in (4, 3, 2):
            start = end - length
            cand = text[max(start, 0) : end]
            if start < 0 or self.surname_length(cand) + 2 < length:
                continue
            if self._opens_word(start, words):
                continue
            if self.is_name(cand) and self._left_ok(text, start, token_starts):
                # 的有|张华: a function word before a name, not a surname (有, 和, 于)
                if self.wordlike_surname(cand[0]) and self.is_name(cand[1:]):
                    return start + 1
                return start
        return -1

    # ------------------------------------------------------------------ context

    def _title_at(self, text: str, start: int, end: int) -> tuple[str, int]:
        """The title with its organ (市政协 + 主席 → 政协主席) and where the organ starts."""
        title = text[start:end]
        organ = ORGAN_BEFORE_TITLE.search(text, max(0, start - 3), start)
        if organ is not None and organ.end() == start:
            return organ.group(0) + title, organ.start()
        return title, start

    def find(self, text: str, tokens: list[tuple[str, int, int]]) -> list[Person]:
        """Every personal name in ``text`` (tokens: its jieba tokens with offsets)."""
        token_starts = {s for _, s, _ in tokens}
        # dictionary words of two or more characters by their start (a name may end before one)
        words = {s: tok for tok, s, _ in tokens if len(tok) > 1 and self.freq.get(tok)}
        found: dict[int, Person] = {}
        token_to = {e: (tok, s) for tok, s, e in tokens}
        token_at = {s: (tok, e) for tok, s, e in tokens}

        def add(person: Person) -> bool:
            # 叶尔江|·努尔兰, 尼古拉斯·|英博登: one name in parts joined by ·
            start = self.dotted_start(text, person.start, token_to)
            end = self.dotted_end(text, person.end, token_at)
            if "·" in text[start:end]:
                # 结对认亲户|艾力·吐尔逊|家: a person noun's end before it, a noun's start after
                first = text[start:end].split("·")[0]
                if len(first) >= 3 and first[0] in PERSON_NOUN_ENDS:
                    start += 1
                if (
                    text[end - 1] in NOT_GIVEN_NAME_END
                    and len(text[start:end].split("·")[-1]) >= 3
                ):
                    end -= 1
            if (start, end) != (person.start, person.end):
                person.start, person.end, person.name = start, end, text[start:end]
            if any(p.start < person.end and person.start < p.end for p in found.values()):
                return False
            found[person.start] = person
            return True

        def listed_after(person: Person) -> None:
            """Names listed after a found one: 张三、李四和王五 (德哇仓: in a list of people, an
            item that is no word is a name whatever its surname)."""
            pos = person.end
            while pos < len(text) and text[pos] in "、和与及":
                begin = pos + 1
                while begin < len(text) and text[begin] in " \u3000":
                    begin += 1
                end = self.name_from(text, begin, words) or self.list_item(text, begin, pos)
                if not end:
                    break
                whole = _LIST_ITEM.match(text, begin)  # 贡保|扎西卓玛: the item is the name
                if whole is not None and whole.end() > end and not self.word_like(whole[0]):
                    end = whole.end()
                item = Person(text[begin:end], begin, end, person.title, person.title_start)
                add(item)
                pos = item.end

        def listed_before(person: Person) -> None:
            """Names listed before a found one: 赵红梅、刘志刚等."""
            pos = person.start
            while pos > 0 and text[pos - 1] == "、":
                start = self.name_before(text, pos - 1, token_starts, words)
                if start < 0:
                    start = self.list_item_before(text, pos - 1)
                if start < 0:
                    break
                add(Person(text[start : pos - 1], start, pos - 1))
                pos = start

        covering = {k: (tok, e) for tok, s, e in tokens for k in range(s, e)}

        def inside_word(m: re.Match) -> bool:
            """Is this title or follower part of a longer word (主席台, 人大常委会)?"""
            tok, tok_end = covering.get(m.end() - 1, ("", 0))
            return tok_end > m.end() and bool(self.freq.get(tok))

        # a title, then a name (and the names listed after it)
        for m in self.title_re.finditer(text):
            if inside_word(m):
                continue
            begin = m.end()
            lead = AFTER_TITLE.match(text, begin)  # 执行主席是：张三
            if lead is not None:
                begin = lead.end()
            end = self.name_from(text, begin, words)
            tok, tok_end = token_at.get(begin, ("", 0))
            if not end and self.foreign_name(tok):
                end = tok_end  # 叶利钦 after 总统
            if not end and token_at.get(begin, ("", 0))[1]:
                end = self.sandwiched(text, begin, token_at[begin][1])
            if not end:
                end = self.item_before_punctuation(text, begin)
            if not end:
                end = self.framed_full_name(text, begin)
            if not end:
                continue
            title, title_start = self._title_at(text, m.start(), m.end())
            person = Person(text[begin:end], begin, end, title, title_start)
            if add(person):
                listed_after(person)
        # a person noun, then a name (困难党员李红军, 会长陈建文, 网格|员马某某); a word the
        # dictionary knows is no name there (民生|福祉: jieba tags 福祉 nr)
        for k, (tok, _, tok_end) in enumerate(tokens):
            if self.person_noun(tok) or self.person_suffix(tokens, k):
                end = self.name_from(text, tok_end, words)
                if end and self.freq.get(text[tok_end:end], 0) >= PERSON_NOUN_NAME_FREQ:
                    continue
                if end:
                    person = Person(text[tok_end:end], tok_end, end, tok, tok_end - len(tok))
                    if add(person):
                        listed_after(person)
        # a name, then 为 and a title (选举张三为秘书长)
        for m in self.appointed_re.finditer(text):
            start = self.name_before(text, m.start(), token_starts, words)
            if start < 0:
                start = self.list_item_before(text, m.start())  # 、释宽东为常务委员
            if start >= 0:
                person = Person(text[start : m.start()], start, m.start())
                if add(person):
                    listed_before(person)
        # a name, then a title or a word that follows people (and the list before it)
        for m in self.follower_re.finditer(text):
            if inside_word(m):
                continue
            start = self.name_before(text, m.start(), token_starts, words)
            if start < 0:
                tok, tok_start = token_to.get(m.start(), ("", -1))
                if not self.foreign_name(tok) or tok in self.title_set:
                    continue
                start = tok_start  # 库马拉通加 before 总统
            title = m.group(0) if m.group(0) in self.title_set else ""
            person = Person(text[start : m.start()], start, m.start(), title, m.start())
            if add(person):
                listed_before(person)
                listed_after(person)
        for deng in self.people_after_deng(text, tokens):
            start = self.name_before(text, deng, token_starts, words)
            if start < 0:
                start = self.list_item_before(text, deng)
            if start < 0:
                start = self.clause_item_before(text, deng)
            if start >= 0:
                person = Person(text[start:deng], start, deng)
                if add(person):
                    listed_before(person)
        for start, end in self.list_of_people(text, token_starts, words):
            add(Person(text[start:end], start, end))
        # names the tokens show: national leaders, forms of address, names jieba's HMM made
        i = 0
        while i < len(tokens):
            end, used, in_context = self.name_at(tokens, i)
            if used:
                start = tokens[i][1]
                add(Person(text[start:end], start, end, in_context=in_context))
            i += max(used, 1)
        self._vouch(text, token_to, token_at, found)
        for person in found.values():
            person.national = person.name in self.national
        return sorted(found.values(), key=lambda p: p.start)

    def people_after_deng(self, text: str, tokens) -> list[int]:
        """Where a list of people ends: 等 + who they are (等政协委员, 等3人), a count of people
        (两位委员), or 等 + a noun phrase of at most ``MAX_TOKENS_AFTER_DENG`` tokens whose head,
        its last noun, is a person noun (等困难群众; not 等民生|关切, whose head is 关切)."""
        found = [m.start() for m in PEOPLE_AFTER_DENG.finditer(text)]
        found += [
            m.start()
            for m in PEOPLE_COUNTED.finditer(text)
            if text[m.start() - 1 : m.start()] != "等"
        ]
        for k, (tok, start, _) in enumerate(tokens):
            if tok != "等" or start in found:
                continue
            head = ""
            for nxt, _, _ in tokens[k + 1 : k + 1 + MAX_TOKENS_AFTER_DENG]:
                if not self.word_tags.get(nxt, "x").startswith(("n", "l", "a")):
                    break
                head = nxt
            if self.person_noun(head) or (
                head[-1:] in GROUP_NOUN_ENDS and self.word_tags.get(head, "x")[0] in "nl"
            ):
                found.append(start)
        return found

    def list_of_people(
        self, text: str, token_starts: set[int], words: dict[int, str]
    ) -> list[tuple[int, int]]:
        """Spans of the items of every list of people: items separated by 、, at least
        ``MIN_NAMES_IN_LIST`` of them (and half) names by shape that are no dictionary word
        (潘某、方某、杨某某、高某); in such a list any item that is no word is a name too."""
        separators = [k for k, c in enumerate(text) if c == "、"]
        chains: list[list[int]] = []
        for pos in separators:
            item = text[chains[-1][-1] + 1 : pos] if chains else ""
            if chains and 2 <= len(item) <= MAX_LIST_ITEM and all(_CJK.match(c) for c in item):
                chains[-1].append(pos)
            else:
                chains.append([pos])
        spans = []
        for chain in chains:
            items = list(zip((s + 1 for s in chain[:-1]), chain[1:], strict=True))
            first = self.name_before(text, chain[0], token_starts, words)
            if first >= 0:
                items.insert(0, (first, chain[0]))
            last = self.name_from(text, chain[-1] + 1, words) or self.list_item(
                text, chain[-1] + 1, chain[-1]
            )
            if last:
                items.append((chain[-1] + 1, last))
            # 马文忠 (nr 17) counts, 智慧 (nr 1581: a word jieba mistags) does not
            strong = sum(
                self.is_name(text[s:e]) and self.freq.get(text[s:e], 0) < NAME_FRAGMENT_FREQ
                for s, e in items
            )
            if strong < MIN_NAMES_IN_LIST or 2 * strong < len(items):
                continue
            if self.parallel_words([text[s:e] for s, e in items]):
                continue  # 全季节、全受众、全时段: one character and a word, again and again
            spans += [
                (s, e)
                for s, e in items
                if self.is_name(text[s:e]) or not self.word_like(text[s:e])
            ]
        return spans

    def parallel_words(self, items: list[str]) -> bool:
        """Do the items all open with one character followed by a common word (全季节、
        全受众、全时段)? A parallel phrase, not people of one surname (杨永强、杨永胜)."""
        if len(items) < MIN_NAMES_IN_LIST or len({item[0] for item in items}) > 1:
            return False
        rests = [item[1:] for item in items]
        common = sum(
            bool(self.freq.get(rest)) and not self.word_tags.get(rest, "").startswith("nr")
            for rest in rests
        )
        return 2 * common > len(items)

    def word_like(self, item: str, inside_freq: int = NAME_FRAGMENT_FREQ) -> bool:
        """Could ``item`` be anything but a name: a dictionary word (but a rare one tagged nr:
        阿依古丽), a place, a title, a word with a function character, or holding a word jieba's
        dictionary has seen at least ``inside_freq`` times (not as a name)?"""
        known_name = (
            self.word_tags.get(item, "").startswith("nr") and self.freq.get(item, 0) < NR_WORD_FREQ
        )
        if (
            (self.freq.get(item) and not known_name)
            or item in self.not_names
            or item in self.title_set
            or any(c in NOT_IN_GIVEN_NAME for c in item)
            or not all(_CJK.match(c) for c in item)
            or item[-1] in NOT_NAME_END
        ):
            return True
        # 久美 (nz) inside 久美曲智尖措: a proper name's part, not a common word
        return any(
            self.freq.get(item[i:j], 0) >= inside_freq
            and not self.word_tags.get(item[i:j], "").startswith(("nr", "nz"))
            for i in range(len(item))
            for j in range(i + 2, len(item) + 1)
        )

    def framed_full_name(self, text: str, start: int) -> int:
        """End of a full name whose surname and first given character make a common word
        (王国|珍, 王国|豪), between a title and a word that follows people (主席王国珍主持), or
        0: the frame on both sides outweighs the word."""
        end = start + FULL_NAME_LENGTH
        cand = text[start:end]
        if self.surname_length(cand) != 1 or not self.is_name(cand):
            return 0
        # the word it opens is a noun (王国 ns), not a time or a quality (周二晚, 满意地)
        if not self.word_tags.get(cand[:2], "n").startswith("n"):
            return 0
        after = self.follower_re.match(text, end)
        return end if after is not None and after.group(0) not in self.title_set else 0

    def item_before_punctuation(self, text: str, start: int) -> int:
        """End of a name of any origin right after a title and before punctuation (县委书记
        才某某，), or 0: between the two, an item of 2–4 characters that is no word is a name."""
        m = _ITEM_BEFORE_PUNCTUATION.match(text, start)
        if m is None or self.word_like(m.group(0), RARE_WORD_FREQ):
            return 0
        if m.group(0)[0] in _WORDLIKE_SURNAMES:
            return 0  # 委员之责: a function word opens no name
        return m.end()

    def person_noun(self, tok: str) -> bool:
        """Is ``tok`` a noun for a person (党员, 会长, 困难户, 企业家), or a new word of three or
        more characters with a person noun's end (传承人, jieba's HMM: a compound noun)?"""
        if len(tok) < 2 or tok[-1] not in PERSON_NOUN_ENDS:
            return False
        tag = self.word_tags.get(tok)
        if tag is None:
            return len(tok) >= 3 and all(_CJK.match(c) for c in tok)
        return tag[0] in "nl"

    def dotted_end(self, text: str, end: int, token_at: dict) -> int:
        """End of a name written in parts joined by · (叶尔江·努尔兰, 阿依古丽·买买提) that has a
        part ending at ``end``: each part is the words after the dot up to a verb, an adverb
        or a function word (买买提|出席, 马尔登|有幸), at most ``MAX_NAME_PART`` characters."""
        while end < len(text) and text[end] == "·":
            pos = end + 1
            while pos in token_at and pos - end <= MAX_NAME_PART:
                tok, tok_end = token_at[pos]
                if not all(_CJK.match(c) for c in tok) or tok_end - end - 1 > MAX_NAME_PART:
                    break
                if len(tok) == 1 and tok in RIGHT_BOUNDARY_CHARS:
                    break
                # a verb, adjective or function word ends the name (…·马尔登|有幸); a noun jieba
                # knows may be a part (买买提 n)
                if len(tok) > 1 and self.word_tags.get(tok, "n")[:1] in NOT_NAME_PART_TAGS:
                    break
                pos = tok_end
            if pos == end + 1:
                break
            end = pos
        return end

    def dotted_start(self, text: str, start: int, token_to: dict) -> int:
        """Start of a name written in parts joined by · whose last part starts at ``start``
        (尼古拉斯·|英博登): each part before is a word jieba does not know or knows as a name."""
        while start > 1 and text[start - 1] == "·":
            tok, tok_start = token_to.get(start - 1, ("", -1))
            if not 1 <= len(tok) <= MAX_NAME_PART or not all(_CJK.match(c) for c in tok):
                break
            if self.freq.get(tok) and not self.word_tags.get(tok, "").startswith("nr"):
                break
            start = tok_start
        return start

    def person_suffix(self, tokens, k: int) -> bool:
        """Is token k a person noun's suffix that jieba cut off the word before it (网格|员,
        宣讲|员, 脱贫|户): one character of ``PERSON_SUFFIX_TOKENS`` after a noun or a verb?"""
        if tokens[k][0] not in PERSON_SUFFIX_TOKENS or k == 0:
            return False
        prev = tokens[k - 1][0]
        return len(prev) >= 2 and self.word_tags.get(prev, "x")[:1] in ("n", "v")

    def sandwiched(self, text: str, start: int, token_end: int) -> int:
        """End of a name of any origin between a title and a word that follows people
        (副主席秀荣一行, 主席向秋主持), or 0: the two words on its sides say it is a name, and
        jieba reads it as one word (``token_end``: where the token at ``start`` ends; 会|成员
        are two words, no name)."""
        item = text[start:token_end]
        if not 2 <= len(item) <= MAX_SANDWICHED_NAME or not all(_CJK.match(c) for c in item):
            return 0
        rest = item[1:]
        if item[0] in _WORDLIKE_SURNAMES and any(
            self.freq.get(rest[i:j], 0) >= NAME_FRAGMENT_FREQ
            for i in range(len(rest))
            for j in range(i + 2, len(rest) + 1)
        ):
            return 0  # 副主席|在讲话中|指出: a preposition and a word (向秋 is a name)
        after = self.follower_re.match(text, token_end)
        if after is None or after.group(0) in self.title_set:
            return 0
        # 会议成员 opens with a common word: a phrase (主席会议成员带队), no name
        common = any(
            self.freq.get(item[:k], 0) >= RARE_WORD_FREQ
            and not self.word_tags.get(item[:k], "").startswith("nr")
            for k in range(2, len(item) + 1)
        )
        if (
            common
            or item in self.not_names
            or item in self.title_set
            or any(c in NOT_IN_GIVEN_NAME for c in item)
        ):
            return 0
        return token_end

    def person_context(
        self, text: str, start: int, end: int, token_to: dict, token_at: dict
    ) -> bool:
        """Does the context of ``text[start:end]`` say it is a person: a title or a person noun
        before it, or a word that follows people (说, 主持, 等委员, 为秘书长) after it?"""
        before = text[max(0, start - MAX_TITLE_REACH) : start]
        if self.title_before_re.search(before):
            return True
        tok = token_to.get(start, ("", -1))[0]
        if self.person_noun(tok):
            return True
        if any(
            pattern.match(text, end) is not None
            for pattern in (self.follower_re, PEOPLE_AFTER_DENG, self.appointed_re)
        ):
            return True
        return self.clause_subject(text, start, end, token_at)

    def clause_subject(self, text: str, start: int, end: int, token_at: dict) -> bool:
        """Is ``text[start:end]`` the subject of its clause: at the clause's start, before a
        verb, an adverb or a preposition (。陈某某鼓励…, ，张某某都…, 王某某对…)? Only for a given
        name that is no common word (高|水平推进 is a phrase, not a name)."""
        pos = start
        while pos > 0 and text[pos - 1] in " \u3000":
            pos -= 1
        if pos > 0 and text[pos - 1] not in CLAUSE_STARTS:
            return False
        if self.wordlike_surname(text[start]):  # 有一害便有一治, 但人球皆在
            return False
        given = text[start + self.surname_length(text[start:end]) : end]
        if self.freq.get(given, 0) >= NAME_FRAGMENT_FREQ:
            return False
        if text[end : end + 1] in SUBJECT_FOLLOWER_CHARS:
            return True  # 杨某某在讲话中…: jieba joins the preposition to an idiom
        tag = self.word_tags.get(token_at.get(end, ("", 0))[0], "")
        return tag[:1] in SUBJECT_FOLLOWER_TAGS and tag != "vn"

    def _vouch(self, text: str, token_to: dict, token_at: dict, found: dict) -> None:
        """Names by shape alone (jieba's HMM, its dictionary) become persons where a person's
        context vouches for them (a title before, a follower after, the start of a clause), or
        where they are co-ordinated (、, 和, 与, 及) with a person already vouched for."""
        pending = [p for p in found.values() if not p.in_context]
        changed = True
        while changed and pending:
            changed = False
            vouched = [p for p in found.values() if p.in_context]
            for person in list(pending):
                if self.person_context(text, person.start, person.end, token_to, token_at) or any(
                    self._co_ordinated(text, person, other) for other in vouched
                ):
                    pending.remove(person)
                    person.in_context = True
                    vouched.append(person)
                    changed = True

    @staticmethod
    def _co_ordinated(text: str, a: Person, b: Person) -> bool:
        """Are ``a`` and ``b`` next to each other in a list (张三、李四)?"""
        gap = text[a.end : b.start] if a.end <= b.start else text[b.end : a.start]
        return len(gap.strip(" \u3000")) == 1 and gap.strip(" \u3000") in CO_ORDINATORS

    def clause_item_before(self, text: str, end: int) -> int:
        """Start of an item of 2–4 characters that is no word, between a clause's start and
        ``end`` (。荔某等7位委员), or -1: a name of any origin, the subject before 等 + people."""
        for length in (4, 3, 2):
            start = end - length
            if start < 0 or (start and text[start - 1] not in CLAUSE_STARTS):
                continue
            if not self.word_like(text[start:end], RARE_WORD_FREQ):
                return start
        return -1

    def list_item_before(self, text: str, end: int) -> int:
        """Start of a list item of 2–4 characters that is no word, ending at ``end`` just after
        a ``、``, or -1: in a list of people (…、释宽东为常务委员) any such item is a name."""
        separator = text.rfind("、", max(0, end - 5), end)
        start = separator + 1
        item = text[start:end]
        if separator < 0 or not 2 <= len(item) <= 4 or self.word_like(item):
            return -1
        return start

    def list_item(self, text: str, start: int, separator: int) -> int:
        """End of a list item of 2–4 characters that is no word, in a list of people (after
        ``、``), or 0: names of any origin (德哇仓, 才让扎西) stand there."""
        if text[separator] != "、":
            return 0
        for length in (4, 3, 2):
            item = text[start : start + length]
            end = start + length
            if (
                len(item) == length
                and not self.word_like(item)
                and (end >= len(text) or text[end] in "、，。,;；及和·" or text[end] in "\n")
            ):
                return end
        return 0

    def foreign_name(self, tok: str) -> bool:
        """A word of three or more characters that jieba does not know or knows as a name."""
        return (
            len(tok) >= 3
            and all(_CJK.match(c) for c in tok)
            and tok not in self.not_names
            # 宣传部: a known word with an organ's suffix is no name (jieba tags some nr)
            and not (self.freq.get(tok) and tok[-1] in NOT_NAME_END)
            and (not self.freq.get(tok) or self.word_tags.get(tok, "").startswith("nr"))
            # 应邀|参加 (nr in jieba's dictionary): a name does not open with a common verb,
            # adverb or function word
            and not any(
                self.word_tags.get(tok[:k], "")[:1] in ("v", "d", "p", "c")
                and self.freq.get(tok[:k], 0) >= NAME_FRAGMENT_FREQ
                for k in (2, 3)
            )
        )

    def common_word(self, tok: str) -> bool:
        """A word jieba's dictionary has seen often, and not as a name (协商, 政协)."""
        return self.freq.get(tok, 0) >= NAME_FRAGMENT_FREQ and not self.word_tags.get(
            tok, ""
        ).startswith("nr")

    def name_at(self, tokens, i: int) -> tuple[int, int, bool]:
        """(end offset, tokens used, context or shape only) of a name the tokens show at token
        i, or (0, 0, False)."""
        tok, start, end = tokens[i]
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if nxt != "·" and tok[:1] not in self.name_initials:
            return 0, 0, False  # most tokens: no surname, no leader, no name in parts
        leader = next(
            (n for n in self.national_by_first.get(tok[:1], ()) if tok.startswith(n)), None
        )
        if leader is not None:
            return start + len(leader), 1, True
        for word in ADDRESS_WORDS if tok[0] in self.surnames else ():  # 江主席: surname + address
            if tok.endswith(word) and 1 <= len(tok) - len(word) <= 3:
                if len(tok) - len(word) == 1 or self.is_name(tok[: -len(word)]):
                    return start + len(tok) - len(word), 1, True
        if (
            nxt == "·"
            and i + 2 < len(tokens)
            and _CJK.match(tok)
            and _CJK.match(tokens[i + 2][0])
            and not self.common_word(tok)
        ):
            j = i + 2  # 尼古拉斯·英博登: a foreign name in parts
            while j + 2 < len(tokens) and tokens[j + 1][0] == "·":
                j += 2
            if not self.freq.get(tokens[j][0]):
                return tokens[j][2], j - i + 1, True
        if (
            tok in self.surnames
            and len(nxt) == 2
            and not self.freq.get(nxt)
            and self.is_name(tok + nxt)
            and nxt[-1] not in NOT_GIVEN_NAME_END
        ):
            return tokens[i + 1][2], 2, False  # 张 / 增军: a given name jieba has never seen
        if self.is_name(tok) and not self.freq.get(tok) and tok[-1] not in NOT_GIVEN_NAME_END:
            if len(tok) == FULL_NAME_LENGTH and tok[-1] in SPEECH_AFTER_NAME:
                if self.is_name(tok[:-1]):
                    return end - 1, 1, False  # 刘涛|率: the HMM joined a verb to the name
            return end, 1, False  # a new word jieba's HMM put together
        if (
            len(tok) == FULL_NAME_LENGTH
            and self.word_tags.get(tok, "").startswith("nr")
            and self.surname_length(tok) == 1
            and not self.freq.get(tok[:2])  # 宣传词, 红树林: a word then a character
            and self.is_name(tok)
        ):
            return end, 1, False  # a full name jieba's dictionary knows (金大中, 路甬祥)
        return 0, 0, False


# ---------------------------------------------------------------------- places (LOC)
#
# People's Daily marks a place inside an organisation's name as part of that organisation
# (美国财政部, 青岛海牛队: ORG, no LOC), and a named facility with its place as one place
# (香港展览中心, 德黑兰机场: LOC). jieba cuts these into a place and the words after it, so the
# tagger's place alone is wrong both ways; the words after it say which.

# Last words of an organisation's name: a body, a team, a firm, a school, a paper.
ORG_NAME_ENDS = (
    "委员会",
    "协会",
    "学会",
    "促进会",
    "联合会",
    "基金会",
    "代表团",
    "公司",
    "集团",
    "银行",
    "大学",
    "中学",
    "小学",
    "学校",
    "学院",
    "法院",
    "检察院",
    "研究院",
    "研究所",
    "社",
    "政协",
    "人大",
    "科协",
    "日报",
    "晚报",
    "足球报",
    "电视台",
    "电台",
    "部",
    "局",
    "厅",
    "署",
    "队",
    "厂",
    "党",
    "军",
    "男队",
    "女队",
    "国家队",
    "女篮",
    "男篮",
    "女排",
    "男排",
    "女足",
    "男足",
    "联",
)
# Last words of a facility's name: the facility is a place of its own (香港展览中心).
FACILITY_NAME_ENDS = (
    "中心",
    "馆",
    "大厦",
    "机场",
    "车站",
    "火车站",
    "大桥",
    "广场",
    "寺",
    "宫",
    "公园",
    "港",
    "码头",
    "体育场",
)
# How many words may stand between a place and the end of the name it opens (加拿大|海军|
# 太平洋|舰队: three): longer runs are rather a phrase than a name.
MAX_NAME_WORDS = 4
# jieba tags of the words inside such a name: nouns of every kind, abbreviations, attributes,
# numerals (北京|九十|中学); a verb, preposition, adverb or locative ends the run (新疆|北部).
NAME_WORD_TAGS = ("n", "j", "b", "m", "a", "l", "vn")  # vn: 展览|中心
# Characters of the words for a part of a place (东部, 中南部, 大部): no organisation.
DIRECTION_CHARS = set("东南西北中大全内外")
# A title fused to an organisation ends it: 美国|财政部长 is 美国财政部 and a 长.
HEAD_OF = "长"
# Common nouns after a one-character country abbreviation that make it that country: its
# government and heads (俄政府, 罗政府, 俄总统); 方 is in the tagger's own rule (中方).
GOVERNMENT_WORDS = ("政府", "当局", "总统", "总理", "首相", "外长", "议会", "国内")
# A place fused to 人 is its people (法国人, 挪威人): the place is marked.
PEOPLE_OF = "人"
# A known place's name that jieba's dictionary has seen this often with another tag is mostly
# a common word (东方 3993, 开封 1696, 日照 621); place names run lower (合肥 406, 海口 474).
COMMON_NAME_FREQ = 600
# A word jieba's dictionary tags as a place but rarely saw (西柏坡 246, 里约热内卢 123) is a
# proper name whatever its first character's tag; common words tagged ns run higher (上半场 857).
RARE_PLACE_FREQ = 300
# jieba's ns tag on words of two characters is noise as often as not (开朗, 驻京, 播撒 are ns);
# from three characters on, a rare ns word is mostly a name.
MIN_RARE_PLACE = 3
# Characters of generic words of the land and water: two of them make a common noun (海洋,
# 山坡, 冰山, 海湾, 山水, 江河), never a name.
GENERIC_GEO_CHARS = set("山水海洋江河湖泊沟洞坡湾滨冰岸峰岭谷川溪泉林田原野岛礁")
# Nouns jieba joins to a place that say which part or which of it is meant: the place before
# them is the name (亚太|地区, 汉水|流域, 东欧|各国).
GENERIC_PLACE_HEADS = ("地区", "流域", "各国", "一带", "沿岸", "境内", "全境")
# Territory codes in Babel's locale data that name no place: the world, unknown and pseudo
# regions, organisations and currency areas (EU, EZ, UN).
NOT_PLACE_TERRITORIES = {"001", "ZZ", "XA", "XB", "QO", "EU", "EZ", "UN"}


@cache
def world_place_names() -> frozenset[str]:
    """Chinese names of the world's countries, regions and continents and of the cities that
    name its time zones (莫斯科, 吉隆坡, 开罗), from Babel's CLDR locale data."""
    from babel import Locale

    locale = Locale.parse("zh_Hans_CN")
    names = {
        name
        for code, name in locale.territories.items()
        if code not in NOT_PLACE_TERRITORIES and "（" not in name
    }
    for zone, info in locale.time_zones.items():
        city = info.get("city")
        # Antarctic stations are named after people (戴维斯, 莫森); Etc/ zones are no places
        if city and not zone.startswith(("Antarctica/", "Etc/")):
            names.add(city)
    return frozenset(n for n in names if len(n) >= 2 and _CJK.match(n))


class PlaceRules:
    """Places ``helpers.entities`` finds by People's Daily's conventions, over the tagger's
    spans: an organisation or a facility a place opens, places jieba's tags miss (a known name
    it tags as a person or a common word: 莫斯科 nr, 台北), places fused to a title (法国总理)
    and one-character country abbreviations (中|美, 俄政府)."""

    def __init__(
        self,
        freq: dict[str, int],
        word_tags: dict[str, str],
        titles: set[str],
        known_places: set[str],
        abbreviations: set[str],
    ):
        self.freq = freq
        self.word_tags = word_tags
        self.titles = titles
        self.known = known_places
        self.abbreviations = abbreviations

    def refine(
        self, text: str, tokens: list[tuple[str, int, int]], spans: list[tuple[str, int, int]]
    ) -> list[tuple[str, int, int]]:
        """The spans with the place conventions applied (places win over persons)."""
        spans = list(spans)
        taken = {k for label, s, e in spans if label != "PER" for k in range(s, e)}
        for span in self.missed_places(text, tokens):
            if not taken.intersection(range(span[1], span[2])):
                spans = [o for o in spans if not (o[1] < span[2] and span[1] < o[2])]
                spans.append(span)
                taken.update(range(span[1], span[2]))
        token_index = {s: k for k, (_, s, _) in enumerate(tokens)}
        token_end = {e: k for k, (_, _, e) in enumerate(tokens)}
        out: list[tuple[str, int, int]] = []
        for label, start, end in spans:
            if label == "LOC" and end in token_index:
                named = self.name_opened(tokens, token_index[end])
                if named is not None:
                    kind, name_end = named
                    out.append((kind, start, name_end))
                    continue
            if label == "LOC":
                place = text[start:end]
                if self.generic_compound(place):
                    continue
                before = tokens[token_end[start]][0] if start in token_end else ""
                if place not in self.known and self.ends_in_title(before):
                    out.append(("PER", start, end))  # 国防部长|扎加洛: a person after a title
                    continue
                head = next((h for h in GENERIC_PLACE_HEADS if place.endswith(h)), "")
                if head and len(place) - len(head) >= 2:
                    end -= len(head)  # 亚太|地区, 汉水|流域: the place is the name
            out.append((label, start, end))
        out.sort(key=lambda f: (f[1], -f[2]))
        merged: list[tuple[str, int, int]] = []
        for span in out:
            if merged and span[1] < merged[-1][2]:
                continue
            merged.append(span)
        return [span for span in merged if not self.abbreviation_by_a_number(text, span, merged)]

    def ends_in_title(self, tok: str) -> bool:
        """Does the word ``tok`` end in a title (部长, 国防部长, 舰队司令)?"""
        return any(tok[-n:] in self.titles for n in range(2, len(tok) + 1))

    def generic_compound(self, place: str) -> bool:
        """Two generic words of the land (海洋, 山坡, 冰山, 海湾, 山水): a common noun that jieba
        tags as a place, not a place's name (泰山, 黄河: a name then the landform)."""
        return len(place) == 2 and set(place) <= GENERIC_GEO_CHARS and place not in self.known

    def abbreviation_by_a_number(self, text: str, span, spans) -> bool:
        """Is ``span`` a one-character abbreviation in a run of them next to a number (比赛中以
        2∶0: 中 is "in", 以 "by"; 27日俄: 日 is the day)? Then it names no country."""
        label, start, end = span
        if label != "LOC" or end - start != 1 or text[start] not in self.abbreviations:
            return False
        singles = {s for lab, s, e in spans if lab == "LOC" and e - s == 1}
        first, last = start, end
        while first - 1 in singles:
            first -= 1
        while last in singles:
            last += 1
        return text[first - 1 : first].isdigit() or text[last : last + 1].isdigit()

    def name_opened(self, tokens, k: int) -> tuple[str, int] | None:
        """(ORG or LOC, end) of an organisation's or a facility's name that the words from
        token k on close (青岛|海牛队, 香港|展览中心), or None. A facility whose name holds a
        place of its own is that place's (上海|虹口体育馆: two places)."""
        inner_place = proper = False
        for j, (tok, _, end) in enumerate(tokens[k : k + MAX_NAME_WORDS]):
            if not all(_CJK.match(c) for c in tok):
                return None
            tag = self.word_tags.get(tok)
            if self.closes_organisation(tok, proper or j == 0 and len(tok) == 1):
                return "ORG", end  # 海牛|队; 尼日利亚|队: a bare 队 right after the place
            stem = tok[: -len(HEAD_OF)]
            if tok.endswith(HEAD_OF) and stem.endswith(ORG_NAME_ENDS) and (len(stem) > 1 or j):
                return "ORG", end - len(HEAD_OF)  # 财政部|长, 农林|部|长
            if tok.endswith(FACILITY_NAME_ENDS):
                return None if inner_place else ("LOC", end)
            if tag is None:  # a new word: part of a name unless it opens with a verb (驻华)
                if self.word_tags.get(tok[0], "")[:1] in ("v", "p"):
                    return None
            elif not tag.startswith(NAME_WORD_TAGS):
                return None
            inner_place = inner_place or tag == "ns" or tok in self.known
            proper = proper or tag in (None, "ns", "nz", "nt") or tok in self.known
        return None

    def closes_organisation(self, tok: str, proper: bool) -> bool:
        """Does ``tok`` end an organisation's name? A word of its own with an organisation's
        last character (财政部, 海牛队: not a common noun such as 部队, 总部, 政局, 球队, 中南部),
        or a generic end (日报, 舰队) after a proper word of the name (太平洋|舰队; not
        法国|全国性|日报, a description)."""
        end = max((e for e in ORG_NAME_ENDS if tok.endswith(e)), key=len, default="")
        if not end or self.word_tags.get(tok, "")[:1] == "f":
            return False
        if len(tok) > len(end) and set(tok[: -len(end)]) <= DIRECTION_CHARS:
            return False  # 中南部, 大部: parts of a place
        # a one-character end on a common word of two (部队, 总部) or alone (队) needs a proper
        # word before it (海牛|队); 协会, 代表团, 中学 end a name on their own (雇主|协会)
        common = len(end) == 1 and (tok == end or self.freq.get(tok, 0) >= NAME_FRAGMENT_FREQ)
        return not (common and len(tok) <= 2) or proper

    def missed_places(self, text: str, tokens) -> list[tuple[str, int, int]]:
        """LOC spans jieba's tags miss: known names, places fused to a title or a government
        word, and one-character country abbreviations side by side or before such a word."""
        found = []
        for k, (tok, start, end) in enumerate(tokens):
            nxt = tokens[k + 1][0] if k + 1 < len(tokens) else ""
            if tok in self.known:
                found.append(("LOC", start, end))
                continue
            fused = self.fused_place(tok)
            if fused:
                found.append(("LOC", start, start + fused))
                continue
            if self.word_tags.get(tok) == "ns" and self.rare_place(tok):
                found.append(("LOC", start, end))
                continue
            if tok.endswith(FACILITY_NAME_ENDS) and any(
                tok[:cut] in self.known for cut in range(2, len(tok) - 1)
            ):
                found.append(("LOC", start, end))  # 中国美术馆: one word of jieba's (nt)
                continue
            if len(tok) == 1 and tok in self.abbreviations:
                if self.abbreviation_pair(tokens, k) or self.abbreviation_pair(tokens, k - 1):
                    found.append(("LOC", start, end))  # 中|美, 日|俄
                elif nxt in GOVERNMENT_WORDS or nxt in self.titles:
                    found.append(("LOC", start, end))  # 罗|政府
        return found

    def abbreviation_pair(self, tokens, k: int) -> bool:
        """Are tokens k and k+1 two one-character country abbreviations (中|美三个联合公报,
        日|俄首脑会晤)? Not after a number (27日|俄), nor before one (中|以2∶0), a title or a
        single character (拉|埃女士, 阿|马|特: a foreign name's syllables)."""
        if k < 0 or k + 1 >= len(tokens):
            return False
        first, second = tokens[k][0], tokens[k + 1][0]
        if not (len(first) == len(second) == 1 and {first, second} <= self.abbreviations):
            return False
        prev = tokens[k - 1][0] if k else ""
        nxt = tokens[k + 2][0] if k + 2 < len(tokens) else ""
        if prev[-1:].isdigit() or self.word_tags.get(prev, "")[:1] == "m":
            return False
        return len(nxt) > 1 and _CJK.match(nxt[0]) is not None and nxt not in self.titles

    def rare_place(self, tok: str) -> bool:
        """A word of three or more characters jieba tags as a place and saw rarely (西柏坡,
        里约热内卢): a proper name, unless a number or a measure opens it or it is two common
        words (加大|力度, 保|平安)."""
        if len(tok) < MIN_RARE_PLACE or self.freq.get(tok, 0) >= RARE_PLACE_FREQ:
            return False
        if self.word_tags.get(tok[0], "")[:1] in ("m", "q"):
            return False
        # two common words make a phrase (加大|力度, 兴旺|发达, 保|平安), not a name
        return not any(
            self.freq.get(tok[:cut], 0) >= NAME_FRAGMENT_FREQ
            and self.freq.get(tok[cut:], 0) >= NAME_FRAGMENT_FREQ
            for cut in range(1, len(tok))
        )

    def fused_place(self, tok: str) -> int:
        """Length of a place jieba fused to a title or government word in one token (法国总理,
        俄政府, 俄总统), or 0."""
        for cut in range(1, len(tok)):
            place, rest = tok[:cut], tok[cut:]
            if rest not in self.titles and rest not in GOVERNMENT_WORDS and rest != PEOPLE_OF:
                continue
            if place in self.known or (cut == 1 and place in self.abbreviations):
                return cut
        return 0


# One PlaceRules per Tagger, dropped with it (a tagger per home province in the benchmarks).
_PLACE_RULES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def place_rules(tagger) -> PlaceRules:
    """The place rules for a ``Tagger`` (built once, from its dictionaries and gazetteer)."""
    rules = _PLACE_RULES.get(tagger)
    if rules is None:
        from .gazetteer import COUNTY

        gazetteer = tagger.gazetteer
        known = set(world_place_names()) | set(tagger.countries)
        for d in gazetteer.divisions:
            known.add(d.name)
            # a prefecture's or province's short form (石家庄, 合肥) is its name in the news;
            # a county's (新建, 城关) is too often a common word
            if d.short and d.level != COUNTY:
                known.add(d.short)
        # a known name that jieba's dictionary has often as a common word (东方 s 3993, 开封 v
        # 1696) stays one; a rarer one is the place whatever its tag (合肥 n 406, 海口 s 474)
        known = {
            n
            for n in known
            if tagger.word_tags.get(n, "ns").startswith(("ns", "nr"))
            or tagger.tokenizer.FREQ.get(n, 0) < COMMON_NAME_FREQ
        }
        rules = PlaceRules(
            tagger.tokenizer.FREQ,
            tagger.word_tags,
            tagger.title_set,
            known,
            tagger.country_abbreviations,
        )
        _PLACE_RULES[tagger] = rules
    return rules
