"""Use it as its users do: JupyterLab in headless Chromium, and the HTML report.

Starts JupyterLab from the project root on 127.0.0.1 (a free port, a token, no browser), drives
Debian's Chromium through Playwright (never a downloaded browser), runs every notebook through
the UI, and checks what a reader sees. The corpus, cache and figures are temporary copies: the
committed notebooks are not saved (autosave off) and the test checks they are unchanged.

CI sets CPPCC_BROWSER_TEST=1: then a missing browser or Playwright fails the suite instead of
skipping these tests.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import config, parse_page
from helpers.notebook import numbered_notebooks
from helpers.synth import shuffled_page

from .conftest import REAL_PAGE

CHROMIUM = Path(os.environ.get("CPPCC_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("CPPCC_BROWSER_TEST") == "1"
ARTIFACTS = config.PROJECT_ROOT / "test-artifacts" / "browser"
# Flags for a root, headless, offline Chromium (no background calls to the network).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _browser_or_skip():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if REQUIRED:
            pytest.fail("CPPCC_BROWSER_TEST=1 but the playwright package is not installed")
        pytest.skip("playwright is not installed (set CPPCC_BROWSER_TEST=1 to require it)")
    if not CHROMIUM.exists():
        if REQUIRED:
            pytest.fail(f"CPPCC_BROWSER_TEST=1 but {CHROMIUM} does not exist")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(folder: Path) -> None:
    """JupyterLab user settings: no autosave, every cell in the DOM, no news from the web."""
    for plugin, values in {
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }.items():
        path = folder / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    sync_playwright = _browser_or_skip()
    tmp = tmp_path_factory.mktemp("lab")
    (tmp / "seeds").mkdir()
    shutil.copy(REAL_PAGE, tmp / "seeds" / "2023-06-08_p3.txt")
    _settings(tmp / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "CPPCC_SEEDS": str(tmp / "seeds"),
        "CPPCC_CACHE": str(tmp / "cache"),
        "CPPCC_FIGURES": str(tmp / "figures"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={config.PROJECT_ROOT}",
            f"--LabApp.user_settings_dir={tmp / 'settings'}",
            f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
            "--LabApp.extension_manager=readonly",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        cwd=config.PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "lab.log", "w"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if time.time() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"JupyterLab did not start: {(tmp / 'lab.log').read_text()[-2000:]}")
            time.sleep(0.5)
    before = {p.name: p.read_bytes() for p in numbered_notebooks()}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield {"page": page, "base": base, "token": token, "tmp": tmp, "browser": browser}
        browser.close()
    server.terminate()
    server.wait(timeout=30)
    after = {p.name: p.read_bytes() for p in numbered_notebooks()}
    assert before == after, "the browser test changed the committed notebooks"


def _menu(page, menu: str, item: str) -> None:
    page.click(f'.lm-MenuBar-itemLabel:text-is("{menu}")')
    page.click(f'.lm-Menu-itemLabel:text-is("{item}")')


def _run_all(page) -> None:
    """Clear outputs, Run → Run All Cells, and wait until every cell has run."""
    _menu(page, "Edit", "Clear Outputs of All Cells")
    _menu(page, "Run", "Run All Cells")
    page.wait_for_function(
        """() => {
          const prompts = [...document.querySelectorAll(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
          return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=240_000,
    )
    page.wait_for_timeout(500)  # let the last outputs and images paint


def _open(lab, name: str):
    page = lab["page"]
    # ?reset: a fresh workspace, so the notebook opens alone
    page.goto(f"{lab['base']}/lab/tree/notebooks/{name}.ipynb?reset&token={lab['token']}")
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell", timeout=120_000)
    page.wait_for_function(
        """() => {
          const s = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) '
                                           + '.jp-Notebook-ExecutionIndicator');
          return s && s.getAttribute('data-status') === 'idle';
        }""",
        timeout=120_000,
    )
    return page


CHECK = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = [...panel.querySelectorAll('.jp-CodeCell')];
  const figures = cells.filter(c => (c.querySelector('.jp-InputArea-editor')?.textContent || '')
                                    .includes('save_figure('));
  return {
    errors: panel.querySelectorAll('[data-mime-type="application/vnd.jupyter.error"]').length,
    stderr: [...panel.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
              .map(e => e.textContent),
    figures: figures.length,
    figuresWithImage: figures.filter(c => [...c.querySelectorAll('.jp-OutputArea-output img')]
                                    .some(i => i.complete && i.naturalWidth > 0)).length,
    headings: [...panel.querySelectorAll('.jp-MarkdownCell h1, .jp-MarkdownCell h2')]
                .map(h => h.textContent.replace('¶', '').trim()),
    cells: [...panel.querySelectorAll('.jp-OutputArea-output td, .jp-OutputArea-output th')]
             .map(td => td.textContent),
    text: panel.innerText,
  };
}"""


@pytest.mark.browser
def test_every_notebook_runs_in_jupyterlab(lab):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for path in numbered_notebooks():
        page = _open(lab, path.stem)
        _run_all(page)
        seen = page.evaluate(CHECK)
        page.screenshot(path=str(ARTIFACTS / f"{path.stem}.png"), full_page=False)
        assert seen["errors"] == 0, f"{path.stem}: a cell shows an error"
        assert not any("missing from font" in s for s in seen["stderr"]), path.stem
        assert seen["figures"] > 0 and seen["figuresWithImage"] == seen["figures"], path.stem
        headings = " ".join(seen["headings"])
        assert CJK.search(headings) and "\ufffd" not in seen["text"], path.stem
        source = json.loads(path.read_text(encoding="utf-8"))
        title = "".join(source["cells"][0]["source"]).splitlines()[0].lstrip("# ").strip()
        assert title in seen["headings"], f"{path.stem}: heading {title!r} not shown intact"
        if path.stem in ("02_activity-by-locality", "03_meeting-types"):
            assert any(CJK.search(c) for c in seen["cells"]), f"{path.stem}: table cells"


@pytest.mark.browser
def test_adding_a_page_changes_what_notebook_02_shows(lab):
    page = _open(lab, "02_activity-by-locality")
    _run_all(page)
    before = re.search(r"报道最多的市州是 (\S+)（(\d+) 篇）", page.evaluate(CHECK)["text"])
    articles = parse_page(REAL_PAGE.read_text(encoding="utf-8")).articles
    text, _ = shuffled_page(articles, seed=5)
    (lab["tmp"] / "seeds" / "2023-06-15_p3.txt").write_text(text, encoding="utf-8")
    _run_all(page)
    after = re.search(r"报道最多的市州是 (\S+)（(\d+) 篇）", page.evaluate(CHECK)["text"])
    page.screenshot(path=str(ARTIFACTS / "02_after-adding-a-page.png"))
    assert before and after and before.group(1) == after.group(1) == "陇南市"
    assert (int(before.group(2)), int(after.group(2))) == (3, 6)


@pytest.mark.browser
def test_html_report_opens_offline_with_every_image(lab, tmp_path):
    from helpers.report import write_report

    index = write_report(tmp_path / "reports")
    page = lab["browser"].new_page()
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:")) else None,
    )
    page.goto(index.as_uri())
    links = page.eval_on_selector_all("ol a", "as => as.map(a => a.getAttribute('href'))")
    assert links == [f"{p.stem}.html" for p in numbered_notebooks()]
    for link in links:
        page.goto((index.parent / link).as_uri())
        page.wait_for_load_state("load")
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.complete, i.naturalWidth])"
        )
        assert images and all(done and width > 0 for done, width in images), link
        assert page.evaluate("document.body.classList.contains('hide-code')"), link
        assert CJK.search(page.inner_text("h1")), link
    assert outside == [], f"the report asked the network for {outside[:3]}"
    page.close()
