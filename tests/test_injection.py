"""No page text and no file name ever runs as markup or math: the main job on a page whose
headline, body and file name carry HTML and `$…$` succeeds, and nothing a browser or
JupyterLab renders (notebook outputs, the HTML report) holds an element or attribute that
came from the page."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from helpers import config
from helpers.notebook import execute_all, numbered_notebooks

from .conftest import REAL_PAGE

MARKUP = '<img src=x onerror=alert(1)><b class="injected">'
# A page composed in the paper's style; its headline, body and slogan carry markup and math.
HOSTILE_PAGE = f"""某县政协召开{MARKUP}常委会会议

本报某县讯（通讯员 王明）6月5日，某县政协召开十届五次常委会会议，学习《$\\foo{{x}}^$ 方案》，
审议“$x^2$·{MARKUP}行动”实施意见。县政协主席李华主持会议并讲话。

会议指出，要聚焦“三抓三促”行动，围绕乡村振兴建言资政，推动{MARKUP}民生实事落地见效。
会议要求，全体委员要深入基层调研，把协商成果转化为发展实效。（张强）
"""
HOSTILE_NAME = f"2023-06-15_p2{MARKUP}.txt"


class Elements(HTMLParser):
    """Start tags with attributes, and the text inside each script."""

    def __init__(self, text: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def live_markup(html: str) -> list:
    """Elements or attributes that can only have come from the hostile page or name."""
    return [
        (tag, attrs)
        for tag, attrs in Elements(html).found
        if (tag == "img" and attrs.get("src") == "x")
        or "onerror" in attrs
        or attrs.get("class") == "injected"
    ]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    seeds = root / "seeds"
    seeds.mkdir()
    shutil.copy(REAL_PAGE, seeds / "2023-06-08_p3.txt")
    (seeds / HOSTILE_NAME).write_text(HOSTILE_PAGE, encoding="utf-8")
    (root / "notebooks").mkdir()
    for notebook in numbered_notebooks():
        shutil.copy(notebook, root / "notebooks")
    env = {
        "CPPCC_SEEDS": str(seeds),
        "CPPCC_CACHE": str(root / "cache"),
        "CPPCC_FIGURES": str(root / "figures"),
    }
    execute_all(root / "notebooks", env=env)
    return root


@pytest.mark.slow
def test_the_hostile_page_is_read_and_every_notebook_runs(project):
    for path in numbered_notebooks(project / "notebooks"):
        nb = nbformat.read(path, as_version=4)
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert errors == [], path.name
    overview = nbformat.read(project / "notebooks" / "01_corpus-overview.ipynb", as_version=4)
    text = json.dumps(
        [o for c in overview.cells for o in c.get("outputs", [])], ensure_ascii=False
    )
    assert "新增 2 个" in text  # both pages, the hostile one included
    assert "&lt;img src=x onerror=alert(1)&gt;" in text  # it reached the outputs, as text
    assert len(list((project / "figures").glob("*.png"))) >= 17


@pytest.mark.slow
def test_no_notebook_output_holds_live_markup_or_math(project):
    for path in numbered_notebooks(project / "notebooks"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/html" in data:
                    assert live_markup(data["text/html"]) == [], (path.name, cell.id)
                if "text/markdown" in data:
                    markdown = data["text/markdown"]
                    assert live_markup(markdown2html_mistune(markdown)) == [], (path.name, cell.id)
                    assert not re.search(r"(?<!\\)\$", markdown), (path.name, cell.id, "math")


@pytest.mark.slow
def test_the_report_holds_no_live_markup(project, monkeypatch):
    from helpers.report import write_report

    monkeypatch.setattr(config, "SEEDS", project / "seeds")
    monkeypatch.setattr(config, "CACHE", project / "cache")
    monkeypatch.setattr(config, "FIGURES", project / "figures")
    index = write_report(project / "reports", project / "notebooks")
    pages = [index, *sorted(index.parent.glob("0*.html"))]
    assert len(pages) == 1 + len(numbered_notebooks())
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert live_markup(html) == [], page.name
        assert str(project) not in html, f"{page.name} shows a file path"
    assert (index.parent / "report-font.woff").stat().st_size > 10_000


def test_markup_detector_catches_markup():
    assert live_markup(f"<p>{MARKUP}</p>")
    assert live_markup("<p>&lt;img src=x onerror=alert(1)&gt;</p>") == []
    assert Path(HOSTILE_NAME).suffix == ".txt"
