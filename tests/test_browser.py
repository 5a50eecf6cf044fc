"""Use it as its users do: JupyterLab in headless Chromium, and the HTML report.

Starts JupyterLab from the project root on 127.0.0.1 (a free port, a token, no browser), drives
Debian's Chromium through Playwright (never a downloaded browser), runs every notebook through
the UI, and checks what a reader sees. The corpus, cache and figures are temporary copies: the
committed notebooks are not saved (autosave off) and the test checks they are unchanged.

CI sets CPPCC_BROWSER_TEST=1: then a missing browser or Playwright fails the suite instead of
skipping these tests.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the tests skip (or fail under CPPCC_BROWSER_TEST=1) in _browser_or_skip
    PlaywrightTimeout = TimeoutError

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
SEARCH_TERM = "陇南"  # three of the real page's eleven reports
REPORT_FONT = "CPPCC Noto Sans CJK SC"
# Waits, in seconds. Generous because CI runs the rest of the suite on the same two cores; the
# waits are for states (server up, kernel idle, counts 1…N), so a slow machine waits longer
# rather than failing.
SERVER_START = 180
UI_STEP = 120
RUN_ALL = 900
POLL_MS = 250
RUN_ALL_QUEUED = 120
STALL_CHECK = 10  # a stalled Run All must stay so this long before it is started again
RUN_TRIES = 3
KERNEL_SETTLE = 3  # seconds the notebook's kernel must stay the same before Run All
PR_SET_PDEATHSIG = 1  # linux/prctl.h


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


def _kernelspec(folder: Path) -> None:
    """The notebooks' kernel ``python3`` is this interpreter, whatever else is installed:
    JUPYTER_PATH puts this spec before every other ``python3`` spec on the machine."""
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.joinpath("kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"})
    )


def _die_with_parent() -> None:
    """In the server's process, before exec: end it when pytest ends, even on kill -9."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Lab:
    """A JupyterLab server of this environment on 127.0.0.1, with its REST API at hand."""

    def __init__(self, tmp: Path, env: dict[str, str]):
        self.port, self.token, self.tmp = _free_port(), secrets.token_hex(16), tmp
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(tmp / "lab.log", "w")  # noqa: SIM115 (closed in stop)
        # `-m jupyterlab`, not `jupyter lab`: the latter runs whichever jupyter-lab is on PATH.
        # Its own session (process group), so stop() takes the kernels down with it.
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={config.PROJECT_ROOT}",
                f"--LabApp.user_settings_dir={tmp / 'settings'}",
                f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
                "--LabApp.extension_manager=readonly",
                *(["--allow-root"] if os.geteuid() == 0 else []),
            ],
            cwd=config.PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )

    def api(self, path: str, method: str = "GET", body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.base}/api/{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text else None

    def wait_started(self, timeout: float = SERVER_START) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.api("status")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    log = (self.tmp / "lab.log").read_text()[-2000:]
                    pytest.fail(f"JupyterLab did not start: {log}")
                time.sleep(0.5)

    def fresh_kernel(self, notebook: str) -> str:
        """A session for the notebook with a newly started python3 kernel: the page then
        attaches to it (no kernel dialog) and its execution counts start at 1. (The server
        reports the kernel idle only once a client has talked to it: the page waits for that.)"""
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")
        session = self.api(
            "sessions",
            method="POST",
            body={
                "path": notebook,
                "type": "notebook",
                "name": notebook,
                "kernel": {"name": "python3"},
            },
        )
        return session["kernel"]["id"]

    def state(self, kernel: str) -> str:
        """The kernel's execution state; a kernel that is gone ends this try (_Stalled)."""
        try:
            return self.api(f"kernels/{kernel}")["execution_state"]
        except urllib.error.HTTPError as err:
            if err.code == 404:
                raise _Stalled(f"kernel {kernel} is gone") from None
            raise

    def is_idle(self, kernel: str) -> bool:
        return self.state(kernel) == "idle"

    def settled_kernel(self, path: str, timeout: float) -> str:
        """The kernel the notebook's session runs once it stays the same for a while (the
        page may still be choosing one when it first shows idle)."""
        deadline, seen, since = time.monotonic() + timeout, None, time.monotonic()
        while time.monotonic() < deadline:
            kernels = [s["kernel"]["id"] for s in self.api("sessions") if s["path"] == path]
            now = kernels[0] if len(kernels) == 1 else None
            if now != seen:
                seen, since = now, time.monotonic()
            elif now and time.monotonic() - since >= KERNEL_SETTLE:
                return now
            time.sleep(0.25)
        pytest.fail(f"{path}: no single kernel settled in {timeout:.0f} s (sessions: {kernels})")

    def wait_idle(self, kernel: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.state(kernel) != "idle":
            if time.monotonic() > deadline:
                pytest.fail(f"kernel {kernel} not idle after {timeout:.0f} s")
            time.sleep(0.25)

    def stop(self) -> None:
        """Stop the server and everything it started, always."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # kernels left in the group
        self.log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    sync_playwright = _browser_or_skip()
    tmp = tmp_path_factory.mktemp("lab")
    (tmp / "seeds").mkdir()
    shutil.copy(REAL_PAGE, tmp / "seeds" / "2023-06-08_p3.txt")
    _settings(tmp / "settings")
    _kernelspec(tmp / "data")
    env = {
        **os.environ,
        "CPPCC_SEEDS": str(tmp / "seeds"),
        "CPPCC_CACHE": str(tmp / "cache"),
        "CPPCC_FIGURES": str(tmp / "figures"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTER_PATH": str(tmp / "data"),
    }
    server = Lab(tmp, env)
    try:
        server.wait_started()
        before = {p.name: p.read_bytes() for p in numbered_notebooks()}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(UI_STEP * 1000)
            yield {"page": page, "server": server, "tmp": tmp, "browser": browser}
            browser.close()
        after = {p.name: p.read_bytes() for p in numbered_notebooks()}
        assert before == after, "the browser test changed the committed notebooks"
    finally:
        server.stop()


def _menu(page, menu: str, item: str) -> None:
    page.keyboard.press("Escape")  # close a menu a previous try left open
    page.click(f'.lm-MenuBar-itemLabel:text-is("{menu}")')
    page.click(f'.lm-Menu-itemLabel:text-is("{item}")')


def _until(page, menu: str, item: str, done: str, effect: float = 30, tries: int = 5) -> None:
    """Choose a menu item until the JavaScript condition ``done`` holds (``effect`` s a try)."""
    for _ in range(tries):
        _menu(page, menu, item)
        try:
            page.wait_for_function(done, polling=POLL_MS, timeout=effect * 1000)
            return
        except PlaywrightTimeout:
            continue
    _fail_with_screenshot(page, item, f"{menu} → {item} had no effect after {tries} tries")


PROMPTS = """() => [...document.querySelectorAll(
  '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
  .map(p => p.textContent.trim())"""


STATE = f"""cells => {{
  const prompts = ({PROMPTS})();
  const counts = prompts.map(p => (p.match(/\\[(\\d+)\\]/) || [])[1]);
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (panel.querySelector('[data-mime-type$="jupyter.error"]')) return 'failed';
  if (counts.some(n => Number(n) > cells)) return 'twice';
  if (counts.length === cells && counts.every(Boolean)) return 'done';
  if (counts.some(Boolean) && !prompts.some(p => p.includes('*'))) return 'stalled';
  return '';
}}"""


class _Stalled(Exception):
    """Run All stopped with cells neither run nor queued, no error shown and the kernel idle."""


def _run_all(lab, name: str):
    """Open the notebook on a fresh kernel, clear its saved outputs, Run All, and wait until
    the kernel is idle and every cell shows its count from this run (1…N).

    Under heavy load JupyterLab sometimes drops the rest of a Run All after a cell (the cells
    go back to [ ] with no error and the kernel idles): that run is started again from a fresh
    kernel, at most RUN_TRIES times in all, and each restart is printed."""
    for attempt in range(1, RUN_TRIES + 1):
        try:
            return _run_all_once(lab, name)
        except _Stalled as stalled:
            print(f"{name}: Run All stalled ({stalled}); try {attempt} of {RUN_TRIES}")
    _fail_with_screenshot(lab["page"], name, f"Run All stalled {RUN_TRIES} times")


def _run_all_once(lab, name: str):
    server, page = lab["server"], lab["page"]
    path = f"notebooks/{name}.ipynb"
    page.goto("about:blank")  # the last notebook's page must not see its session go
    server.fresh_kernel(path)
    # ?reset: a fresh workspace, so the notebook opens alone, on the session made above
    page.goto(f"{server.base}/lab/tree/{path}?reset&token={server.token}")
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell")
    page.wait_for_function(
        """() => {
          const s = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) '
                                           + '.jp-Notebook-ExecutionIndicator');
          return s && s.getAttribute('data-status') === 'idle';
        }""",
        polling=POLL_MS,
        timeout=SERVER_START * 1000,
    )
    kernel = server.settled_kernel(path, SERVER_START)
    # A menu command can land before the panel takes it (a busy machine): repeat it until its
    # effect shows. Clearing twice is harmless; Run All is repeated only if no cell was queued
    # after a long wait (Run All marks every cell [*] at once), so it never runs twice.
    _until(
        page,
        "Edit",
        "Clear Outputs of All Cells",
        f"() => ({PROMPTS})().every(p => !/\\d/.test(p))",
    )
    _until(
        page,
        "Run",
        "Run All Cells",
        f"() => ({PROMPTS})().some(p => /\\*|\\d/.test(p))",
        effect=RUN_ALL_QUEUED,
    )
    notebook = json.loads((config.PROJECT_ROOT / path).read_text(encoding="utf-8"))
    cells = sum(c["cell_type"] == "code" for c in notebook["cells"])
    deadline = time.monotonic() + RUN_ALL
    while True:
        try:
            state = page.wait_for_function(
                STATE, arg=cells, polling=POLL_MS, timeout=RUN_ALL * 1000
            ).json_value()
        except PlaywrightTimeout:
            prompts = page.evaluate(PROMPTS)
            _fail_with_screenshot(page, name, f"Run All did not finish: prompts {prompts}")
        if state != "stalled":
            break
        page.wait_for_timeout(STALL_CHECK * 1000)  # still so after a while, kernel idle?
        if page.evaluate(STATE, cells) == "stalled" and server.is_idle(kernel):
            raise _Stalled(f"prompts {page.evaluate(PROMPTS)}")
        if time.monotonic() > deadline:
            _fail_with_screenshot(page, name, f"Run All did not finish in {RUN_ALL} s")
    server.wait_idle(kernel, RUN_ALL)  # a failed cell stops Run All: the kernel idles too
    page.wait_for_timeout(500)  # let the last outputs and images paint
    counts = sorted(int(c) for p in page.evaluate(PROMPTS) for c in re.findall(r"\[(\d+)\]", p))
    if counts != list(range(1, cells + 1)) and not page.evaluate(CHECK)["errors"]:
        _fail_with_screenshot(page, name, f"counts {counts} are not this run's 1…{cells}")
    return page


def _fail_with_screenshot(page, name: str, message: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-failed.png"))
    pytest.fail(f"{name}: {message} (screenshot in {ARTIFACTS})")


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
        page = _run_all(lab, path.stem)
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
        if path.stem == "03_meeting-types":
            _assert_search_filters(page, ".jp-NotebookPanel:not(.lm-mod-hidden)", SEARCH_TERM)


def _assert_search_filters(page, scope: str, term: str) -> None:
    """Type ``term`` into the search box of the first interactive table (itables/DataTables)
    that shows rows without it: afterwards it shows rows, and every row shown has the term."""
    tables = page.locator(f"{scope} .dt-container")
    page.wait_for_function(
        "scope => document.querySelectorAll(scope + ' .dt-container tbody tr').length > 0",
        arg=scope,
        polling=POLL_MS,
    )
    for i in range(tables.count()):
        table = tables.nth(i)
        before = table.locator("tbody tr").all_inner_texts()
        if before and any(term not in row for row in before):
            break
    else:
        pytest.fail(f"no interactive table in {scope} shows a row without {term!r}")
    table.scroll_into_view_if_needed()
    table.locator(".dt-search input").fill(term)
    page.wait_for_function(
        """([container, term]) => {
          const rows = [...container.querySelectorAll('tbody tr')].map(r => r.textContent);
          return rows.length > 0 && rows.every(r => r.includes(term));
        }""",
        arg=[table.element_handle(), term],
        polling=POLL_MS,
    )
    after = table.locator("tbody tr").all_inner_texts()
    assert after and all(term in row for row in after) and len(after) < len(before) + 1


@pytest.mark.browser
def test_adding_a_page_changes_what_notebook_02_shows(lab):
    page = _run_all(lab, "02_activity-by-locality")
    before = re.search(r"报道最多的市州是 (\S+)（(\d+) 篇）", page.evaluate(CHECK)["text"])
    articles = parse_page(REAL_PAGE.read_text(encoding="utf-8")).articles
    text, _ = shuffled_page(articles, seed=5)
    (lab["tmp"] / "seeds" / "2023-06-15_p3.txt").write_text(text, encoding="utf-8")
    page = _run_all(lab, "02_activity-by-locality")
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
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(
                ("file:", "data:", "blob:")
            )  # blob: is made by the page itself
            else None
        ),
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
        if link.startswith("03_"):
            _assert_search_filters(page, "body", SEARCH_TERM)
    # The CJK web font shipped beside the report loads (so a machine without a CJK font shows
    # no boxes), and it has a glyph for every character the pages show
    page.goto(index.as_uri())
    loaded = page.evaluate(
        "f => document.fonts.load(`16px \"${f}\"`, '政协').then(l => l.map(x => x.status))",
        REPORT_FONT,
    )
    assert loaded == ["loaded"], loaded
    from fontTools.ttLib import TTFont

    glyphs = TTFont(index.parent / "report-font.woff").getBestCmap()
    for link in ["index.html", *links]:
        page.goto((index.parent / link).as_uri())
        shown = set(CJK.findall(page.inner_text("body")))
        assert shown and not {c for c in shown if ord(c) not in glyphs}, link
    assert outside == [], f"the report asked the network for {outside[:3]}"
    page.close()
