"""Charts, tables and sentences a reader can trust: page text is never markup or math, counts
are ordered totally and cut honestly, colours follow the data, figures are never stale or
half-written, and PNGs are byte-identical across runs."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from helpers import config, figures, show, tables

HOSTILE = '<img src=x onerror=alert(1)><b class="injected">粗</b>《$\\foo{x}^$ 方案》'


class Elements(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self, text: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.text = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


def injected(text: str) -> list:
    """Elements or attributes that came from the hostile string."""
    return [
        (tag, attrs)
        for tag, attrs in Elements(text).found
        if tag == "img" or "onerror" in attrs or attrs.get("class") == "injected"
    ]


def test_say_escapes_values_not_the_template():
    out = show.say("标题 **{}** 共 {} 篇", HOSTILE, 3)
    rendered = markdown2html_mistune(out.data)
    assert injected(rendered) == []
    assert "<strong>" in rendered  # the template's own emphasis still works
    text = Elements(rendered).text
    assert "<img src=x onerror=alert(1)>" in text and "$\\foo{x}^$" in text
    assert "$" not in out.data.replace("\\$", "")  # no unescaped dollar: never MathJax


def test_tables_escape_and_never_cut_text():
    long = "协商" * 80 + HOSTILE
    frame = pd.DataFrame(
        {"headline": [long], "kind": ["photo"], "meeting_types": [["调研", "视察"]]}
    )
    html = show.table(frame).data
    assert injected(html) == []
    text = Elements(html).text
    assert long in text and "…" not in text and "..." not in text
    assert "标题" in text and "图片新闻" in text and "调研、视察" in text
    assert "headline" not in text and "photo" not in text


def test_interactive_articles_table_escapes_and_can_search():
    df = pd.DataFrame(
        {
            "headline": [HOSTILE, "某县政协召开常委会会议"],
            "event_date": pd.to_datetime(["2023-06-05", None]),
            "issue_date": pd.to_datetime(["2023-06-08", "2023-06-08"]),
            "locality": ["某县", "某县"],
            "kind": ["article", "article"],
            "meeting_types": [["调研"], ["常委会会议"]],
            "meeting_evidence": [["调研"], ["常委会"]],
            "source": ["/x/2023-06-08_p1.txt", "/x/2023-06-08_p1.txt"],
        }
    )
    html = show.articles(df, "t-test").data
    assert injected(html) == []
    assert '"topEnd": "search"' in html and 'id="t-test"' in html
    assert "2023-06-08" in html and "2023-06-05" in html  # undated: its issue date


def test_page_text_is_never_math(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "FIGURES", tmp_path)
    fig = figures.bar_chart(pd.Series({HOSTILE: 2, "$x^2$": 1}), f"标题 {HOSTILE}")
    figures.save_figure(fig, "99_math", pd.Series({"a": 1}))
    drawn = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    assert any("$\\foo{x}^$" in t for t in drawn)
    plt.close(fig)
    assert (tmp_path / "99_math.png").stat().st_size > 0


def test_a_figure_that_cannot_be_drawn_leaves_the_old_files(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "FIGURES", tmp_path)
    fig = figures.bar_chart(pd.Series({"甲": 1}), "旧")
    figures.save_figure(fig, "99_keep", pd.Series({"甲": 1}))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(*args, **kwargs):
        raise ValueError("cannot draw")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(ValueError):
        figures.save_figure(fig, "99_keep", pd.Series({"乙": 2}))
    plt.close(fig)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_figures_are_never_saved_from_a_stale_table(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "2023-06-08_p1.txt").write_text("一版", encoding="utf-8")
    monkeypatch.setattr(config, "SEEDS", seeds)
    monkeypatch.setattr(config, "FIGURES", tmp_path / "figures")
    corpus = pd.DataFrame({"x": [1]})
    corpus.attrs["seeds_fingerprint"] = show.seeds_fingerprint(seeds)
    fig = figures.bar_chart(pd.Series({"甲": 1}), "图")
    figures.save_figure(fig, "99_fresh", pd.Series({"甲": 1}), corpus)
    (seeds / "2023-06-15_p1.txt").write_text("又一版", encoding="utf-8")
    with pytest.raises(figures.StaleTableError):
        figures.save_figure(fig, "99_stale", pd.Series({"甲": 1}), corpus)
    plt.close(fig)
    assert not (tmp_path / "figures" / "99_stale.png").exists()


def test_pngs_are_byte_identical_and_carry_no_version():
    def draw() -> bytes:
        fig = figures.bar_chart(pd.Series({"甲": 3, "乙": 1}), "图")
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata=figures.PNG_METADATA)
        plt.close(fig)
        return out.getvalue()

    first = draw()
    assert first == draw()
    assert b"Software" not in first and b"atplotlib" not in first


def test_orderings_are_total_and_a_cut_inside_a_tie_is_said():
    values = pd.Series({"丙": 2, "乙": 2, "甲": 5, "丁": 2, "戊": 1})
    shuffled = values.sample(frac=1, random_state=3)
    assert list(tables.ordered(values).index) == list(tables.ordered(shuffled).index)
    assert list(tables.ordered(values).index) == ["甲", "丁", "丙", "乙", "戊"]
    note = tables.top_note(tables.ordered(values), 2)
    assert "3 项并列 2" in note and "1 项" in note
    assert tables.top_note(tables.ordered(values), 4) == ""
    assert tables.leaders(values) == "甲"
    assert tables.leaders(values.drop("甲")) == "丁、丙、乙 并列"


def test_heatmap_labels_follow_the_fill_and_the_scale_is_whole_counts():
    table = pd.DataFrame(
        np.arange(1, 10).reshape(3, 3), index=list("甲乙丙"), columns=list("子丑寅")
    )
    fig = figures.heatmap(table, "图")
    image = fig.axes[0].images[0]
    for text in fig.axes[0].texts:
        value = int(text.get_text())
        fill = image.cmap(image.norm(value))
        assert text.get_color() == figures.text_color(fill)
    colors = {t.get_color() for t in fig.axes[0].texts}
    assert colors == {"black", "white"}
    ticks = fig.axes[1].get_yticks()
    plt.close(fig)
    assert all(float(t).is_integer() for t in ticks)


def test_text_colour_reads_on_its_fill():
    assert figures.text_color("#08306b") == "white"  # dark blue
    assert figures.text_color("#7f0000") == "white"  # dark red
    assert figures.text_color("#fff7ec") == "black"
    assert figures.text_color("#eeeeee") == "black"
    assert figures.text_color("#6baed6") == "black"  # mid blue: black has the higher contrast


def _frame(event, issue):
    return pd.DataFrame(
        {
            "event_date": pd.to_datetime(event),
            "issue_date": pd.to_datetime(issue),
            "meeting_types": [["调研"], ["调研", "视察"], ["视察"], ["调研"]],
        }
    )


def test_over_time_places_undated_articles_by_issue_date_and_says_how_many():
    df = _frame(
        ["2023-03-30", None, None, "2023-05-02"], ["2023-04-06", "2023-04-06", None, "2023-05-10"]
    )
    table = tables.over_time(df, "meeting_types")
    assert [p.strftime("%Y-%m") for p in table.index] == ["2023-03", "2023-04", "2023-05"]
    assert table.loc["2023-04-01", "调研"] == 1 and table.loc["2023-04-01", "视察"] == 1
    assert table.loc["2023-03-01"].sum() == 1 and table["视察"].sum() == 1
    assert table.attrs == {"by_issue_date": 1, "no_date": 1}
    note = tables.dating_note(table)
    assert "1 篇无具体活动日期，按出版日期归月" in note and "1 篇无任何日期" in note


def test_over_time_chart_draws_every_series_in_its_own_panel():
    table = pd.DataFrame(
        {"甲": [1, 1], "乙": [1, 1], "丙": [1, 1]},
        index=pd.to_datetime(["2023-06-01", "2023-07-01"]),
    )
    fig = figures.over_time_chart(table, "图", "说明")
    titled = [ax.get_title() for ax in fig.axes if ax.get_title()]
    plt.close(fig)
    assert sorted(titled) == sorted(table.columns)


def _pages_frame():
    df = pd.DataFrame(
        {
            "issue": ["2023-06-08_p1", "2023-06-08_p2", "abc"],
            "issue_date": pd.to_datetime(["2023-06-08", "2023-06-08", None]),
            "source": ["/s/2023-06-08_p1.txt", "/s/2023-06-08_p2.txt", "/s/某县来稿.txt"],
        }
    )
    df.attrs["pages"] = df.to_dict("records")
    return df


def test_corpus_label_counts_dated_issues_and_pages_and_names_undated_files():
    df = _pages_frame()
    assert figures.corpus_label(df) == "1 期 · 3 版（1 版无日期） · 3 篇"
    undated = df.iloc[2:].copy()
    undated.attrs["pages"] = df.attrs["pages"][2:]
    assert figures.corpus_label(undated) == "1 版（无日期） · 1 篇"
    size = show.corpus_size(df)
    assert size.startswith("1 期 2 版") and "无日期 1 版（某县来稿.txt）" in size
    assert "abc" not in size


@pytest.mark.parametrize(
    ("sentence", "place", "inside"),
    [
        ("调研组一行来到宝钢湛江钢铁有限公司调研", "湛江", True),
        ("委员们先后来到湛江调研", "湛江", False),
        ("先后到上海、浙江、广东等地考察", "广东", False),
        ("走进天水市秦州区察看", "天水市", False),
        ("赴兰州新区考察产业发展", "兰州", False),
    ],
)
def test_a_place_inside_an_organisation_name_is_not_a_visit(sentence, place, inside):
    start = sentence.index(place)
    assert tables.in_organisation_name(sentence, start, start + len(place)) is inside


def test_figure_csvs_have_chinese_column_names(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "FIGURES", tmp_path)
    counts = pd.Series({"陇南市": 3, "天水市": 2}, name="articles").rename_axis("prefecture")
    fig = figures.bar_chart(counts, "图")
    figures.save_figure(fig, "99_csv", counts)
    plt.close(fig)
    lines = (tmp_path / "99_csv.csv").read_text(encoding="utf-8").splitlines()
    assert lines == ["市州,篇数", "陇南市,3", "天水市,2"]


def test_figure_csvs_leave_out_row_numbers(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "FIGURES", tmp_path)
    visited = pd.DataFrame({"place": ["某镇"], "articles": [1]})
    fig = figures.bar_chart(visited.set_index("place")["articles"], "图")
    figures.save_figure(fig, "99_rows", visited)
    plt.close(fig)
    assert (tmp_path / "99_rows.csv").read_text(encoding="utf-8").splitlines()[0] == "地点,篇数"


def test_the_first_output_names_changed_files_escaped():
    df = _pages_frame()
    df.attrs["changes"] = {
        "new": ["/s/2023-06-08_p1.txt"],
        "changed": [],
        "removed": ["/s/old.txt"],
        "skipped": [{"file": f"/s/{HOSTILE[:30]}.txt", "reason": "binary"}],
        "duplicates": [("/s/a.txt", "/s/b.txt")],
    }
    text = show.changes_summary(df).data
    assert "新增 1 个（2023\\-06\\-08\\_p1\\.txt）" in text and "删除 1 个" in text
    assert "重复 1 个（a\\.txt＝b\\.txt）" in text and "改动" not in text
    assert injected(markdown2html_mistune(text)) == []
    del df.attrs["changes"]
    df.attrs["parsed"], df.attrs["skipped"] = [], []
    assert show.changes_summary(df).data.endswith("没有变化。")


def test_large_counts_get_few_whole_number_colour_steps():
    table = pd.DataFrame([[0, 1500], [730, 3]], index=["甲", "乙"], columns=["子", "丑"])
    fig = figures.heatmap(table, "图")
    image = fig.axes[0].images[0]
    edges = image.norm.boundaries
    ticks = fig.axes[1].get_yticks()
    plt.close(fig)
    assert len(edges) - 1 <= figures.MAX_COLOR_STEPS
    assert all(float(e - 0.5).is_integer() for e in edges)
    assert all(float(t).is_integer() for t in ticks)
