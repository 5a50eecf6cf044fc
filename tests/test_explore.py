"""Explore helpers (helpers/explore.py) against results checked by hand: on the real page
(tests/fixtures) and on two small pages composed here in the paper's style."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from helpers import (
    collocates,
    cooccurrence,
    edges,
    explore,
    find,
    keyness,
    kwic,
    load_corpus,
    picker,
)
from helpers.synth import wrap
from helpers.tag import article_text

COLUMN = 18

# Two pages composed for these tests (not from the newspaper): two prefectures, two months.
# 枸杞 is said only in 靖远县's report; a "<" and "&" stand in any page text that looks like HTML.
PAGE_JUNE = [
    "白银市政协召开主席会议",
    "本报白银讯（通讯员李明）6月10日，白银市政协主席张文华主持召开市政协主席会议，"
    "研究部署乡村振兴专题调研工作。会议指出，要聚焦特色农产品产业链，把调研成果转化为建言献策的实效。",
    "（王芳）",
    "靖远县政协调研枸杞产业",
    "本报靖远讯 6月12日，靖远县政协组织委员赴东湾镇调研枸杞产业发展。委员们走进枸杞基地，"
    "了解枸杞种植、加工和销售情况。调研组认为，枸杞产业已成为群众增收的重要产业，"
    "要在品牌建设上持续用力，让枸杞走出大山。委员们对“枸杞<1号>&新品”的推广提出建议。",
    "（赵强）",
]
PAGE_JULY = [
    "定西市政协开展结对帮扶活动",
    "本报定西讯 7月15日，定西市政协主席刘建国带领机关干部走访慰问结对帮扶对象，"
    "为困难群众送去米面油等生活物资。刘建国要求，要把关爱送到群众心坎上，"
    "持续做好结对帮扶工作。",
    "（孙丽）",
]


def _page(paragraphs: list[str]) -> str:
    lines = []
    for paragraph in paragraphs:
        lines += wrap(paragraph, COLUMN) if len(paragraph) > COLUMN else [paragraph]
        lines.append("")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def composed(tmp_path_factory):
    seeds = tmp_path_factory.mktemp("composed")
    (seeds / "2023-06-15_p2.txt").write_text(_page(PAGE_JUNE), encoding="utf-8")
    (seeds / "2023-07-20_p2.txt").write_text(_page(PAGE_JULY), encoding="utf-8")
    return load_corpus(seeds, cache_dir=tmp_path_factory.mktemp("cache"))


def _article(df: pd.DataFrame, headline_start: str) -> pd.Series:
    return df[df["headline"].str.startswith(headline_start)].iloc[0]


def test_composed_pages_parse_as_written(composed):
    assert sorted(composed["headline"]) == sorted([PAGE_JUNE[0], PAGE_JUNE[3], PAGE_JULY[0]]), (
        "the composed pages must parse into their three articles for the other tests to mean much"
    )
    assert sorted(composed["locality"]) == ["定西市", "白银市", "靖远县"]


# --------------------------------------------------------------------------- kwic


def test_kwic_real_page_word_counted_by_hand(corpus):
    # 消防 is printed twice on the page (lines 410 and 531 of the file): in 天水市's report
    # (应急指挥中心、消防工作站) and in 两当县's (县档案馆、县消防队).
    lines = kwic(corpus, "消防", width=8)
    assert len(lines) == 2
    assert [h[:3] for h in lines["headline"]] == ["天水市", "两当县"]
    assert list(lines["match"]) == ["消防", "消防"]
    assert lines["left"].iloc[0].endswith("应急指挥中心、")
    assert lines["right"].iloc[0].startswith("工作站")
    assert lines["left"].iloc[1].endswith("县档案馆、县")
    assert lines["right"].iloc[1].startswith("队、鱼池乡")
    assert (lines["left"].str.len() <= 8).all() and (lines["right"].str.len() <= 8).all()


def test_kwic_offsets_point_into_the_article(corpus):
    lines = kwic(corpus, r"\d+月\d+日", width=10)
    assert len(lines) > 0
    for label, line in lines.iterrows():
        row = corpus.loc[label]
        text = article_text(row["headline"], row["subheadline"], row["body"])
        assert text[line["start"] : line["end"]] == line["match"]
        assert re.fullmatch(r"\d+月\d+日", line["match"])


def test_kwic_person_is_the_taggers_mention(corpus):
    lines = kwic(corpus, "陈华", by="person")
    assert len(lines) == 1
    assert lines["headline"].iloc[0].startswith("金昌市政协")
    assert lines["left"].iloc[0].endswith("市政协主席")


def test_kwic_person_finds_bare_mentions_too(composed):
    # 定西市政协主席刘建国带领… then 刘建国要求… (no title the second time)
    lines = kwic(composed, "刘建国", by="person")
    assert list(lines["right"].str[:2]) == ["带领", "要求"]
    assert kwic(composed, "张文华", by="person")["headline"].tolist() == [PAGE_JUNE[0]]


def test_kwic_place_includes_own_committee(corpus):
    lines = kwic(corpus, "陇南市", by="place")
    # the headline, the lead's 陇南市 and every 市政协 of 陇南市's own report
    assert set(lines["match"]) == {"陇南市", "市政协"}
    own = lines[lines["match"] == "市政协"]
    assert set(own["locality"]) == {"陇南市"}


def test_kwic_theme_searches_the_themes_words(corpus):
    words = explore.theme_words()["应急管理"]
    lines = kwic(corpus, "应急管理", by="theme")
    assert set(lines["match"]) <= set(words)
    # the same count as searching each word, longest first, by hand-made regex
    alternation = "|".join(sorted(words, key=len, reverse=True))
    assert len(lines) == len(kwic(corpus, alternation))
    with pytest.raises(KeyError):
        kwic(corpus, "不存在的主题", by="theme")


def test_kwic_never_crosses_articles(composed):
    # 实效。 ends 白银市's report, 靖远县 opens the next: a regex across them finds nothing
    assert kwic(composed, r"实效。.{0,3}靖远").empty
    assert len(kwic(composed, "实效。")) == 1


def test_kwic_index_follows_the_table(composed):
    before = kwic(composed, "枸杞")
    changed = composed.copy()
    for column in ("headline", "body"):
        changed[column] = changed[column].str.replace("枸杞", "苹果", regex=False)
    assert explore.fingerprint(changed) != explore.fingerprint(composed)
    assert kwic(changed, "枸杞").empty
    assert len(kwic(composed, "枸杞")) == len(before) == 7  # counted in PAGE_JUNE, headline too


# --------------------------------------------------------------------------- find


def test_find_real_page_meeting_and_theme(corpus):
    found = find(corpus, meeting_type="调研", theme="基层协商")
    # read from the page: 嘉峪关市's and 敦煌市's reports are the 调研 of 基层协商
    assert [h[:4] for h in found["headline"]] == ["嘉峪关市", "敦煌市政"]
    assert found["meeting_type_evidence"].str.startswith("调研/").all()
    assert found["theme_evidence"].str.startswith("基层协商:").all()


def test_find_prefecture_person_and_text(corpus):
    found = find(corpus, prefecture="陇南市")
    assert sorted(found["locality"]) == ["两当县", "文县", "陇南市"]
    assert "文县 → 陇南市" in set(found["prefecture_evidence"])
    by_person = find(corpus, person="陈华", text="协商")
    assert list(by_person["locality"]) == ["金昌市"]
    assert "【陈华】" in by_person["person_evidence"].iloc[0]
    assert "【协商】" in by_person["text_evidence"].iloc[0]


def test_find_dates_and_locality(composed):
    june = find(composed, until="2023-06-30")
    assert sorted(june["locality"]) == ["白银市", "靖远县"]
    july = find(composed, since="2023-07-01", locality="定西市")
    assert list(july["headline"]) == [PAGE_JULY[0]]
    assert "【定西市】" in july["locality_evidence"].iloc[0]
    assert list(july["date_evidence"]) == ["2023-07-20"]


# --------------------------------------------------------------------------- words


def test_log_likelihood_by_hand():
    # 4 of 10 tokens in the target, 0 of 10 in the reference: E = 2, G² = 2·4·ln(4/2)
    assert explore.log_likelihood(4, 0, 10, 10) == pytest.approx(8 * math.log(2))
    # the same rate on both sides: no keyness
    assert explore.log_likelihood(3, 6, 10, 20) == pytest.approx(0.0)
    assert explore.log_ratio(4, 0, 10, 10) == pytest.approx(math.log2(4 / 0.5))


def test_keyness_word_of_one_prefecture(composed):
    table = keyness(composed, by="prefecture", top=None, min_count=2)
    baiyin = table[table["group"] == "白银市"]
    # 枸杞 (7 times in 靖远县's report, of 白银市; 6 as a term: the tagger keeps the quoted
    # “枸杞<1号>&新品” whole, as a slogan) is 白银市's most distinctive word
    assert baiyin["word"].iloc[0] == "枸杞"
    assert baiyin["target"].iloc[0] == 6 and baiyin["reference"].iloc[0] == 0
    assert "枸杞" not in set(table.loc[table["group"] == "定西市", "word"])
    ordered = table.sort_values(["group", "g2", "word"], ascending=[True, False, True])
    assert table.equals(ordered.reset_index(drop=True))
    assert (table["log_ratio"] > 0).all()


def test_collocates_real_page(corpus):
    table = collocates(corpus, "协商", window=5)
    assert "协商" not in set(table["word"])
    assert (table["count"] <= table["corpus"]).all()
    assert (table["count"] > table["expected"]).all()
    ordered = table.sort_values(["g2", "word"], ascending=[False, True], ignore_index=True)
    assert table.equals(ordered)
    # on the page 基层 is never far from 协商 (协商向基层延伸, 基层协商): its top collocate
    assert table["word"].iloc[0] == "基层"


def test_collocates_window_on_composed_page(composed):
    # 2 terms either side of each 刘建国 (要求 and 要 are stopwords, not terms):
    # 政协主席 [刘建国] 带领 机关干部 (走访 is the third) … 物资。[刘建国]要求，要把 关爱 送到
    near = set(collocates(composed, "刘建国", window=2)["word"])
    assert {"带领", "机关干部", "关爱"} <= near
    assert "走访" not in near and "心坎" not in near
    wider = set(collocates(composed, "刘建国", window=3)["word"])
    assert "走访" in wider


# --------------------------------------------------------------------------- networks


def test_cooccurrence_real_page(corpus):
    persons = edges(cooccurrence(corpus, "persons"))
    assert persons[["source", "target_node", "weight"]].values.tolist() == [
        ["习近平", "庞明全", 1]
    ]
    themes = cooccurrence(corpus, "themes")
    # 陇南市's 主席会议 and 武山县's 常委会会议 both carry 理论学习 and 履职能力
    assert themes["履职能力"]["理论学习"]["weight"] == 2
    assert themes["履职能力"]["理论学习"]["articles"] == [
        "000_c54ca6b4301f026a#1",
        "000_c54ca6b4301f026a#7",
    ]
    table = edges(themes)
    assert table["weight"].is_monotonic_decreasing


def test_cooccurrence_localities_committee_to_places(corpus):
    graph = cooccurrence(corpus, "localities")
    assert graph.nodes["天水市"]["role"] == "committee"
    assert {"甘谷县", "清水县"} <= set(graph["天水市"])
    table = edges(graph)
    assert set(table.loc[table["target_node"] == "甘谷县", "source"]) == {"天水市"}


def test_who_convenes(corpus):
    table = explore.who_convenes(corpus)
    assert "习近平" not in set(table["name"])
    liang = table[table["name"] == "梁英"]
    # the article is a 主席会议; its 持续抓好学习 is an instruction, not a study session held
    assert set(liang["meeting_type"]) == {"主席会议"}
    assert set(liang["locality"]) == {"陇南市"}


# --------------------------------------------------------------------------- HTML


def test_html_escapes_page_text(composed):
    lines = kwic(composed, "枸杞<1号>")
    assert len(lines) == 1
    markup = explore.kwic_html(lines)
    assert "<1号>" not in markup and "&lt;1号&gt;" in markup
    assert "<mark>枸杞&lt;1号&gt;</mark>" in markup
    label = _article(composed, "靖远县").name
    page = explore.article_html(composed, label)
    assert "<1号>" not in page and "&amp;新品" in page
    assert '<mark title="subplace"' in page or '<mark title="place"' in page


def test_picker_shows_articles_and_marked_lines(composed):
    control = picker(composed)
    dropdowns, text, out = control.children
    text.value = "枸杞<1号>"
    assert "1 篇" in out.value and "<mark>枸杞&lt;1号&gt;</mark>" in out.value
    assert "<1号>" not in out.value
    text.value = ""
    dropdowns.children[0].value = "定西市"
    assert "1 篇" in out.value and "定西市政协开展结对帮扶活动" in out.value
    text.value = "("  # not a regular expression: says so instead of raising
    assert "正则表达式有误" in out.value
    # where no kernel runs, the exported page shows a sentence, not VBox(children=…)
    assert control._repr_mimebundle_()["text/plain"] == explore.OFFLINE


def test_reader_names_cover_every_column(corpus):
    tables = [
        kwic(corpus, "消防"),
        find(corpus, text="协商", locality="金昌市", person="陈华", theme="基层协商"),
        keyness(corpus),
        collocates(corpus, "协商"),
        edges(cooccurrence(corpus, "themes")),
        explore.who_convenes(corpus),
    ]
    for table in tables:
        shown = explore.for_readers(table)
        untranslated = [c for c in shown.columns if c.isascii() and c not in ("start", "end")]
        assert not untranslated, untranslated


def test_escape_markdown():
    shown = explore.escape_markdown("“枸杞<1号>”*新品*[链接](x)")
    assert "<" not in shown and "&lt;1号&gt;" in shown
    assert r"\*新品\*" in shown and r"\[链接\]\(x\)" in shown


def test_searching_leaves_the_table_as_it_was(corpus):
    pages = corpus.attrs["pages"]
    kwic(corpus, "协商")
    find(corpus, theme="基层协商")
    assert corpus.attrs["pages"] is pages and corpus.attrs["details"]


def test_network_drawing_keeps_clusters_apart(corpus):
    graph = cooccurrence(corpus, "themes")
    position = explore._component_layout(graph, seed=0)
    assert set(position) == set(graph)
    linked = [n for n in graph if graph.degree(n)]
    alone = [n for n in graph if not graph.degree(n)]
    # themes that share no article sit in a row below every cluster
    assert alone and max(position[n][1] for n in alone) < min(position[n][1] for n in linked)
    fig = explore.draw_network(graph, "主题共现")
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert labels == set(graph)


def test_picker_prints_at_most_its_row_limit(composed, monkeypatch):
    monkeypatch.setattr(explore, "PICKER_ROWS", 2)
    control = picker(composed)
    control.children[1].value = "枸杞"
    out = control.children[2].value
    assert "7 处（显示前 2 条）" in out
    assert out.count("<mark>") == 2


def test_keyness_by_a_list_column(composed):
    # 白银市's 主席会议 and 靖远县's 调研 are both 调研-typed; 定西市's is 结对帮扶 only
    table = keyness(composed, by="meeting_types", top=None, min_count=2)
    types = {t for labels in composed["meeting_types"] for t in labels}
    assert set(table["group"]) <= types
    in_survey = table[table["group"] == "调研"]
    assert "枸杞" in set(in_survey["word"])
    assert "枸杞" not in set(table.loc[table["group"] == "结对帮扶", "word"])


def test_index_is_built_once_per_table(composed):
    first = explore._index(composed)
    kwic(composed, "枸杞")
    assert explore._index(composed) is first
    assert explore._index(composed.iloc[:2]) is not first  # another table, another index
