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
    "05_explore": ["05_collocates", "05_keyness"],
    "06_people-and-networks": [
        "06_person-network",
        "06_theme-network",
        "06_committee-places",
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_adding_an_issue_updates_counts_and_parses_only_it(workspace):
    root, env = workspace
    before = run(root, env, "01_corpus-overview")
    assert re.search(r"语料共 \*\*1\*\* 版、\*\*11\*\* 篇稿件", before)
    page = parse_page(REAL_PAGE.read_text(encoding="utf-8"))
    text, _ = shuffled_page(page.articles, seed=11)
    (root / "seeds" / "2023-06-15_p3.txt").write_text(text, encoding="utf-8")
    after = run(root, env, "01_corpus-overview")
    assert re.search(r"语料共 \*\*2\*\* 版、\*\*2\d\*\* 篇稿件", after)
    assert "新增 1 个（2023\\\\-06\\\\-15\\\\_p3\\\\.txt）" in after  # escaped Markdown in JSON
    counties = run(root, env, "02_activity-by-locality")
    assert "新增" not in counties  # the other notebooks read the same cache
    by_prefecture = (root / "figures" / "02_articles-by-prefecture.csv").read_text()
    assert "陇南市,6" in by_prefecture  # two pages of 陇南 reports: 3 each


def _cells(root: Path, name: str) -> list[dict]:
    path = root / "notebooks" / f"{name}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _is_finding(output: dict) -> bool:
    return bool(
        output.get("metadata", {}).get("text/markdown", {}).get("cppcc", {}).get("finding")
    )


@pytest.mark.slow
def test_every_figure_is_followed_by_a_sentence_and_its_articles(workspace):
    root, env = workspace
    for name in EXPECTED_FIGURES:
        run(root, env, name)
        code = [c for c in _cells(root, name) if c["cell_type"] == "code"]
        for i, cell in enumerate(code):
            if "save_figure" not in "".join(cell["source"]):
                continue
            after = code[i : i + 2]
            outputs = [o for c in after for o in c.get("outputs", [])]
            assert any(_is_finding(o) for o in outputs), f"{name}: no sentence after {cell['id']}"
        text = json.dumps([o for c in code for o in c.get("outputs", [])], ensure_ascii=False)
        assert "dataTable" in text or "ITable" in text, f"{name}: no articles table"
        assert "...</td>" not in text and "…</td>" not in text, f"{name}: text cut"
        last = "".join(code[-1]["outputs"][-1]["data"]["text/markdown"])
        assert last.startswith("## 能说明什么，不能说明什么"), name
        heading = "".join(_cells(root, name)[0]["source"]).splitlines()[0]
        assert re.match(r"# \d\d [\u4e00-\u9fff]", heading), f"{name}: heading not Chinese first"


@pytest.mark.slow
def test_a_second_run_on_unchanged_seeds_changes_nothing(workspace):
    root, env = workspace
    name = "03_meeting-types"
    run(root, env, name)
    first = {p.name: p.read_bytes() for p in [root / "notebooks" / f"{name}.ipynb"]}
    first |= {p.name: p.read_bytes() for p in (root / "figures").glob("03_*")}
    run(root, env, name)
    second = {p.name: p.read_bytes() for p in [root / "notebooks" / f"{name}.ipynb"]}
    second |= {p.name: p.read_bytes() for p in (root / "figures").glob("03_*")}
    assert [k for k in first if first[k] != second.get(k)] == []
