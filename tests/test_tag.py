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
        [("庞明全", "政协主席", "武山县"), ("习近平", "", "全国")],
        "常委会会议",
    ),
    "天水市政": ("天水市", "620500", "天水市", [], "调研"),
    "敦煌市政": ("敦煌市", "620982", "酒泉市", [], "调研"),
    "两当县政": ("两当县", "621228", "陇南市", [("习近平", "", "全国")], "调研"),
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
    assert tag_text("本报临夏讯 近日，县政协组织委员视察。").locality == "临夏回族自治州"


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
    assert "党组会议" in tags[1].meeting_types and tags[2].meeting_types == ["调研"]
