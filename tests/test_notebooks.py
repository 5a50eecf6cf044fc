"""Every notebook runs headless on a temporary corpus, writes its figures, draws Chinese, and
updates when an issue is added (only the new page is parsed)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from helpers import parse_page
from helpers.notebook import execute_notebook, numbered_notebooks
from helpers.synth import shuffled_page

from .conftest import REAL_PAGE

EXPECTED_FIGURES = {
    "01_corpus-overview": ["01_articles-by-kind", "01_parse-quality"],
    "02_activity-by-locality": [
        "02_articles-by-prefecture",
        "02_articles-by-county",
        "02_map-prefecture",
        "02_map-county",
        "02_places-visited",
    ],
    "03_meeting-types": [
        "03_meeting-types",
        "03_meeting-by-prefecture",
        "03_convener-titles",
        "03_meetings-over-time",
    ],
    "04_themes": [
        "04_keywords",
        "04_wordcloud",
        "04_slogans",
        "04_documents",
        "04_themes-by-prefecture",
        "04_themes-over-time",
    ],
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "seeds").mkdir()
    shutil.copy(REAL_PAGE, root / "seeds" / "2023-06-08_p3.txt")
    (root / "notebooks").mkdir()
    for notebook in numbered_notebooks():
        shutil.copy(notebook, root / "notebooks")
    env = {
        "CPPCC_SEEDS": str(root / "seeds"),
        "CPPCC_CACHE": str(root / "cache"),
        "CPPCC_FIGURES": str(root / "figures"),
    }
    return root, env


def run(root: Path, env: dict, name: str) -> str:
    """Execute one notebook copy; return all its outputs as text."""
    path = root / "notebooks" / f"{name}.ipynb"
    execute_notebook(path, env=env)
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).startswith("# ")
    outputs = [o for c in code for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    return json.dumps(outputs, ensure_ascii=False)


def test_the_notebooks_are_the_expected_ones():
    assert [p.stem for p in numbered_notebooks()] == list(EXPECTED_FIGURES)


def test_notebooks_run_and_write_figures(workspace):
    root, env = workspace
    for name, figures in EXPECTED_FIGURES.items():
        text = run(root, env, name)
        assert "missing from font" not in text, f"{name}: Chinese drawn as boxes"
        assert "image/png" in text
        for figure in figures:
            png, csv = root / "figures" / f"{figure}.png", root / "figures" / f"{figure}.csv"
            assert csv.exists() and csv.stat().st_size > 0, figure
            with Image.open(png) as image:
                assert image.format == "PNG" and image.width > 100 and image.height > 100


def test_adding_an_issue_updates_counts_and_parses_only_it(workspace):
    root, env = workspace
    before = run(root, env, "01_corpus-overview")
    assert re.search(r"语料共 \*\*1\*\* 版、\*\*11\*\* 篇稿件", before)
    page = parse_page(REAL_PAGE.read_text(encoding="utf-8"))
    text, _ = shuffled_page(page.articles, seed=11)
    (root / "seeds" / "2023-06-15_p3.txt").write_text(text, encoding="utf-8")
    after = run(root, env, "01_corpus-overview")
    assert re.search(r"语料共 \*\*2\*\* 版、\*\*2\d\*\* 篇稿件", after)
    assert "本次新解析 1 个文件" in after
    counties = run(root, env, "02_activity-by-locality")
    assert "本次新解析" not in counties  # the other notebooks read the same cache
    by_prefecture = (root / "figures" / "02_articles-by-prefecture.csv").read_text()
    assert "陇南市,6" in by_prefecture  # two pages of 陇南 reports: 3 each
