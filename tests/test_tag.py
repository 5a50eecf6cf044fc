"""Tagging the real page: the acting committee, its code, persons, meeting types, slogans."""

from __future__ import annotations

import pytest

from helpers import entities, mentions, people
from helpers.split import Article
from helpers.tag import get_tagger, is_slogan

# headline start → locality, code, prefecture, persons (name, title, locality), first meeting type
EXPECTED = {
    "陇南市政": ("陇南市", "621200", "陇南市", [("梁英", "政协主席", "陇南市")], "主席会议"),
    "爱心帮扶": ("临泽县", "620723", "张掖市", [("冯新山", "政协主席", "临泽县")], "结对帮扶"),
    "会宁县政": ("会宁县", "620422", "白银市", [], "结对帮扶"),
    "金昌市政": ("金昌市", "620300", "金昌市", [("陈华", "政协主席", "金昌市")], "推进会"),
    "嘉峪关市": ("嘉峪关市", "620200", "嘉峪关市", [], "调研"),
    "文县政协": ("文县", "621222", "陇南市", [], "结对帮扶"),
    "武山县政": (
        "武山县",
        "620524",
        "天水市",
        [("庞明全", "政协主席", "武山县"), ("习近平", "总书记", "全国")],
        "常委会会议",
    ),
    "天水市政": ("天水市", "620500", "天水市", [], "调研"),
    "敦煌市政": ("敦煌市", "620982", "酒泉市", [], "调研"),
    "两当县政": ("两当县", "621228", "陇南市", [("习近平", "总书记", "全国")], "调研"),
    "": ("武威市", "620600", "武威市", [], "调研"),
}


@pytest.mark.parametrize("head", list(EXPECTED))
def test_committee_persons_and_meeting_type(rows, head):
    row = rows[head]
    locality, code, prefecture, persons, meeting = EXPECTED[head]
    assert (row.locality, row.locality_code, row.prefecture, row.province) == (
        locality,
        code,
        prefecture,
        "甘肃省",
    )
    got = list(zip(row.persons, row.person_titles, row.person_localities, strict=True))
    assert got == persons
    assert row.meeting_types[0] == meeting
    # every label carries the words that triggered it
    assert all(any(e.startswith(t + "/") for e in row.meeting_evidence) for t in row.meeting_types)


def test_meeting_subtypes_and_evidence(rows):
    assert "监督性调研" in rows["两当县政"].meeting_subtypes
    assert "专题调研" in rows["天水市政"].meeting_subtypes
    assert "观摩会" in rows["金昌市政"].meeting_subtypes
    assert "招商引资" in rows[""].meeting_types
    # 主席会议成员 are people, not a meeting; a document title is not an activity
    assert "主席会议" not in rows[""].meeting_types
    assert "走访看望" not in " ".join(rows["陇南市政"].meeting_evidence)
    # 关于召开…第三次会议的决定: a decision about a plenary, not a plenary
    assert "全体会议" not in rows["武山县政"].meeting_types


def test_national_leaders_are_marked(rows):
    row = rows["武山县政"]
    assert dict(zip(row.persons, row.person_national, strict=True)) == {
        "庞明全": False,
        "习近平": True,
    }


def test_reporters_are_not_persons(corpus):
    for row in corpus.itertuples():
        assert not set(row.reporters) & set(row.persons)


def test_places_and_subplaces(rows):
    assert rows["天水市政"].places == ["天水市", "甘谷县", "清水县", "秦州区"]
    assert rows[""].places[:5] == ["上海市", "浙江省", "福建省", "江苏省", "广东省"]
    dunhuang = rows["敦煌市政"]
    # 清水村 is a village here, not 清水县
    assert "清水县" not in dunhuang.places
    assert dict(zip(dunhuang.subplaces, dunhuang.subplace_counties, strict=True)) == {
        "黄渠镇": "敦煌市",
        "芭子场村": "敦煌市",
        "黄墩子社区": "敦煌市",
        "清水村": "敦煌市",
    }
    jinchang = rows["金昌市政"]
    assert jinchang.subplaces[0] == "城关镇" and jinchang.subplace_counties[0] == "永昌县"
    assert "金川路街道" in jinchang.subplaces
    assert rows["爱心帮扶"].subplaces == ["倪家营镇", "汪家墩村"]


def test_slogans_are_told_apart_from_speech(rows):
    assert "三抓三促" in rows["陇南市政"].slogans
    assert rows["爱心帮扶"].slogans[:2] == ["结对帮扶·爱心甘肃", "结对帮扶·爱心临泽"]
    assert rows["嘉峪关市"].slogans == ["嘉事好商量、三有在基层"]
    assert rows["敦煌市政"].slogans == []  # “好帮手” “连心桥” are figures of speech
    assert not any("吃药" in s or "共产党" in s for s in rows["爱心帮扶"].slogans)
    assert rows["武山县政"].documents == ["在二十届中央政治局第四次集体学习时的讲话"]
    assert not is_slogan("儿子儿媳平时能帮你干点农活吗，是否一直在吃药？", "", "")
    assert not is_slogan("效", "", "的实绩")


def test_themes_and_keywords(rows):
    assert rows["天水市政"].themes[0] == "应急管理"
    assert rows["两当县政"].themes[0] == "民族团结"
    assert "基层协商" in rows["嘉峪关市"].themes
    assert "营商环境" in rows[""].themes
    assert "应急救援" in rows["天水市政"].keywords
    assert all(len(r.keywords) > 0 for r in rows.values())
    for row in rows.values():  # boilerplate and counts never make keywords
        assert not set(row.keywords) & {"加强", "推进", "工作", "十二次", "五届"}


def tag_text(body: str, headline: str = ""):
    return get_tagger().tag(Article(kind="article", headline=headline, body=body))


def test_common_words_are_not_places():
    tags = tag_text("双方加强合作，东方红，永安街，走进中山路街道，合作市政协调研。")
    assert tags.places == ["合作市"]


def test_home_province_resolves_homonyms_and_short_forms():
    tags = tag_text("调研组前往城关区和清水调研。", headline="天水市政协开展调研")
    assert "兰州市" not in tags.places and tags.locality == "天水市"
    codes = {m.canonical: m.code for m in tags.mentions if m.type == "place"}
    assert codes["城关区"] == "620102"  # 兰州's, not 拉萨's: Gansu is home
    # a bare committee word keeps its level: 临夏 + 县政协 is the county, + 州政协 the prefecture
    assert tag_text("本报临夏讯 近日，县政协组织委员视察。").locality == "临夏县"
    assert tag_text("本报临夏讯 近日，州政协组织委员视察。").locality == "临夏回族自治州"


def report_tags(body: str, headline: str = "", dateline: str = "", home: str = "甘肃省"):
    """Tag a report as the splitter hands it over: dateline apart, its place left unread."""
    from helpers.tag import Tagger

    tagger = get_tagger() if home == "甘肃省" else Tagger(home_province=home)
    return tagger.tag(Article(kind="article", headline=headline, body=body, dateline=dateline))


@pytest.mark.parametrize(
    ("dateline", "body", "locality"),
    [
        ("静宁县融媒体中心讯", "3月5日，县政协召开主席会议，研究近期工作。", "静宁县"),
        ("玉门新闻网讯（记者 王红）", "3月5日，市政协召开常委会议。", "玉门市"),
        # an outlet's dated dateline names its place before the date
        ("每日甘肃网天水3月5日讯（记者 王红）", "3月5日，市政协召开常委会议。", "天水市"),
        ("据天水日报", "3月5日，市政协召开常委会议。", "天水市"),
        ("（通讯员 张明）甘州区融媒体中心讯", "近日，区政协组织委员视察。", "甘州区"),
        # a province's outlet names no local committee; 县政协 is no prefecture either
        ("甘肃日报讯", "近日，县政协组织委员视察。", ""),
        ("据平凉日报", "近日，县政协组织委员视察。", ""),
    ],
)
def test_other_papers_datelines_name_the_place(dateline, body, locality):
    assert report_tags(body, dateline=dateline).locality == locality


def test_committees_named_in_full_form():
    assert report_tags("3月5日，政协秦安县委员会召开十届五次常委会议。").locality == "秦安县"
    body = "3月5日，中国人民政治协商会议平凉市第五届委员会常务委员会第八次会议召开。"
    assert report_tags(body).locality == "平凉市"


def test_city_committee_visiting_a_county_is_the_city_above():
    body = "3月5日，市政协副主席张明带领调研组来静宁县调研，县政协主席李红陪同。"
    assert report_tags(body, headline="市政协调研组来县调研").locality == "平凉市"
    tags = report_tags("近日，市政协调研组来我县调研。", dateline="本报静宁讯")
    assert tags.locality == "平凉市"


def test_a_committee_that_frames_the_action_is_not_the_actor():
    for body in (
        "为贯彻落实省政协工作会议精神，3月5日，秦安县政协召开主席会议。",
        "按照市政协统一安排，3月5日，秦安县政协组织委员开展视察。",
        "在天水市政协的指导下，秦安县政协开展专项民主监督。",
    ):
        assert report_tags(body).locality == "秦安县", body


def test_a_bare_committee_keeps_its_level_past_other_committees():
    # the city committee of an unnamed city: not the province whose meeting it studied
    body = "3月5日，市政协召开党组会议，传达学习省政协党组会议精神。"
    assert report_tags(body, home="福建省").locality == ""


@pytest.mark.parametrize(
    ("body", "locality"),
    [
        # a bare committee's seat: the one county at home with the townships it went to
        ("近日，县政协调研组先后来到恭门镇、木河乡，察看春耕备耕情况。", "张家川回族自治县"),
        # a 市政协 is the city above the county of its townships
        ("近日，市政协副主席王红一行深入会师镇、八里湾乡走访慰问。", "白银市"),
        # a township of that name in two counties at home decides nothing
        ("近日，县政协调研组深入永宁镇，察看春耕备耕情况。", ""),
        # its place named only in passing: 麦积 as a word of its own
        ("近日，区政协召开主席会议，要求委员讲好麦积故事。", "麦积区"),
        # a short form that is a common word too (清水 clear water) counts only when repeated
        ("近日，县政协召开主席会议，要求守护好一江清水。", ""),
        ("近日，县政协召开主席会议，要求讲好清水故事，展示清水形象。", "清水县"),
        # the level word of a report written before the county became a city (华亭县 → 华亭市)
        ("近日，县政协召开主席会议，传达学习中共华亭县委全会精神。", "华亭市"),
    ],
)
def test_a_bare_committee_placed_by_what_the_text_names_in_passing(body, locality):
    assert report_tags(body).locality == locality


@pytest.mark.parametrize(
    ("body", "home", "locality"),
    [
        # 省 + 政协副主席: the tokenizer split the level off the committee
        ("5月6日，省政协副主席王明率调研组到定西市开展调研。", "甘肃省", "甘肃省"),
        # the committee whose chair accompanies hosts; the one accompanied acts
        ("5月6日，市政协主席李红陪同省政协副秘书长一行到临洮县调研。", "甘肃省", "甘肃省"),
        # a banner written as people write it (科右前旗), and a district (浦东) without 新区
        ("3月2日，科右前旗政协召开主席会议，研究近期工作。", "内蒙古自治区", "科尔沁右翼前旗"),
        # a committee jieba's dictionary holds as one word (上海市政协)
        ("上海市政协近日举办委员读书班。", "浙江省", "上海市"),
        # an autonomous region's own committee, its level split off by the tokenizer
        (
            "3月4日，自治区政协副主席王明率调研组到玉林市调研。",
            "广西壮族自治区",
            "广西壮族自治区",
        ),
        # counties of one prefecture named together: their 市政协 is the prefecture's
        (
            "参加市政协五届三次会议的敦煌市、瓜州县、金塔县代表团委员们投入分组讨论。",
            "甘肃省",
            "酒泉市",
        ),
        # in a municipality's paper a bare 市政协 is the city's own
        ("3月2日，市政协召开主席会议，研究近期工作。", "天津市", "天津市"),
        # a place the committee went to is not its seat, though its committee hosts there
        (
            "5月6日，区政协组织委员赴红桥区参观学习。红桥区政协主席王刚陪同。"
            "委员们希望河北区借鉴好的做法。",
            "天津市",
            "河北区",
        ),
    ],
)
def test_the_committee_that_acts_in_other_forms(body, home, locality):
    assert report_tags(body, home=home).locality == locality


def test_places_a_committee_visits_elsewhere_are_not_its_seat():
    body = "6月，市政协副主席陈明率委员赴西部考察，参观了甘肃省兰州、敦煌等地。"
    tags = report_tags(body, home="广东省")
    assert tags.locality == "" and tags.province == "广东省"


def test_entities_spans():
    text = "陇南市政协主席梁英主持召开会议，武山县政协主席庞明全出席。"
    found = {(label, text[s:e]) for label, s, e in entities(text)}
    assert {("PER", "梁英"), ("PER", "庞明全")} <= found
    assert ("ORG", "陇南市政协") in found and ("ORG", "武山县政协") in found
    text = "李红梅今天下午到兰州市调研。"
    found = {(label, text[s:e]) for label, s, e in entities(text)}
    assert ("LOC", "兰州市") in found and ("PER", "今天下午") not in found


def test_mentions_and_people_tables(corpus):
    table = mentions(corpus)
    assert list(table.columns) == [
        "issue",
        "page",
        "article_no",
        "type",
        "text",
        "canonical",
        "code",
        "start",
        "end",
        "detail",
    ]
    wushan = table[(table.article_no == 7) & (table.type == "place")]
    assert ("武山县", "620524") in set(zip(wushan.canonical, wushan.code, strict=True))
    from helpers.tag import article_text

    for row in corpus.itertuples():  # offsets point at the mention in the tagged text
        text = article_text(row.headline, row.subheadline, row.body)
        for m in table[table.article_no == row.article_no].itertuples():
            assert text[m.start : m.end] == m.text
    own = table[(table.type == "committee") & (table.article_no == 2)]
    assert set(own.canonical) == {"临泽县"}  # 县政协 in the 临泽 report is 临泽县's
    folks = people(corpus)
    row = folks.set_index("name").loc["梁英"]
    assert row.titles == ["政协主席"] and row.localities == ["陇南市"]
    assert row.first_issue == row.last_issue == "000_c54ca6b4301f026a"
    assert folks.set_index("name").loc["习近平"].national


def test_provincial_committee_and_other_layouts():
    """The constructed page of other layouts (tests/constructed_front_page.txt)."""
    from pathlib import Path

    from helpers import parse_page

    text = (Path(__file__).parent / "constructed_front_page.txt").read_text(encoding="utf-8")
    tagger = get_tagger()
    tags = [tagger.tag(a) for a in parse_page(text, "2023-07-01_p1.txt").articles]
    assert [(t.locality, t.locality_code) for t in tags] == [
        ("甘肃省", "620000"),
        ("兰州市", "620100"),
        ("定西市", "621100"),
    ]
    assert list(zip(tags[0].persons, tags[0].person_localities, strict=True)) == [
        ("庄国泰", "甘肃省"),
        ("习近平", "全国"),
    ]
    assert tags[0].meeting_types[0] == "常委会会议"
    # 党组理论学习中心组学习会议 is a study session (学习培训), as the dev set's guidelines say
    assert tags[1].meeting_type == "学习培训" and tags[2].meeting_types == ["调研"]


def tag_report(headline: str, body: str, dateline_place: str = ""):
    """Tag a report composed here, as the splitter would hand it over."""
    article = Article(kind="article", headline=headline, body=body, dateline_place=dateline_place)
    return get_tagger().tag(article)


@pytest.mark.parametrize(
    "headline, body, not_held",
    [
        # the committee's own name and its stock phrases
        ("", "中国人民政治协商会议秦安县第十届委员会召开主席会议。", "协商会"),
        ("", "县政协召开主席会议，要求认真履行政治协商、民主监督、参政议政职能。", "民主监督"),
        ("", "县政协召开主席会议，会议强调要深入学习贯彻全会精神。", "学习培训"),
        # meetings announced, decided or referred to
        ("市政协召开主席会议", "会议决定，市政协九届三次常委会议于3月20日召开。", "常委会会议"),
        ("县政协召开党组会议", "会议传达学习了全国政协十四届三次会议精神。", "全体会议"),
        ("市政协召开常委会议", "会议听取了关于乡村振兴的调研报告和提案办理情况的通报。", "调研"),
        (
            "市政协召开常委会议",
            "会议听取了关于乡村振兴的调研报告和提案办理情况的通报。",
            "提案工作",
        ),
        ("县政协召开主席会议", "会议审议了关于召开县政协十届二次会议的有关事项。", "全体会议"),
        ("县政协召开主席会议", "会议指出，要精心筹备县政协十届二次会议。", "全体会议"),
        # a clause of purpose is not an event (为推进重点提案办理工作，…)
        ("县政协召开推进会", "为推进重点提案办理工作，县政协召开推进会。", "提案工作"),
        # what should happen has not: a modal opens the sentence
        ("县政协召开主席会议", "要加强组织保障，扎实开展调研。", "调研"),
        # a topic is not an event: the meeting is about 招商引资
        ("县政协召开“招商引资”专题协商会", "与会人员围绕招商引资重点项目建言献策。", "招商引资"),
    ],
)
def test_mentioned_is_not_held(headline, body, not_held):
    assert not_held not in tag_report(headline, body).meeting_types


@pytest.mark.parametrize(
    "headline, main",
    [
        ("政协张掖市第五届委员会常务委员会第八次会议召开", "常委会会议"),
        ("县政协召开党组（扩大）会议", "党组会议"),
        ("市政协召开主席（扩大）会议", "主席会议"),
        ("县政协组织委员开展视察调研活动", "调研"),  # 视察调研 is no 视察 but is 调研
        ("市政协开展监督性视察", "视察"),  # the head of 监督性视察 is 视察
        ("州政协十一届二十九次常委会召开", "常委会会议"),
        # a plenary that opens (委员会第N次会议开幕), whatever the dictionary thinks of 隆重开幕
        ("政协临洮县第九届委员会第三次会议隆重开幕", "全体会议"),
        ("县政协召开重点提案现场督办会", "提案工作"),
        ("县政协举办委员读书活动", "学习培训"),
        ("县政协召开民主监督活动启动会", "动员部署会"),
    ],
)
def test_main_meeting_type_and_missed_forms(headline, main):
    tags = tag_report(headline, "会议由县政协主席主持。")
    assert tags.meeting_type == main
    assert tags.meeting_type_evidence.startswith(main + "/")
    assert tags.meeting_types[0] == main


@pytest.mark.parametrize(
    "headline, body, not_held",
    [
        # a plan told by its subject's modal, with no 要/将 at the clause's start
        ("县政协召开主席会议", "今年，县政协将进驻县教育局开展民主监督工作。", "民主监督"),
        ("县政协召开主席会议", "会后，委员们还将深入企业开展调研。", "调研"),
        # a recap of a span of time up to now is the record, not this report's events
        ("县政协召开主席会议", "今年以来，县政协围绕中心工作开展专题调研5次。", "调研"),
        # the topic of what is done to it (对…进行动员部署)
        ("", "4月2日，县政协召开动员会，对今年民主监督工作进行动员部署。", "民主监督"),
        # a remit lists what a body is for, in every part of its sentence
        (
            "县政协委员工作室揭牌",
            "工作室的工作内容是开展公益活动；围绕群众关心的问题开展调研协商。",
            "调研",
        ),
        # an experience-exchange meeting on site is no 推进会
        ("市政协召开全市政协工作经验交流现场会", "各县区政协作交流发言。", "推进会"),
        # a modal right before the verb, whatever the subject (各专委会还将举办…)
        ("县政协召开主席会议", "各专门委员会还将举办读书会、专题讲座等。", "学习培训"),
        # a modal after the subject earlier in the sentence: an exhortation
        ("县政协召开主席会议", "各联络组要主动作为，深入企业开展调研。", "调研"),
        # a rule a step follows names its source, not an event (依据…常委会会议…)
        ("县政协督办重点提案", "依据县政协常委会会议确定的名单，交办重点提案5件。", "常委会会议"),
        # a tally up to now is a recap
        ("县政协召开主席会议", "截至目前，县政协组织委员外出考察8次。", "调研"),
        # the object of an event verb is its topic (调研…民主监督工作)
        ("", "5月6日，市政协副主席一行来我县调研“河湖治理”民主监督工作。", "民主监督"),
        # a standing team named after an activity is no event
        ("县政协召开推进会", "各乡镇负责人、驻村帮扶工作队队员参加会议。", "结对帮扶"),
        # a special committee's plenary is not the committee's plenary
        ("市政协提案委员会第一次全体会议召开", "会议由提案委员会主任主持。", "全体会议"),
        # before the meeting: 会前 preparations for a plenary that has not met
        ("县政协组织开展十届三次会议会前准备工作", "5月2日，委员们分组开展活动。", "全体会议"),
        # a special committee that holds its plenary (提案审查委员会召开全体会议)
        ("", "28日，区政协提案审查委员会召开全体会议，审查立案。", "全体会议"),
        # a meeting prepared for (做好参加…会议的准备; 召开…会议有关具体事项)
        ("县政协举行委员培训会", "委员们要做好参加县政协十届二次会议的准备。", "全体会议"),
        ("县政协召开主席会议", "会议研究了召开县政协十届二次会议有关具体事项。", "全体会议"),
        # a numbered meeting's name runs to its 会议 before the noun it modifies (议程)
        ("县政协召开党组会议", "会议审议了县政协十届常委会第八次会议议程。", "常委会会议"),
        # a decision earlier in the clause (会议决定于…举行): announced, not held
        ("县政协召开主席会议", "会议决定于5月20日举行县政协十届八次常委会议。", "常委会会议"),
        # a copula sentence characterises: 是…开展读书活动的重要举措
        ("", "县政协举行书屋揭牌仪式，此举是县政协推动委员读书活动的一项措施。", "学习培训"),
        # a meeting about an activity (河长制民主监督动员部署会) is no compound of both
        ("", "4月2日，市政协召开河长制民主监督动员部署会。", "民主监督"),
        # an agenda (常委会议程) is no meeting, though the words overlap
        ("县政协召开主席会议", "会议审议了县政协十届八次常委会议程草案。", "常委会会议"),
        # a clause that the next characterises (开展…，是…举措) names a kind of activity
        ("县政协召开启动会", "开展委员专项民主监督活动，是落实县委部署的具体举措。", "民主监督"),
        # what a speaker says (刘主席说，…) has not happened because it is said
        ("县政协召开主席会议", "张华说，政协委员要在调研视察中发挥作用。", "调研"),
    ],
)
def test_plans_recaps_and_topics_are_not_held(headline, body, not_held):
    assert not_held not in tag_report(headline, body).meeting_types


def test_a_report_that_is_a_recap_is_about_what_it_recaps():
    body = "今年以来，县政协紧扣中心工作，开展民主监督活动，取得明显成效。"
    assert tag_report("", body).meeting_type == "民主监督"
    # beside an event held, the recap adds nothing
    body = "5月8日，县政协召开主席会议。今年以来，县政协开展专题调研5次。"
    assert tag_report("", body).meeting_types == ["主席会议"]


def test_a_meeting_held_to_relay_a_spirit_is_a_study_session():
    """传达…精神会议 is held to study (学习培训); 传达学习 inside another meeting is an agenda."""
    tags = tag_report("全市政协系统传达省两会精神会议召开", "会议由市政协主席主持。")
    assert tags.meeting_type == "学习培训"
    tags = tag_report("", "3月10日，市政协召开全市政协系统传达省两会精神会议，安排部署学习工作。")
    assert tags.meeting_type == "学习培训"
    tags = tag_report("县政协召开主席会议", "会议传达学习了省政协全会精神。")
    assert tags.meeting_types == ["主席会议"]


def test_an_event_word_with_its_aspect_marker_happened():
    tags = tag_report("县政协召开主席会议", "会后，委员们围绕污水治理视察了县城污水处理厂。")
    assert "视察" in tags.meeting_types


def test_excludes_apply_to_their_own_row():
    """视察调研 excludes 视察 only: the 调研 row keeps it (the pooled-excludes bug)."""
    tagger = get_tagger()
    rows = {r["subtype"]: k for k, r in enumerate(tagger.meeting_rows)}
    assert tagger.meeting_excludes[rows["视察调研"]] is None
    tags = tag_report("", "县政协组织部分委员开展视察调研活动，实地察看项目。")
    assert tags.meeting_types == ["调研"]


def test_a_lead_that_sets_a_scene_names_its_event_in_the_next_paragraph():
    body = (
        "4月2日，县政协机关干部早早等候在村口，迎来了20户结对户。\n"
        "县政协机关干部职工与结对户开展结对帮扶交流活动，共商致富门路。"
    )
    assert tag_report("", body).meeting_type == "结对帮扶"
    # further down, an event word in a list of functions does not name the report's event
    body = "4月2日，县政协干部迎来了结对户。\n大家一起用餐。\n这里将是委员读书活动的阵地。"
    assert tag_report("", body).meeting_type == "其他"


@pytest.mark.parametrize(
    "headline, body, types",
    [
        # the 调研 of a 民主监督 (or a 视察, a 帮扶 visit) is how it was done
        (
            "县政协开展专项民主监督",
            "近日，县政协组织委员开展专项民主监督，监督组深入企业开展调研，了解政策落实情况。",
            ["民主监督"],
        ),
        # the 民主监督 a 动员部署会 launches is what it launched, not yet carried out
        (
            "县政协召开专项民主监督动员部署会",
            "会上，县政协安排委员分成五个小组，到县直部门开展民主监督。",
            ["动员部署会"],
        ),
        # a 调研 of its own stays one
        ("县政协开展专题调研", "近日，县政协调研组深入企业开展调研。", ["调研"]),
        # 深入调研 in a year's review is the manner of work, no event
        (
            "秦安县政协十届三次会议闭幕",
            "会议听取了工作报告。过去一年，县政协紧扣发展大局，深入开展调查研究，提出了一批建议。",
            ["全体会议"],
        ),
    ],
)
def test_an_event_that_is_part_of_the_reports_event(headline, body, types):
    assert tag_report(headline, body).meeting_types == types


@pytest.mark.parametrize(
    "body, types",
    [
        # a meeting that mobilises for an activity is also a 动员部署会; the activity it
        # mobilises for is its topic, not yet carried out
        (
            "5月8日，秦安县政协召开十届六次常委会议，动员部署全年专项民主监督工作。",
            ["常委会会议", "动员部署会"],
        ),
        # the meeting as the subject of 动员部署
        (
            "5月8日，秦安县政协十届六次常委会议动员部署全年专项民主监督工作。",
            ["常委会会议", "动员部署会"],
        ),
        (
            "5月8日，秦安县政协召开主席会议，对全年专项民主监督工作进行再动员、再部署。",
            ["主席会议", "动员部署会"],
        ),
    ],
)
def test_a_meeting_that_mobilises_is_also_a_mobilisation(body, types):
    assert tag_report("", body).meeting_types == types


@pytest.mark.parametrize(
    "headline, body, main, types",
    [
        # the 座谈会 that closes a 调研, and the host's 陪同视察, are parts of the 调研
        (
            "市政协调研组来我县调研",
            "近日，市政协调研组深入秦安县企业开展调研，县政协主席陪同视察。"
            "调研组随后召开协商座谈会，听取相关部门意见。",
            "调研",
            ["调研"],
        ),
        # a consultation about proposals is proposal work
        (
            "",
            "近日，县政协召开重点提案集体督办协商会，对5件提案逐件协商。",
            "提案工作",
            ["提案工作"],
        ),
        # an inspection whose object is how proposals are handled is proposal work too
        (
            "",
            "近日，县政协组织委员对“加强乡村道路养护”等6件重点提案落实进展开展集中视察。",
            "提案工作",
            ["提案工作", "视察"],
        ),
        (
            "",
            "近日，州政协副主席带队对十届二次会议以来提案落实情况进行实地督查。",
            "提案工作",
            ["提案工作"],
        ),
        # a numbered plenary written 全会, a party group counted before its name, 一线协商
        ("", "在3月2日举行的秦安县政协十届三次全会上，委员们踊跃发言。", "全体会议", ["全体会议"]),
        ("", "近日，县政协两级委员在委员工作室举行一线协商活动。", "协商会", ["协商会"]),
    ],
)
def test_the_reports_event_and_its_parts(headline, body, main, types):
    tags = tag_report(headline, body)
    assert (tags.meeting_type, tags.meeting_types) == (main, types)


@pytest.mark.parametrize(
    "body, main, types",
    [
        # a party group's meeting numbered by term and session, joint with a 主席会议
        (
            "昨日，县政协党组十届十二次会议暨十届九次主席会议召开，县政协主席主持会议。",
            "党组会议",
            ["党组会议", "主席会议"],
        ),
        # the preparatory session of a plenary is the plenary meeting
        ("1月5日，秦安县政协十届四次会议预备会在县会议中心召开。", "全体会议", ["全体会议"]),
        # a party group's meeting joint with another, named by the body alone (党组暨…)
        (
            "3月5日，县政协党组暨十届第九次主席（扩大）会议召开。",
            "党组会议",
            ["党组会议", "主席会议"],
        ),
        # a quoted topic before the second of a joint meeting does not part them
        (
            "3月5日，县政协十届五次常委会议暨“推进乡村振兴、建设美丽家园”专题协商会召开。",
            "常委会会议",
            ["常委会会议", "协商会"],
        ),
        # 就 as well as 对 before the proposals an inspection checks
        (
            "9月8日，县政协委员就交通类重点提案的落实进展开展现场视察。",
            "提案工作",
            ["提案工作", "视察"],
        ),
        # a numbered 主席会 (the word without 议)
        ("3月5日，县政协召开十届第十五次主席会，研究近期工作。", "主席会议", ["主席会议"]),
        # a proposals' 座谈会 is proposal work
        ("日前，全市政协提案座谈会在秦安县召开，交流提案工作经验。", "提案工作", ["提案工作"]),
    ],
)
def test_sessions_numbered_and_named_meetings(body, main, types):
    tags = tag_report("", body)
    assert (tags.meeting_type, tags.meeting_types) == (main, types)


def test_a_party_group_meeting_counted_before_its_name():
    body = "11月2日，市政协主席主持召开市政协第21次党组、第15次主席会议。"
    tags = tag_report("", body)
    assert (tags.meeting_type, tags.meeting_types) == ("党组会议", ["党组会议", "主席会议"])


def test_a_bodys_numbered_meeting_with_the_year_between():
    tags = tag_report("", "3月5日，秦安县政协党组召开2021年第7次会议，研究近期重点工作。")
    assert tags.meeting_type == "党组会议"
    tags = tag_report("", "11月2日，县政协党组2023年第17次会议暨十届三十次主席会议召开。")
    assert (tags.meeting_type, tags.meeting_types) == ("党组会议", ["党组会议", "主席会议"])


def test_a_noun_that_reads_like_a_speech_verb_is_no_speech():
    body = "为更好地适应新时期工作要求，5月10日起，县政协组织委员赴外地进行了为期3天的学习培训。"
    assert tag_report("", body).meeting_type == "学习培训"


def test_every_event_the_report_describes():
    tags = tag_report(
        "县政协召开主席会议",
        "3月1日，县政协召开主席会议。\n会后，主席会议成员赴帮扶村开展走访慰问活动。",
    )
    assert tags.meeting_type == "主席会议"
    assert tags.meeting_types == ["主席会议", "结对帮扶"]


@pytest.mark.parametrize(
    "headline, body, dateline, locality, places",
    [
        # the venue is not the actor: 全市 names the city whose seat the venue is in
        ("全市县（区）政协主席座谈会议在成县召开", "会议交流了经验。", "", "陇南市", ["成县"]),
        # a dateline names where the reporter files from; 州政协 is the prefecture's
        (
            "州政协调研组深入夏河县调研",
            "近日，州政协调研组深入夏河县调研。",
            "合作",
            "甘南藏族自治州",
            ["夏河县"],
        ),
        # the provincial committee acts in the city it visits
        ("省政协调研组来平凉市调研", "近日，省政协调研组来平凉市调研。", "", "甘肃省", ["平凉市"]),
        # 临夏 + 县政协 is the county, not the prefecture or the city of the same short name
        ("临夏县政协召开主席会议", "近日，县政协召开主席会议。", "", "临夏县", ["临夏县"]),
    ],
)
def test_locality_is_the_committee_that_acts(headline, body, dateline, locality, places):
    tags = tag_report(headline, body, dateline)
    assert tags.locality == locality
    assert tags.places == places


def test_province_of_a_report_from_elsewhere():
    tags = tag_report("鼓楼区政协召开常委会议", "近日，福州市鼓楼区政协召开常委会议。")
    assert (tags.locality, tags.locality_code, tags.province) == ("鼓楼区", "350102", "福建省")
    tags = tag_report("沿河自治县政协召开主席会议", "会议由县政协主席主持。")
    assert (tags.locality, tags.province) == ("沿河土家族自治县", "贵州省")


@pytest.mark.parametrize(
    "text, places, not_places",
    [
        ("中美关系持续发展，中方表示欢迎。", ["中", "美", "中"], []),
        ("总统访华期间到长江沿岸考察。", ["华", "长江"], []),
        ("这条街东西走向，是一个大国的首都。", [], ["东西", "大国"]),
    ],
)
def test_places_in_any_text(text, places, not_places):
    found = [text[s:e] for label, s, e in entities(text) if label == "LOC"]
    assert found[: len(places)] == places
    assert not set(not_places) & set(found)


def test_banner_and_league_committees_keep_their_level():
    """Inner Mongolia: a 旗 is a county, a 盟 a prefecture."""
    tags = report_tags(
        "近日，旗政协召开常委会议。", dateline="本报鄂托克前旗讯", home="内蒙古自治区"
    )
    assert tags.locality == "鄂托克前旗"
    tags = report_tags(
        "近日，盟政协召开主席会议。", dateline="锡林郭勒盟融媒体中心讯", home="内蒙古自治区"
    )
    assert tags.locality == "锡林郭勒盟"


def test_a_county_made_a_city_is_found_by_its_old_name():
    tags = tag_report(
        "京山县政协开展提案督办", "9月16日，京山县政协主席带领委员现场督办重点提案。"
    )
    assert (tags.locality, tags.province) == ("京山市", "湖北省")


def test_committees_of_several_levels_together_act_as_none():
    """县区政协工作 is the county-level committees' work: the city committee visits them."""
    tags = tag_report(
        "李明深入民乐、甘州调研文旅产业及县区政协工作",
        "5月8日，市政协主席李明一行深入民乐县、甘州区调研，走访县区政协机关。",
        dateline_place="张掖",
    )
    assert tags.locality == "张掖市"


def test_a_committee_whose_people_attend_is_a_guest():
    tags = tag_report(
        "县政协举办书画展", "11月28日，县政协举办书画展。渭源县政协有关负责同志参加。"
    )
    assert tags.locality != "渭源县"


@pytest.mark.parametrize(
    "body, main, types",
    [
        # the event word that heads the noun phrase is the event; the ones before it its topic
        ("6月3日，县政协召开民主监督县交通局工作动员会。", "动员部署会", ["动员部署会"]),
        ("5月8日，市政协视察组到临洮县开展结对帮扶专项视察活动。", "视察", ["视察"]),
        # a modifier right before its head makes a compound event that is both
        ("11月2日，市政协组织委员开展监督性视察。", "视察", ["视察", "民主监督"]),
        # what the session convened is the main event; the session is in progress too
        ("3月10日，政协临洮县十届三次会议召开专题协商议政会。", "协商会", ["协商会", "全体会议"]),
        # two activity verbs side by side are two events, the first the main one
        ("1月9日，市政协副主席一行赴金寨村调研慰问。", "调研", ["调研", "结对帮扶"]),
        # an activity named by its function before the form it takes is that function
        ("5月6日，州政协组织委员开展河湖治理民主监督调研。", "民主监督", ["民主监督"]),
        # a meeting that does something to its topic: the meeting, and the topic's work
        ("7月10日，9日，县政协召开年度重点提案集中督办推进会。", "推进会", ["推进会", "提案工作"]),
        # a plenary in its sixth or later session, and its opening meeting
        ("3月24日，政协临洮县第九届委员会第七次会议召开。", "全体会议", ["全体会议"]),
        # the group a chair leads names the event (带领视察组一行…开展调研), and its 调研 is
        # how the 视察 was done
        ("5月2日，县政协副主席带领视察组一行深入园区开展调研。", "视察", ["视察"]),
        # a function before its form (监督调研); a party group's numbered meeting; 双招双引
        ("9月17日，县政协组织开展校园安全监督调研。", "民主监督", ["民主监督"]),
        ("7月8日，州政协党组第17次会议召开。", "党组会议", ["党组会议"]),
        ("6月3日，市政协主席带队赴深圳开展双招双引活动。", "招商引资", ["招商引资"]),
        # a joint meeting (A暨B召开) is both, the first named the main one
        (
            "7月8日，州政协党组第9次会议暨第21次主席会议召开。",
            "党组会议",
            ["党组会议", "主席会议"],
        ),
        # a meeting that is the subject of its holding (…会议在兰州召开) beats an activity in it
        (
            "6月2日，市政协十届常委会第五次会议在兰州召开。会议开展专题协商。",
            "常委会会议",
            ["常委会会议", "协商会"],
        ),
        # 面对面 is no 对 + a topic
        ("5月2日，县政协召开委员与交通局面对面提案协商会。", "提案工作", ["提案工作"]),
        # a guest committee's visit to study (来我县考察学习) is still its 调研
        ("近日，白银市政协考察组来我县考察学习。", "调研", ["调研"]),
    ],
)
def test_the_head_of_a_noun_phrase_is_the_event(body, main, types):
    tags = tag_report("", body)
    assert tags.meeting_type == main
    assert tags.meeting_types[: len(types)] == types
    assert set(tags.meeting_types) == set(types)


def test_a_short_name_the_dictionary_calls_a_person_names_a_place_at_home():
    """静宁 is nr in jieba's dictionary; in a Gansu paper it is the county."""
    tags = tag_report(
        "县政协召开主席会议", "5月6日，县政协召开主席会议，要为建设幸福静宁贡献力量。"
    )
    assert tags.locality == "静宁县"


def test_a_level_split_from_its_committee_word_keeps_its_level():
    """州政协副主席 may come out of the tokenizer as 州 + 政协副主席: still the 州's committee,
    not the county committee that accompanies it."""
    tags = tag_report(
        "",
        "6月2日，州政协副主席马明一行视察了我县城乡环境整治情况。县政协主席李华陪同视察。"
        "视察组对大美临夏建设给予肯定。",
    )
    assert tags.locality == "临夏回族自治州"


def test_a_municipality_committee_is_a_city_committee():
    """In a Chongqing paper, 市政协 is the municipality's (a province-level 市)."""
    from helpers.tag import Tagger

    article = Article(
        kind="article",
        headline="市政协副主席调研委员工作室",
        body="9月4日，市政协副主席张华率队赴渝北区调研委员工作室运行情况。",
    )
    assert Tagger(home_province="重庆市").tag(article).locality == "重庆市"


def test_a_place_inside_a_name_is_part_of_the_name():
    """闫金川: 金川 (a district of 金昌) inside a person's name is no place; a place that opens
    the words (白银市…) stays the place."""
    tags = tag_report(
        "县政协召开主席会议", "5月6日，临洮县政协召开主席会议，县政协副主席闫金川主持。"
    )
    assert "闫金川" in tags.persons
    assert "金川区" not in tags.places
    assert not [m for m in tags.mentions if m.type == "place" and m.text == "金川"]
    assert ("PER", 11, 14) in entities("5月6日，县政协副主席闫金川主持会议。")


def test_a_committee_named_with_its_term_before_its_place():
    tags = tag_report("政协第九届临洮县委员会第三次会议闭幕", "州政协副主席马明出席会议。")
    assert tags.locality == "临洮县"


def test_a_county_media_dateline_names_the_county():
    from helpers.split import parse_page

    text = "县政协召开常委会议\n临洮县融媒5月6日讯（记者：李明 5月6日，县政协召开常委会议。"
    (article,) = parse_page(text).articles
    tags = get_tagger().tag(article)
    assert tags.locality == "临洮县"
