"""Splitting the real page: headlines on the right bodies, clean text, nothing lost."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from helpers import parse_page
from helpers.split import page_lines
from helpers.synth import Layout, layout_page, shuffled_page

EXPECTED = [
    # kind, headline, subheadline, reporters, dateline place, event date, date as printed
    (
        "article",
        "陇南市政协召开五届十二次主席会议",
        "",
        ["何小爱"],
        "陇南",
        "2023-06-05",
        "6月5日",
    ),
    (
        "article",
        "爱心帮扶有“速度”更有“温度”",
        "临泽县政协机关干部积极投入爱心扶孤助残济困行动",
        ["黄志权"],
        "",
        None,
        "连日来",
    ),
    ("photo", "会宁县政协开展结对关爱帮扶活动", "", ["邵文学"], "", None, "近日"),
    (
        "article",
        "金昌市政协擦亮协商民主“金昌品牌”",
        "",
        ["刘绍周"],
        "金昌",
        "2023-06-05",
        "6月5日",
    ),
    (
        "article",
        "嘉峪关市政协调研基层民主协商工作",
        "",
        ["苏天泰"],
        "嘉峪关",
        "2023-06-05",
        "6月5日至6日",
    ),
    ("photo", "文县政协开展结对关爱帮扶活动", "", ["吴玉民"], "", None, "近日"),
    (
        "article",
        "武山县政协召开十届九次常委会会议",
        "",
        ["令斌斌"],
        "武山",
        "2023-06-05",
        "6月5日",
    ),
    ("article", "天水市政协：关注应急救援体系和机制建设", "", ["高磊"], "天水", None, "近日"),
    (
        "article",
        "敦煌市政协：积极推进政协协商向基层延伸",
        "",
        ["沈艳熙", "贠鹏宇"],
        "敦煌",
        "2023-06-07",
        "6月7日",
    ),
    (
        "article",
        "两当县政协：助力民族团结进步示范县创建",
        "",
        ["周喜龙"],
        "两当",
        "2023-06-06",
        "6月6日",
    ),
    ("continuation", "", "", [], "", None, "近日"),
]

# Each headline's body: how it starts and how it ends, so a headline on the wrong body fails.
BODY_ENDS = {
    "陇南市政协召开五届十二次主席会议": (
        "6月5日，陇南市政协主席梁英主持召开",
        "党和政府的关怀和温暖。",
    ),
    "爱心帮扶有“速度”更有“温度”": ("党委有安排，政协有行动。", "走访全覆盖、慰问全覆盖。"),
    "会宁县政协开展结对关爱帮扶活动": (
        "近日，会宁县政协机关干部前往平头川镇",
        "帮助协调解决实际困难。",
    ),
    "金昌市政协擦亮协商民主“金昌品牌”": ("6月5日，金昌市政协召开", "进行了工作经验交流。"),
    "嘉峪关市政协调研基层民主协商工作": ("6月5日至6日，嘉峪关市政协组织调研组", "取得新成效。"),
    "文县政协开展结对关爱帮扶活动": (
        "近日，文县政协机关全体党员干部分赴",
        "仔细询问结对户实际需求。",
    ),
    "武山县政协召开十届九次常委会会议": ("6月5日，武山县政协主席庞明全", "作出新的更大贡献。"),
    "天水市政协：关注应急救援体系和机制建设": (
        "近日，天水市政协组织调研组",
        "机制建设作出政协贡献。",
    ),
    "敦煌市政协：积极推进政协协商向基层延伸": (
        "6月7日，敦煌市政协组织部分委员",
        "委员履职的“新平台”。",
    ),
    "两当县政协：助力民族团结进步示范县创建": (
        "6月6日，两当县政协组织调研组",
        "完成创建工作任务。",
    ),
    "": ("截至目前，市政协主席会议成员带队", "展示政协新作为。"),
}


def test_eleven_articles_in_reading_order(page):
    got = [
        (
            a.kind,
            a.headline,
            a.subheadline,
            a.reporters,
            a.dateline_place,
            None if pd.isna(a.event_date) else str(a.event_date.date()),
            a.event_date_text,
        )
        for a in page.articles
    ]
    assert got == [tuple(e) for e in EXPECTED]


@pytest.mark.parametrize("headline", list(BODY_ENDS))
def test_headline_sits_on_its_body(page, headline):
    (article,) = [a for a in page.articles if a.headline == headline]
    start, end = BODY_ENDS[headline]
    assert article.body.startswith(start)
    assert article.body.endswith(end)


def test_fields_are_separated_from_body(page):
    lnn, linze, huining, jinchang = page.articles[:4]
    assert lnn.dateline == "本报陇南讯（通讯员何小爱）"
    assert jinchang.byline == "（刘绍周）" and "刘绍周" not in jinchang.body
    assert linze.byline == "□ 通讯员黄志权"
    assert huining.byline == "邵文学 摄影报道" and "摄影" not in huining.body
    assert page.articles[8].byline == "（沈艳熙 贠鹏宇）"
    cont = page.articles[-1]
    assert cont.continued_from == "（接一版）"
    assert cont.subheads == ["突出“效”的实绩为包联企业纾困解难"]
    assert "\n突出“效”的实绩为包联企业纾困解难\n" in cont.body
    assert [r.text for r in page.residue] == ["视察调研"]


def test_repaired_text_is_clean(page):
    bodies = "\n".join(a.body for a in page.articles)
    assert not re.search(r"[\u4e00-\u9fff，。、][ \t\u3000]+[\u4e00-\u9fff，。、]", bodies)
    assert "6月5日至6日" in bodies and "3万余元" in bodies and "2000余元" in bodies
    assert "更富成效，真正使之成为党委政府的" in bodies
    assert "近日近日" not in bodies and "，，" not in bodies
    wen = page.articles[5]
    assert wen.body == (
        "近日，文县政协机关全体党员干部分赴各自的帮扶对象家中开展结对帮扶活动，"
        "与帮扶对象面对面谈心交流，详细了解结对家庭基本情况，仔细询问结对户实际需求。"
    )
    # ordinary reduplication survives
    assert "人人知晓创建" in page.articles[9].body and "汩汩暖流" in page.articles[1].body


def test_paragraphs_are_inferred(page):
    assert [a.body.count("\n") + 1 for a in page.articles] == [2, 8, 1, 3, 3, 1, 2, 3, 3, 3, 4]


def test_spans_point_into_the_source(page, page_text):
    spans = [a.span for a in page.articles]
    for article in page.articles:
        start, end = article.span
        source = page_text[start:end]
        first = "（接一版）" if article.kind == "continuation" else article.dateline + article.body
        assert re.sub(r"\s", "", source).startswith(first[:2])
    body_spans = sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(body_spans, body_spans[1:], strict=False))


def _visible(texts) -> Counter:
    return Counter(c for t in texts for c in t if c.isalnum())


def assert_nothing_lost(text: str, parsed) -> None:
    """Every letter and digit of the (halved) input is in an article field or the residue."""
    source = _visible(line.halved for line in page_lines(text))
    out = _visible(
        [f for a in parsed.articles for f in a.printed_fields()] + [r.text for r in parsed.residue]
    )
    assert out == source, (source - out, out - source)


def test_nothing_lost_on_the_real_page(page_text, page):
    assert_nothing_lost(page_text, page)


@pytest.mark.parametrize("seed", range(30))
def test_nothing_lost_on_relaid_pages(page, seed):
    text, _ = shuffled_page(page.articles, seed)
    assert_nothing_lost(text, parse_page(text))


def _key(a):
    return (a.kind, a.headline, a.subheadline, a.body.replace("\n", ""), tuple(a.reporters))


@pytest.mark.parametrize("headline_after", [True, False])
@pytest.mark.parametrize("width", [14, 18, 24])
def test_relaid_pages_parse_back(page, headline_after, width):
    """Other widths and headline positions, articles in the real page's order."""
    import random

    layout = Layout(
        width=width, headline_after=headline_after, double_photos=True, justify_share=0.05
    )
    text = layout_page(page.articles, layout, random.Random(width))
    assert sorted(map(_key, parse_page(text).articles)) == sorted(map(_key, page.articles))


def test_shuffled_pages_mostly_parse_back(page):
    """Random order and layout: the known miss is a dateline-less feature printed right after
    the continuation with its headline below it (nothing marks where it starts)."""
    exact = 0
    for seed in range(60):
        text, order = shuffled_page(page.articles, seed)
        parsed = parse_page(text)
        exact += sorted(map(_key, parsed.articles)) == sorted(map(_key, order))
        assert abs(len(parsed.articles) - len(order)) <= 1
    assert exact >= 48


def test_page_furniture_goes_to_residue(page, page_text):
    furniture = ["民主协商报", "2023年6月8日 星期四", "第3版", "责任编辑：张三 校对：李四"]
    text = "\n\n".join(furniture[:3]) + "\n\n" + page_text + "\n\n" + furniture[3] + "\n"
    parsed = parse_page(text)
    assert sorted(map(_key, parsed.articles)) == sorted(map(_key, page.articles))
    residue = [r.text for r in parsed.residue]
    assert residue == [
        "民主协商报",
        "2023年6月8日星期四",
        "第3版",
        "视察调研",
        "责任编辑：张三校对：李四",
    ]
    assert_nothing_lost(text, parsed)


def test_other_layouts_of_the_same_paper():
    """A page written for this test (not a real one) with what other pages of the paper print:
    a two-line headline over a subtitle and an author line, 本报讯 with no place, a jump to
    another page, a headline below its article that the next text follows directly, and a
    photo captioned 图为… with its headline below."""
    text = (Path(__file__).parent / "constructed_front_page.txt").read_text(encoding="utf-8")
    page = parse_page(text, "2023-07-01_p1.txt")
    got = [(a.kind, a.headline, a.subheadline, a.reporters, a.continued_on) for a in page.articles]
    assert got == [
        (
            "article",
            "凝心聚力谋发展履职尽责显担当",
            "省政协十二届常委会第八次会议侧记",
            ["张晓明"],
            "（下转第2版）",
        ),
        ("article", "兰州市政协党组理论学习中心组召开学习会议", "", ["李红梅"], ""),
        ("photo", "定西市政协调研马铃薯产业", "", ["王伟"], ""),
    ]
    assert page.articles[0].event_date == pd.Timestamp("2023-06-28")
    assert page.articles[1].body.endswith("推动政协工作高质量发展。")
    assert page.articles[2].body == "图为定西市政协委员在安定区调研马铃薯产业发展情况。"
    assert_nothing_lost(text, page)


@pytest.mark.parametrize("width", [16, 20])
def test_kept_indents_mark_paragraphs(page, width):
    """Some extractors keep the paragraph indent (　　): paragraphs then survive even when a
    paragraph's last line happens to fill the column."""
    import random

    layout = Layout(width=width, headline_after=True, indent_marks=True, justify_share=0.0)
    text = layout_page(page.articles, layout, random.Random(width))
    parsed = parse_page(text)
    assert [a.body for a in parsed.articles] == [a.body for a in page.articles]
    assert [a.headline for a in parsed.articles] == [a.headline for a in page.articles]
