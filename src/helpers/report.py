"""Step 7 of the flow: an HTML report that anyone can open, with no Python and no server.

Takes the executed notebooks and writes ``reports/NN_name.html`` for each (figures inline as
data URIs, code hidden behind a 显示代码 / show code button) and ``reports/index.html`` linking
them. Nothing is fetched from the network when a report is opened: the pages reference no
external script, style sheet or font.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from . import config
from .notebook import numbered_notebooks

# Code is hidden until the reader asks for it; the button is the page's only script.
TOGGLE = """
<style>
  body.hide-code .jp-CodeCell .jp-Cell-inputWrapper { display: none; }
  #toggle-code { position: fixed; top: 12px; right: 16px; z-index: 10; padding: 4px 10px; }
  nav.report { margin: 12px 24px; font-family: sans-serif; }
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
    exporter = HTMLExporter(template_name="lab", embed_images=True)
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    body, _ = exporter.from_notebook_node(nb)
    body = _REMOTE_IMPORT.sub("", _REMOTE.sub("", body))
    body = body.replace("</head>", TOGGLE + "</head>", 1)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + BUTTON + nav, body, count=1)
    out.write_text(body, encoding="utf-8")
    return _title(nb)


def write_report(folder: Path = config.REPORTS, notebooks: Path = config.NOTEBOOKS) -> Path:
    """Render every numbered notebook and an index page linking them; return the index."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = numbered_notebooks(notebooks)
    links = " · ".join(f'<a href="{p.stem}.html">{p.stem}</a>' for p in paths)
    nav = f'<nav class="report"><a href="index.html">目录 Index</a> · {links}</nav>'
    entries = []
    for path in paths:
        title = render_notebook(path, folder / f"{path.stem}.html", nav)
        entries.append(
            f'<li><a href="{path.stem}.html">{html.escape(title or path.stem)}</a></li>'
        )
    index = folder / "index.html"
    index.write_text(
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        "<title>政协报语料报告 · CPPCC newspaper corpus report</title>"
        "<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;line-height:1.6}"
        "</style></head><body>"
        "<h1>政协报语料报告 · CPPCC newspaper corpus report</h1>"
        "<p>各地政协在本报上的活动：哪些地方活跃、开什么会、关注什么主题。每页由同名 notebook "
        "生成，图表随 <code>seeds/</code> 中的版面更新。</p>"
        f"<ol>{''.join(entries)}</ol></body></html>\n",
        encoding="utf-8",
    )
    return index
