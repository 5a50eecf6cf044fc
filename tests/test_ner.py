"""The person recognizer (helpers.ner): one class of name per test, on sentences written here."""

from __future__ import annotations

import pytest

from helpers import entities
from helpers.split import Article
from helpers.tag import get_tagger


def names(text: str) -> list[str]:
    """Names the recognizer finds in ``text``."""
    tagger = get_tagger()
    return [p.name for p in tagger.people.find(text, tagger.tokens(text))]


def column(body: str, reporters: list[str] | None = None) -> list[str]:
    """The ``persons`` column for an article with this body."""
    article = Article(kind="article", headline="", body=body, reporters=reporters or [])
    return get_tagger().tag(article).persons


def test_a_list_after_a_title_is_all_persons():
    text = "市政协副主席张三、李四、王五，秘书长赵六出席会议。"
    assert names(text) == ["张三", "李四", "王五", "赵六"]
    tags = get_tagger().tag(Article("article", body=text))
    assert list(zip(tags.persons, tags.person_titles, strict=True)) == [
        ("张三", "政协副主席"),
        ("李四", "政协副主席"),
        ("王五", "政协副主席"),
        ("赵六", "秘书长"),
    ]


@pytest.mark.parametrize(
    "text, name",
    [
        ("县政协副主席王建平主持会议。", "王建平"),  # not 王建
        ("李国平等委员参加调研。", "李国平"),  # 等 ends the name, not 平等
        ("县政协主席郑海波立即安排部署。", "郑海波"),  # a word (立即) starts after it
        ("会议由政协委员周海涛主持。", "周海涛"),
    ],
)
def test_three_character_names_stay_whole(text, name):
    assert names(text) == [name]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("赵红梅、刘志刚等政协委员参加活动。", ["赵红梅", "刘志刚"]),
        ("会上，马学文当选为县政协主席。", ["马学文"]),
        ("大家走进马学文委员工作室。", ["马学文"]),
        ("调研组看望了困难党员孙有福和残疾人何秀兰。", ["孙有福", "何秀兰"]),
        ("会议选举郑文斌为秘书长。", ["郑文斌"]),
    ],
)
def test_untitled_names_in_list_and_role_contexts(text, expected):
    assert names(text) == expected


def test_rare_and_compound_surnames():
    assert names("令狐建军、仉晓东、扇文华等委员视察了项目。") == ["令狐建军", "仉晓东", "扇文华"]
    assert names("省政协主席欧阳明主持会议。") == ["欧阳明"]


def test_any_name_in_a_list_of_people():
    # names of any origin (no known surname) stand in a list that a title opened
    assert names("副主席周立新、才让扎西、马文忠出席。") == ["周立新", "才让扎西", "马文忠"]


@pytest.mark.parametrize(
    "text",
    [
        "市政协副秘书长和各组负责人参加。",
        "县政协秘书长和常务委员列席会议。",
        "县民宗局负责同志介绍了情况。",
        "社区政协委员常态化参与基层协商。",
        "全县共有70余人参加培训。",
    ],
)
def test_no_junk_names(text):
    assert names(text) == []


def test_reporters_are_never_persons():
    body = "县政协主席高建华出席。记者孔令文报道。"
    assert column(body, reporters=["孔令文"]) == ["高建华"]
    assert column("本报记者孔令文 县政协主席高建华出席。") == ["高建华"]


def test_entities_and_the_column_share_the_recognizer():
    text = "副主席张三、李四出席，委员王建平主持。"
    from_entities = [text[s:e] for label, s, e in entities(text) if label == "PER"]
    assert from_entities == column(text) == ["张三", "李四", "王建平"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a list opened by a title: names jieba cuts into words (唐|宏伟, 屈光|平) stay names
        ("县政协副主席苏定武、唐宏伟、屈光平出席会议。", ["苏定武", "唐宏伟", "屈光平"]),
        # a title, 是 and a colon, then the list
        ("本次大会的执行主席是：高志强、胡桂琳、闫金海。", ["高志强", "胡桂琳", "闫金海"]),
        # a rare two-character word at the surname does not stop the name (马元|永)
        ("副市长马元永，县政协主席郭立新出席。", ["马元永", "郭立新"]),
    ],
)
def test_lists_and_names_jieba_cuts(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("州政协副主席秀荣一行来县调研。", ["秀荣"]),  # no Han surname
        ("县政协主席向秋主持会议。", ["向秋"]),  # surname 向 and the word 秋
    ],
)
def test_a_name_between_a_title_and_a_follower(text, expected):
    assert names(text) == expected


def test_a_person_noun_that_is_a_set_phrase():
    # 困难户 is tagged l (a set phrase), not n; the column keeps only names context vouches for
    assert column("调研组走访了村里的困难户施智勇。") == ["施智勇"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("座谈会上，韩德岷对委员们提出三点希望。", ["韩德岷"]),  # before a preposition
        ("每到一户，翁立钧都详细询问家里的收入。", ["翁立钧"]),  # before an adverb
        ("委员们要主动作为，高水平推进各项工作。", []),  # 高|水平: a common word, no name
    ],
)
def test_a_new_word_that_is_the_subject_of_a_clause(text, expected):
    assert column(text) == expected


def test_list_items_before_an_appointment():
    # the last item (释宽东: 释, the monks' surname) is a name because 为 + title follows
    text = "会议选举王旺红、张小强、释宽东为常务委员。"
    assert names(text) == ["王旺红", "张小强", "释宽东"]


def test_known_full_names_count_for_entities_and_in_context_for_the_column():
    # a full name jieba's dictionary knows is a person for entities; the column wants context
    text = "在这次讨论中，孔繁森的事迹被反复提起。"
    assert [text[s:e] for label, s, e in entities(text) if label == "PER"] == ["孔繁森"]
    assert column(text) == []
    assert column("孔繁森、张海涛等委员发言。") == ["孔繁森", "张海涛"]


@pytest.mark.parametrize(
    "text",
    [
        "县政协主席会成员出席活动。",  # 会|成员: two words between title and follower
        "县委常委、县委宣传部部长出席。",  # 宣传部: jieba tags it nr
        "央行下调了存款准备金率，银行利率对消费产生影响。",  # 银行|利率
        "这条宣传词写得简短有力。",  # 宣传|词: tagged nr, but it opens with a word
        "县政协召开会议，教育、卫生、民政等部门负责人参加。",  # a list of words, no names
    ],
)
def test_no_junk_from_the_new_contexts(text):
    assert [text[s:e] for label, s, e in entities(text) if label == "PER"] == []


def test_a_new_word_co_ordinated_with_a_person():
    # 郭立新 is vouched for by 委员 after it; 韩德岷, joined to it by 和, by the co-ordination
    assert column("调研组听取了韩德岷和郭立新委员的意见。") == ["韩德岷", "郭立新"]


def test_a_list_of_names_is_a_list_of_people():
    # no title opens it (领导 … 还有): three or more unknown surname-led items make it people
    text = "在主席台就座的市领导还有邓秀、江明、孙雅君、钟文、刘强、卓海振、鲁德旺、扎西措姆。"
    expected = ["邓秀", "江明", "孙雅君", "钟文", "刘强", "卓海振", "鲁德旺", "扎西措姆"]
    assert column(text) == expected


def test_a_long_name_of_any_origin_inside_a_list_of_people():
    text = "执行主席周立新、才让多杰、贡保扎西卓玛、马文忠、郭永义在主席台就座。"
    assert names(text) == ["周立新", "才让多杰", "贡保扎西卓玛", "马文忠", "郭永义"]


def test_a_name_of_any_origin_between_a_title_and_punctuation():
    assert column("县委书记才科旦，县长陆一宁出席会议。") == ["才科旦", "陆一宁"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("调研组看望了杜伟、严达进等困难群众。", ["杜伟", "严达进"]),
        ("他们来到村民马秀兰家，了解收入情况。", ["马秀兰"]),  # 家: her home
        ("市委党校教授廖志森，作了专题辅导。", ["廖志森"]),
        ("委员们参观了县城的黄同富旧居。", ["黄同富"]),  # what is named after a person
    ],
)
def test_people_nouns_and_possessions(text, expected):
    assert column(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "看病就医、养老托育、出行停车等民生关切得到回应。",  # 民生 modifies 关切: no people
        "县水务局、县林草局、县商务局等单位负责人参加。",  # 局: organisations
        "各委员边视察、边思考，提出建议。",  # 边: an adverb far more often than a surname
        "委员们在主席台前排就座。",  # 主席台: no title
        "区人大常委会主任出席。",  # 常委 inside 人大常委会
        "举办“书香政协·悦读桑田”读书活动。",  # 政协 is a common word: no foreign name
    ],
)
def test_no_junk_from_lists_and_people_nouns(text):
    assert names(text) == []


def places(text: str) -> list[str]:
    """LOC spans ``helpers.entities`` finds in ``text``."""
    return [text[s:e] for label, s, e in entities(text) if label == "LOC"]


def organisations(text: str) -> list[str]:
    """ORG spans ``helpers.entities`` finds in ``text``."""
    return [text[s:e] for label, s, e in entities(text) if label == "ORG"]


@pytest.mark.parametrize(
    "text, org",
    [
        ("昨天，青岛海牛队在主场迎战对手。", "青岛海牛队"),  # a proper word, then 队
        ("美国财政部长今天发表讲话。", "美国财政部"),  # 财政部|长: a title fused to it
    ],
)
def test_a_place_that_opens_an_organisation_is_no_place(text, org):
    # People's Daily marks the organisation whole, with no place inside it
    assert places(text) == []
    assert organisations(text) == [org]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("新兵将走上西藏部队的工作岗位。", ["西藏"]),  # 部队: a common noun, no name
        ("气象台说，华北中南部将有小雨。", ["华北"]),  # 中南部: a part of the place
    ],
)
def test_a_place_before_a_common_noun_stays_a_place(text, expected):
    assert places(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("代表团今天抵达莫斯科。", ["莫斯科"]),  # a known city jieba tags nr
        ("德国总理会见了代表团。", ["德国"]),  # jieba's one word: a place and a title
        ("许多法国人喜欢足球。", ["法国"]),  # a place and 人: its people
        ("这次日俄首脑会晤备受关注。", ["日", "俄"]),  # two abbreviations side by side
        ("他们来到西柏坡参观学习。", ["西柏坡"]),  # a place name jieba saw rarely
    ],
)
def test_places_jieba_tags_miss(text, expected):
    assert places(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "球队在决赛中以2∶0获胜。",  # 中 is "in", 以 "by": a number follows them
        "他们加大力度推进工作。",  # a verb and its object, whatever jieba's tag
    ],
)
def test_no_places_from_function_words(text):
    assert places(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("科考船驶向海洋深处。", []),  # two generic words of the land: a common noun
        ("我们登上了冰山之巅。", []),
        ("预计汉水流域将有大雨。", ["汉水"]),  # 流域 says which part: the place is 汉水
        ("国防部长扎加洛今天宣布名单。", []),  # after a title, a name jieba tags ns is a person
    ],
)
def test_common_nouns_and_persons_jieba_tags_as_places(text, expected):
    assert places(text) == expected


@pytest.mark.parametrize(
    "text, org",
    [("今天丹麦男队获胜。", "丹麦男队"), ("尼日利亚队与对手战平。", "尼日利亚队")],
)
def test_a_country_and_its_team_are_an_organisation(text, org):
    assert places(text) == []
    assert organisations(text) == [org]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("区政协主席王国英主持会议。", ["王国英"]),  # 王国 is a word; title and 主持 frame it
        ("大会共收到12篇发言。荔芸等5位委员作了发言。", ["荔芸"]),  # the subject before 等
    ],
)
def test_names_the_frame_outweighs(text, expected):
    assert column(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "活动将进一步提升委员履职质效。",  # 履职 is a word: no name before the 。
        "部分县政协委员在分会场线上参加会议。",  # a locative ends no name
        "委员们常态化参与基层协商。",  # 常态|化: no title and follower around it
    ],
)
def test_no_names_from_words_after_a_title(text):
    assert column(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "为乡村振兴贡献委员智慧和力量。",  # 智慧: a frequent word jieba tags nr
        "一定要让受灾群众有饭吃、有水喝。",  # no name follows a group noun
        "总理周二晚表示欢迎。",  # 周二: a time, not the start of a framed name
    ],
)
def test_no_names_from_frequent_words(text):
    assert names(text) == []


def test_a_function_word_before_a_list_is_no_surname():
    assert names("参加活动的有张华、李明、王强等。") == ["张华", "李明", "王强"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("村里的网格员马俊峰每天巡查。", ["马俊峰"]),  # 网格|员: jieba cuts the noun in two
        ("追梦人杜海涛讲述了创业故事。", ["杜海涛"]),  # a new compound noun ending in 人
    ],
)
def test_person_nouns_jieba_does_not_know(text, expected):
    assert column(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("司马光明、欧阳丽华两位委员参加调研。", ["司马光明", "欧阳丽华"]),  # a count of people
        ("杨占军在讲话中强调，要提高站位。", ["杨占军"]),  # the subject, before 在
    ],
)
def test_counted_people_and_subjects(text, expected):
    assert column(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("副主席叶尔江·努尔兰、阿依古丽·买买提出席。", ["叶尔江·努尔兰", "阿依古丽·买买提"]),
        ("比利时演员尼古拉斯·英博登说，这部电影很好。", ["尼古拉斯·英博登"]),
    ],
)
def test_names_in_parts_joined_by_a_dot(text, expected):
    assert column(text) == expected


def test_a_title_and_a_copula_before_a_list_and_speech_after_a_name():
    """执行主席是张某、…: the list after the copula; 委员李某说：the verb is no given name."""
    text = "大会执行主席是周立新、马文忠、郭永义、杨丽。政协委员李妮说：“受益匪浅。”"
    names = [name for label, s, e in entities(text) if label == "PER" for name in [text[s:e]]]
    assert names[:4] == ["周立新", "马文忠", "郭永义", "杨丽"]
    assert "李妮" in names and "李妮说" not in names


def test_a_parallel_phrase_is_no_list_of_people():
    text = "打造全季节、全受众、全时段、全业态的旅游产品。杨永强、杨永胜、杨丽出席。"
    names = [text[s:e] for label, s, e in entities(text) if label == "PER"]
    assert not [n for n in names if n.startswith("全")]
    assert names == ["杨永强", "杨永胜", "杨丽"]


@pytest.mark.parametrize(
    "text, names",
    [
        # a modal and a verb before 委员 are no name (应出席委员); a surname and a word are
        ("会议应出席委员120人，实到115人。刘建设委员发言。", ["刘建设"]),
        # a title, 由, then the list
        ("开幕会执行主席由马志明、李德华担任。", ["马志明", "李德华"]),
        # a dotted name between a person noun (…户) and a noun it opens (…家)
        ("走访结对认亲户艾力·吐尔逊家。", ["艾力·吐尔逊"]),
        # a conjunction (以及) and a verb of delivering (作报告) after a two-character name
        ("县政协副主席刘明以及秘书长王红出席。", ["刘明", "王红"]),
        ("县政协副主席马林作常委会工作报告。", ["马林"]),
        # 率 (leads) and 及 (and) after a two-character name
        ("市政协副主席刘涛率调研组到县调研。", ["刘涛"]),
        ("副主席刘红英、杜梅及秘书长张阳参加。", ["刘红英", "杜梅", "张阳"]),
    ],
)
def test_words_around_a_name_are_not_part_of_it(text, names):
    assert [text[s:e] for label, s, e in entities(text) if label == "PER"] == names


@pytest.mark.parametrize(
    "text, not_names",
    [
        # an organ before its title, 原 (former) before a title, a conjunction as a surname
        ("原政协副主席马明、区人大副主任李华出席。", ["原政协", "区人大"]),
        ("某师专原党委书记李华讲话。", ["师专原"]),
        ("政协委员暨民族界人士参加。委员要担当委员之责。", ["暨民族", "之责"]),
        # a surname and a title is a form of address; an adjective and a verb; 并 ends no name
        (
            "吴主席指出，要抓紧。职工全覆盖学习。县委书记王华到会祝贺并讲话。",
            ["吴主席", "全覆盖", "祝贺并"],
        ),
        # a preposition and a word between a title and a follower (在讲话中)
        ("马志明副主席在讲话中强调，要抓落实。", ["在讲话中"]),
        # a word jieba's dictionary calls a name that opens with a common verb (应邀|参加)
        ("各乡镇联络组组长应邀参加开幕会。", ["应邀参加"]),
        # after a word that ends like a person noun (民生), a dictionary word tagged nr (福祉)
        ("要聚焦增进民生福祉，办好实事。", ["福祉"]),
    ],
)
def test_organs_former_and_conjunctions_are_no_names(text, not_names):
    names = [text[s:e] for label, s, e in entities(text) if label == "PER"]
    assert not set(names) & set(not_names)
