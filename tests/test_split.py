"""Splitting the real page: headlines on the right bodies, clean text, nothing lost."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from helpers import parse_page
from helpers.repair import doubled_runs
from helpers.split import page_lines
from helpers.synth import (
    BOUNDARY_CLASSES,
    LAYOUT_FAMILIES,
    Layout,
    lay_out,
    layout_page,
    score_page,
    shuffled_page,
)

FIXTURES = Path(__file__).parent / "fixtures"

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


# ------------------------------------------------------------ pages of other reports (issue 9)
# Pages composed for these tests in the paper's style (tests/fixtures/split_*.txt), one per way
# two reports run together. Each entry: (headline, body start, body end, boundary).
COMPOSED_PAGES = {
    # nothing printed between two reports: the second's lead names another committee
    "split_unmarked_lead": [
        ("天水市政协召开十四届十九次主席会议", "3月6日，天水市政协", "建言资政质量。", "marked"),
        ("清水县政协视察农村人居环境整治工作", "近日，清水县政协", "乡村环境美起来。", "lead"),
    ],
    # a one-line headline naming another committee between two reports is no subhead
    "split_committee_headline": [
        ("漳县政协召开十届十五次常委会会议", "4月10日，漳县政协", "献计出力。", "marked"),
        ("岷县政协走访慰问困难群众", "近日，岷县政协", "勤劳致富。", "headline"),
    ],
    # a kicker headline (临夏州政协 / 召开主席会议) below its report, the next one's above
    "split_kicker_pair": [
        ("临夏州政协召开主席会议", "4月2日，临夏州政协", "转化落地。", "marked"),
        ("康乐县政协视察重点项目建设", "4月8日，康乐县政协", "早见效。", "headline"),
    ],
    # two headlines between two bodies with nothing else: one goes up, one down
    "split_headline_pair": [
        ("凉州区政协召开主席会议", "5月12日，凉州区政协", "做深做实。", "marked"),
        ("秦州区政协视察老旧小区改造工作", "5月15日，秦州区政协", "工程质量。", "lead"),
        ("靖远县政协调研黄河流域生态保护", "5月20日，靖远县政协", "仍需下功夫。", "headline"),
    ],
    # a two-line headline between two bodies is not the start of the next body
    "split_two_line_between": [
        ("甘州区政协开展委员履职培训", "6月14日，甘州区政协", "履职本领。", "marked"),
        (
            "华池县政协召开主席会议专题研究重点提案办理工作",
            "9月5日，华池县政协",
            "质量和实效。",
            "headline",
        ),
    ],
    # nothing printed and a lead that names no committee first: the headline left over below
    # takes the text from the sentence its words fit, and the row says it was a guess
    "split_invisible": [
        (
            "肃南县政协召开民族团结进步创建工作协商座谈会",
            "7月3日，肃南县政协",
            "意见建议。",
            "marked",
        ),
        ("康乐县政协机关为群众办实事", "为民办实事，件件见真情。", "出行难题。", "guessed"),
    ],
    # a headline as wide as the column, no dateline: its lead repeats the committee it opens
    # with, where prose never starts a line with the words its own line started with
    "split_repeated_committee": [
        ("靖远县政协召开常委会议", "5月6日，靖远县政协", "助推发展。", "marked"),
        ("平川区政协扎实开展委员进社区倾听民意解民忧", "平川区政协坚持", "普遍好评。", "headline"),
    ],
    # a report's last paragraph lost its full stop: full lines with a list mark are prose,
    # not a headline left without an article
    "split_missing_stop": [
        ("古浪县政协召开主席会议", "5月12日，古浪县政协", "近期重点工作。", "marked"),
        ("武威市政协调研文旅融合发展", "5月9日，武威市政协", "此次调研活动", "headline"),
    ],
}


@pytest.mark.parametrize("name", list(COMPOSED_PAGES))
def test_composed_pages_split_into_their_reports(name):
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    parsed = parse_page(text)
    got = [
        (a.headline, a.body[: len(s)], a.body[-len(e) :], a.boundary)
        for a, (_, s, e, _) in zip(parsed.articles, COMPOSED_PAGES[name], strict=False)
    ]
    assert len(parsed.articles) == len(COMPOSED_PAGES[name])
    assert got == COMPOSED_PAGES[name]
    assert parsed.residue == []
    assert_nothing_lost(text, parsed)


def test_merged_reports_are_flagged():
    """Where an article holds a second report's lead (another committee's place, another day)
    the row says so; clean pages and a report's own later paragraphs raise no flag."""
    merged = "\n".join(
        [
            "漳县政协召开常委会会议",
            "4月10日，漳县政协召开十届十五次常委会会议，研究近期重点工作。",
            "会议要求，要为全县发展献计出力。",
            "近日，岷县政协组织委员走访慰问困难群众，送去米、面、油等慰问品。",
            "委员们鼓励群众坚定信心，勤劳致富。",
        ]
    )
    (article,) = parse_page(merged).articles
    assert article.merged_suspect
    own_paragraph = merged.replace("近日，岷县政协", "4月10日，漳县政协")
    (article,) = parse_page(own_paragraph).articles
    assert not article.merged_suspect
    another_day = merged.replace("近日，岷县政协", "5月20日，漳县政协")
    (article,) = parse_page(another_day).articles
    assert article.merged_suspect
    for name in COMPOSED_PAGES:
        clear = parse_page((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"))
        assert not any(a.merged_suspect for a in clear.articles), name


def test_headline_that_fits_a_later_lead_flags_the_article():
    """An article opening with text its headline does not fit, whose later sentence fits it
    as a lead, holds the end of another report first."""
    from helpers.split import _Body, _Matcher, _Unit, headline_fits_later

    lines = page_lines(
        "\n".join(
            [
                "康乐县政协视察河道治理工程",
                "会议要求，要聚焦全州中心工作，深入调查研究，精心组织协商活动，",
                "推动协商成果转化落地，为全州经济社会发展贡献力量。",
                "近日，康乐县政协组织委员视察河道治理工程建设情况。",
                "委员们建议，要加快工程进度，确保汛期安全。",
                "临夏州政协召开主席会议，研究近期重点工作。",
            ]
        )
    )
    head, body_lines, other = lines[0], lines[1:5], lines[5:]
    late = _Body(body_lines, unit=_Unit([head], []))
    matcher = _Matcher([late, _Body(other)])
    assert headline_fits_later(late, matcher)
    own = _Body(body_lines[2:], unit=_Unit([head], []))
    assert not headline_fits_later(own, _Matcher([own, _Body(other)]))


def test_subhead_inside_an_article_stays_in_it(page):
    """An in-article subhead (no committee, no lead after it) still folds into its article."""
    assert page.articles[-1].subheads == ["突出“效”的实绩为包联企业纾困解难"]


def test_web_punctuation_and_other_papers_datelines():
    """ASCII commas and other papers' datelines (陇上新闻网…讯（记者…）) over two lines."""
    text = "\n".join(
        [
            "县政协召开主席会议",
            "陇上新闻网3月7日讯（陇上日报",
            "社记者 段文华）3月6日,县",
            "政协召开主席会议,研究近期工作。",
            "会议要求,要抓好各项工作落实。",
        ]
    )
    (article,) = parse_page(text).articles
    assert article.headline == "县政协召开主席会议"
    assert article.dateline.startswith("陇上新闻网3月7日讯")
    assert article.reporters == ["段文华"]
    assert article.body.startswith("3月6日,县政协召开主席会议")


# ------------------------------------------------------------ laid-out pages with ground truth

COMPOSED = json.loads((FIXTURES / "split_articles.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("family", LAYOUT_FAMILIES)
def test_lay_out_records_where_each_report_is(family):
    laid = lay_out(COMPOSED[:8], seed=3, family=family)
    assert laid.text == lay_out(COMPOSED[:8], seed=3, family=family).text  # seeded
    assert len(laid.reports) == 8
    for report, item in zip(laid.reports, COMPOSED[:8], strict=True):
        start, end = report.body_span
        body = re.sub(r"\s", "", laid.text[start:end])
        if report.kind == "photo":  # printed in bold: every run twice
            body = "".join(doubled_runs(body) or body)
        assert item["paragraphs"][0][:6] in body
        if report.kind != "continuation":
            hs, he = report.headline_span
            assert re.sub(r"\s", "", laid.text[hs:he]).startswith(report.headline)
            assert report.headline == item["headline"]
        assert report.boundary in BOUNDARY_CLASSES


def test_layout_families_cover_every_boundary_class():
    seen = {
        r.boundary
        for family in LAYOUT_FAMILIES
        for seed in range(6)
        for r in lay_out(COMPOSED, seed=seed, family=family).reports
    }
    assert seen == set(BOUNDARY_CLASSES)


def test_score_page_finds_a_merge():
    """The scorer sees two reports in one article (it must be able to fail)."""
    laid = lay_out(COMPOSED[:3], seed=1, family="above")
    parsed = parse_page(laid.text).articles
    assert all(s.exactly_one and s.headline_right for s in score_page(laid, parsed))
    merged = parsed[0]
    merged.span = (parsed[0].span[0], parsed[1].span[1])
    scores = score_page(laid, [merged] + parsed[2:])
    assert [s.exactly_one for s in scores] == [False, False, True]


@pytest.mark.parametrize("family", LAYOUT_FAMILIES)
def test_composed_articles_laid_out_split_back(page, family):
    """The composed articles and the real page's, in every layout family: at least 90% of
    reports come back as exactly one article with their exact headline."""
    import random

    pool = COMPOSED + list(page.articles)
    good = total = 0
    for seed in range(10):
        chosen = random.Random(seed).sample(pool, 7)
        laid = lay_out(chosen, seed=seed, family=family)
        for s in score_page(laid, parse_page(laid.text).articles):
            total += 1
            good += s.exactly_one and s.headline_right
    assert good >= 0.9 * total


# ------------------------------------------------------------------------- page size (issue 11)


def test_parsing_time_grows_linearly(page_text):
    """A page ten times longer takes about ten times longer, not a hundred (the headline
    matcher once compared every headline with every body)."""
    import time

    def best_of(text: str, runs: int) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            parse_page(text)
            times.append(time.perf_counter() - start)
        return min(times)

    small = page_text * 2  # ~34 KB
    large = page_text * 20  # ~340 KB
    ratio = best_of(large, 2) / best_of(small, 5)
    # linear is 10; a quadratic step gives ~100. 30 leaves room for a busy machine.
    assert ratio < 30, ratio


@pytest.mark.parametrize("family", LAYOUT_FAMILIES)
def test_nothing_lost_on_laid_out_pages(page, family):
    """Cutting at leads and at leftover headlines moves lines, never drops them."""
    import random

    pool = COMPOSED + list(page.articles)
    for seed in range(5):
        laid = lay_out(random.Random(seed).sample(pool, 8), seed=seed, family=family)
        assert_nothing_lost(laid.text, parse_page(laid.text))


def test_author_and_reporter_forms_of_other_papers():
    """文/X under a headline is an author line; 本报讯 记者 X with no brackets is a dateline."""
    text = "\n".join(
        [
            "康乐县政协视察重点项目建设",
            "文/马丽娟",
            "4月8日，康乐县政协组织部分委员视察重点项目建设情况。",
            "漳县政协召开常委会会议",
            "本报讯 记者 王刚 4月10日，漳县政协召开常委会会议，研究近期工作。",
        ]
    )
    kangle, zhang = parse_page(text).articles
    assert (kangle.headline, kangle.byline, kangle.reporters) == (
        "康乐县政协视察重点项目建设",
        "文/马丽娟",
        ["马丽娟"],
    )
    assert (zhang.dateline, zhang.reporters) == ("本报讯记者王刚", ["王刚"])
    assert zhang.body.startswith("4月10日，漳县政协")


# ------------------------------------------------------ other papers' datelines and credits

# Composed in the styles of county media centres and other papers: headline, dateline as
# printed, place it names, byline as printed, reporters, first words of the body.
OTHER_PAPERS = [
    (
        "平凉市政协召开主席会议",
        "平凉融媒体中心讯（记者李明通讯员王芳）",
        "平凉市",
        "（完）",
        ["李明", "王芳"],
        "3月6日",
    ),
    (
        "庄浪县政协视察水利工程",
        "庄浪县融媒体中心讯",
        "庄浪县",
        "供稿：庄浪县政协办公室",
        [],
        "近日",
    ),
    (
        "静宁县政协调研苹果产业",
        "（平凉日报记者赵刚）",
        "",
        "文/图 孙丽",
        ["赵刚", "孙丽"],
        "4月2日",
    ),
    (
        "华亭市政协开展委员培训",
        "中国华亭网5月8日讯",
        "华亭市",
        "（华亭市政协办公室供稿）",
        [],
        "5月8日",
    ),
    (
        "崇信县政协召开常委会议",
        "崇信县融媒体中心讯记者马文华通讯员刘洋",
        "崇信县",
        "来源：崇信县融媒体中心",
        ["马文华", "刘洋"],
        "6月3日",
    ),
]


def test_other_papers_datelines_and_credits():
    """Media-centre and web datelines, bracketed reporters, source lines and end marks: each
    report keeps its own, and a credit after a report closes it."""
    text = (FIXTURES / "split_other_papers.txt").read_text(encoding="utf-8")
    parsed = parse_page(text)
    got = [
        (a.headline, a.dateline, a.dateline_place, a.byline, a.reporters, a.body[: len(e[-1])])
        for a, e in zip(parsed.articles, OTHER_PAPERS, strict=False)
    ]
    assert len(parsed.articles) == len(OTHER_PAPERS)
    assert got == OTHER_PAPERS
    assert [r.text for r in parsed.residue] == ["编辑周涛"]
    assert_nothing_lost(text, parsed)


def test_credit_lines_close_the_report_before_them():
    """With no headline between them, a credit after a sentence end still parts two reports;
    a bracketed credit alone after a sentence end is that report's byline, not a dateline."""
    text = "\n".join(
        [
            "6月3日，崇信县政协召开常委会议，协商讨论年度重点工作。",
            "（崇信县融媒体中心记者 马文华）",
            "6月5日，灵台县政协召开主席会议，研究近期工作。",
            "供稿：灵台县政协办公室",
            "近日，泾川县政协组织委员视察河道治理工作。",
            "文/图 刘洋",
        ]
    )
    first, second, third = parse_page(text).articles
    assert (first.byline, first.reporters, first.dateline) == (
        "（崇信县融媒体中心记者 马文华）",
        ["马文华"],
        "",
    )
    assert (second.body[:4], second.byline, second.reporters) == (
        "6月5日",
        "供稿：灵台县政协办公室",
        [],
    )
    assert (third.body[:4], third.byline, third.reporters) == ("近日，泾", "文/图 刘洋", ["刘洋"])
    assert second.boundary == third.boundary == "marked"


def test_words_that_only_look_like_datelines_stay_prose():
    """通讯员, 电话, 电视 inside a column line are no dateline: 讯/电 must end one."""
    text = "\n".join(
        [
            "县政协召开座谈会",
            "5月6日，县政协召开座谈会，邀请县融媒体中心通",
            "讯员和县广播电视台电话连线的",
            "委员代表参加。会议要求，要讲好政协故事。",
        ]
    )
    (article,) = parse_page(text).articles
    assert article.dateline == ""
    assert article.body.startswith("5月6日，县政协召开座谈会")


@pytest.mark.parametrize(
    "dateline, place",
    [
        ("本报临夏5月6日讯（记者 马文华）", "临夏"),
        ("本报兰州3月5日电（记者 王刚）", "兰州"),
        ("本报平凉讯（通讯员 刘洋）", "平凉"),
    ],
)
def test_a_dateline_may_carry_its_date(dateline, place):
    """本报X月日讯 and 本报X月日电 name their place as 本报X讯 does."""
    text = f"县政协召开主席会议\n{dateline}5月6日，县政协召开主席会议。县政协主席李明主持。"
    (article,) = parse_page(text).articles
    assert article.dateline_place == place
    assert article.body.startswith("5月6日")
