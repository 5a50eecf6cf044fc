"""Step 7 of the flow: an HTML report that anyone can open, with no Python and no server.

Takes the executed notebooks and writes ``reports/NN_name.html`` for each (figures inline as
data URIs, interactive tables with their script embedded, code hidden behind a 显示代码 / show
code button, no prompts) and ``reports/index.html``: corpus size, span of dates, the key
findings with their numbers, and links to every figure's CSV. Text is set in a CJK font stack
ending in ``report-font.woff``, a subset of the charts' Noto Sans CJK SC cut to the characters
the report uses, so it reads on a machine with no CJK font. Nothing is fetched from the network.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from . import config
from .notebook import drop_widgets, numbered_notebooks

FONT_FILE = "report-font.woff"
FONT_FAMILY = "CPPCC Noto Sans CJK SC"
# Bump when the subsetting options change: cached subsets are then made again.
FONT_SUBSET_VERSION = 1
# Local CJK fonts first (no download needed), then the shipped subset, then anything.
FONT_STACK = (
    f'"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    f'"{FONT_FAMILY}", sans-serif'
)
# Cells tagged so hold notes for notebook users (files read and written): not in the report.
SKIP_TAG = "report-skip"
FONT_CSS = f"""
<style>
  @font-face {{ font-family: "{FONT_FAMILY}"; src: url("{FONT_FILE}") format("woff"); }}
  :root {{ --jp-content-font-family: {FONT_STACK}; --jp-ui-font-family: {FONT_STACK}; }}
  body, table, button, input, select, .jp-RenderedHTMLCommon {{ font-family: {FONT_STACK}; }}
</style>
"""
# Code is hidden until the reader asks for it; the button is the page's only script.
TOGGLE = """
<style>
  body.hide-code .jp-CodeCell .jp-Cell-inputWrapper { display: none; }
  #toggle-code { position: fixed; top: 12px; right: 16px; z-index: 10; padding: 4px 10px; }
  nav.report { margin: 12px 24px; }
</style>
<script>
  document.addEventListener("DOMContentLoaded", () => document.body.classList.add("hide-code"));
  function toggleCode() {
    document.body.classList.toggle("hide-code");
    document.getElementById("toggle-code").textContent =
      document.body.classList.contains("hide-code") ? "显示代码 Show code" : "隐藏代码 Hide code";
  }
</script>
"""
BUTTON = '<button id="toggle-code" onclick="toggleCode()">显示代码 Show code</button>'
# Remote assets the exporter's template would load; an offline report must not need them.
_REMOTE = re.compile(r'<(script|link)[^>]+(?:src|href)="https?://[^"]*"[^>]*>(?:\s*</script>)?')
_REMOTE_IMPORT = re.compile(
    r"<script[^>]*>(?:(?!</script>).)*?import[^<]*?https?://(?:(?!</script>).)*?</script>", re.S
)


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def render_notebook(path: Path, out: Path, nav: str) -> str:
    """Write one notebook as a self-contained HTML page; return its title."""
    nb = nbformat.read(path, as_version=4)
    drop_widgets(nb)
    exporter = HTMLExporter(
        template_name="lab",
        embed_images=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={SKIP_TAG}, enabled=True), enabled=True
    )
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    body, _ = exporter.from_notebook_node(nb)
    body = _REMOTE_IMPORT.sub("", _REMOTE.sub("", body))
    body = body.replace("</head>", FONT_CSS + TOGGLE + "</head>", 1)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + BUTTON + nav, body, count=1)
    out.write_text(body, encoding="utf-8")
    return _title(nb)


def findings(path: Path, key_only: bool = True) -> list[str]:
    """The sentences a notebook computed from the data (Markdown), key ones by default."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("text/markdown", {}).get("cppcc", {})
            if meta.get("finding") and (meta.get("key") or not key_only):
                found.append(output["data"]["text/markdown"])
    return found


def _markdown(text: str) -> str:
    """Render a finding's Markdown (already escaped when it was computed) as HTML."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def _corpus_facts() -> str:
    """Corpus size and the span of dates, as one HTML paragraph."""
    from .corpus import load_corpus
    from .show import corpus_size

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = load_corpus(config.SEEDS)
    when = df["event_date"].fillna(df["issue_date"]).dropna() if len(df) else []
    span = (
        f"{when.min():%Y年%-m月%-d日}至{when.max():%Y年%-m月%-d日}" if len(when) else "（无日期）"
    )
    return (
        f"<p>语料：{html.escape(corpus_size(df))}；稿件所记时间 {html.escape(span)}"
        f"（有活动日期的按活动日期，其余按出版日期）。</p>"
    )


def _csv_links(folder: Path, stem: str) -> str:
    prefix = stem.split("_", 1)[0] + "_"
    csvs = sorted(config.FIGURES.glob(f"{prefix}*.csv"))
    links = [
        f'<a href="{html.escape(Path(os.path.relpath(c, folder)).as_posix())}">'
        f"{html.escape(c.stem)}.csv</a>"
        for c in csvs
    ]
    return f'<p class="csv">图表数据 CSV：{" · ".join(links)}</p>' if links else ""


def write_font(folder: Path, pages: list[str]) -> Path:
    """Subset the charts' CJK font to every character the pages show; write it as WOFF.

    Subsetting the 16 MB font takes seconds, so a subset is kept in the cache folder under a
    digest of its characters and copied when the report's characters have not changed.
    """
    text = set()
    for page in pages:
        page = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)
        text |= set(html.unescape(page))
    chars = "".join(sorted(c for c in text if c.isprintable()))
    digest = hashlib.sha1(f"{FONT_SUBSET_VERSION}\0{chars}".encode()).hexdigest()[:16]
    kept = config.CACHE / "report-fonts" / f"{digest}.woff"
    out = folder / FONT_FILE
    if not kept.is_file():
        kept.parent.mkdir(parents=True, exist_ok=True)
        _subset_font(chars, kept)
    shutil.copyfile(kept, out)
    return out


def _subset_font(chars: str, out: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from .figures import cjk_font_path

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    font = TTFont(cjk_font_path(), lazy=True, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    handle, temp = tempfile.mkstemp(dir=out.parent, suffix=".woff")
    os.close(handle)
    subset.save_font(font, temp, options)
    os.replace(temp, out)


def write_report(folder: Path = config.REPORTS, notebooks: Path = config.NOTEBOOKS) -> Path:
    """Render every numbered notebook and an index page with the findings; return the index."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = numbered_notebooks(notebooks)
    links = " · ".join(f'<a href="{p.stem}.html">{p.stem}</a>' for p in paths)
    nav = f'<nav class="report"><a href="index.html">目录 Index</a> · {links}</nav>'
    entries, sections, pages = [], [], []
    for path in paths:
        out = folder / f"{path.stem}.html"
        title = render_notebook(path, out, nav)
        pages.append(out.read_text(encoding="utf-8"))
        found = "".join(f"<li>{_markdown(f)}</li>" for f in findings(path))
        name = html.escape(title or path.stem)
        entries.append(f'<li><a href="{path.stem}.html">{name}</a></li>')
        sections.append(
            f'<section><h2>{name}</h2><ul class="findings">{found}</ul>'
            f"{_csv_links(folder, path.stem)}</section>"
        )
    index = folder / "index.html"
    page = (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        "<title>政协报语料报告 · CPPCC newspaper corpus report</title>"
        f"{FONT_CSS}<style>body{{max-width:52em;margin:2em auto;line-height:1.6}}"
        "ul.findings p{margin:0.2em 0} p.csv{font-size:90%}</style></head><body>"
        "<h1>政协报语料报告 · CPPCC newspaper corpus report</h1>"
        "<p>各地政协在本报上的活动：哪些地方活跃、开什么会、关注什么主题。"
        "下面每一节是一页报告，列出主要发现及其数字，并附各图的数据（CSV）。</p>"
        f"{_corpus_facts()}<ol>{''.join(entries)}</ol>{''.join(sections)}</body></html>\n"
    )
    index.write_text(page, encoding="utf-8")
    write_font(folder, [*pages, page])
    return index
