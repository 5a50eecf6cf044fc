"""Step 5 of the flow: build the corpus table from every page in ``seeds/`` (cached).

Takes a folder of page files (``*.txt``, and ``*.pdf`` when ``helpers.pdf`` is installed; any
case, subfolders included) and returns a ``pandas.DataFrame`` with one row per article: the
parsed fields (``split``), the event date (``dates``) and the tags (``tag``), plus corpus-level
keywords (TF-IDF). A load runs four steps, each handling its own faults:

1. ``plan_pages``: find the page files, give each a unique ``issue`` and a cache key; entries
   that are not pages (folders, pipes, unreadable or oversized files) get their reason here.
2. ``parse_new_pages``: parse what neither the assembled table nor a page file in the cache
   holds, in parallel on any ``concurrent.futures.Executor`` (the session's process pool by
   default, a Dask cluster through ``Client.get_executor()``), a few pages in flight at a time.
3. ``assemble``: old rows that still count, cached and new rows, duplicates counted once,
   keywords.
4. ``write``: the table, its details and the manifest (``helpers.cache``: verified, atomic,
   locked). Deleting the cache changes nothing but time.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import hashlib
import json
import multiprocessing
import os
import select
import stat
import sys
import tempfile
import threading
import time
import unicodedata
import warnings
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import config
from .cache import Cache, CacheDamaged, Timeout, read_part, write_page_file
from .read import MAX_PAGE_BYTES, PageError, decode_page_full, parse_page_name, too_big
from .split import parse_page
from .tag import Tags, get_tagger

# The tagger's fields that become columns (its mentions and term counts are kept aside).
TAG_COLUMNS = [f.name for f in fields(Tags) if f.name not in ("terms", "mentions")]
# The columns of a page's rows, in table order (then the tags, keywords, span, source).
ROW_COLUMNS = [
    "issue",
    "page",
    "issue_date",
    "article_no",
    "kind",
    "headline",
    "subheadline",
    "body",
    "dateline",
    "byline",
    "continued_from",
    "continued_on",
    "reporters",
    "dateline_place",
    "event_date",
    "event_date_text",
    "span_start",
    "span_end",
    "headline_start",
    "headline_end",
    "subheads",
    "n_chars",
    "script",
    "boundary",
    "merged_suspect",
]
COLUMNS = [*ROW_COLUMNS, *TAG_COLUMNS, "keywords", "span", "source"]
INT_COLUMNS = ["article_no", "span_start", "span_end", "headline_start", "headline_end", "n_chars"]
DATE_COLUMNS = ["issue_date", "event_date"]
# Columns holding Python lists for users (parquet gives arrays back; these become lists again).
LIST_COLUMNS = [
    "reporters",
    "subheads",
    *(f.name for f in fields(Tags) if f.name in TAG_COLUMNS and "list" in str(f.type)),
    "keywords",
]
# Long per-article texts kept beside the table, read only when asked for (``article_details``).
DETAIL_COLUMNS = ["mentions_json", "terms", "term_counts"]
DETAILS_SCHEMA = pa.schema(
    [
        ("mentions_json", pa.string()),
        ("terms", pa.list_(pa.string())),
        ("term_counts", pa.list_(pa.int32())),
    ]
)
KEYED_DETAILS_SCHEMA = pa.schema(
    [("issue", pa.string()), ("article_no", pa.int64()), *DETAILS_SCHEMA]
)
# Adding pages appends a details part each time; past this many they are merged into one.
MAX_DETAIL_PARTS = 16
MIN_PAGES_FOR_CORPUS_IDF = 3
# One or two pages parse faster here than a pool of workers starts (jieba loads in each).
IN_PROCESS_MAX_PAGES = 2
PAGE_SUFFIXES = (".txt", ".pdf")
# A newspaper's PDF carries its pages' images and fonts: an issue of 8 pages is 5–40 MB.
# 100 MB is more than any issue; the text taken from each page meets MAX_PAGE_BYTES after.
MAX_PDF_BYTES = 100 * 2**20
# How often a worker checks that its owner lives where pidfd_open is missing (seconds).
OWNER_POLL_S = 0.5


# The modules whose code decides what a page's rows hold (and how they are cached): editing
# one of them, or any data table, invalidates the cache. The charts, tables, notebooks and
# report read the table and are not listed: editing them re-parses nothing.
PARSER_MODULES = (
    "config.py",
    "read.py",
    "pdf.py",
    "repair.py",
    "split.py",
    "dates.py",
    "gazetteer.py",
    "ner.py",
    "tag.py",
    "corpus.py",
    "cache.py",
)


@cache
def parser_version() -> str:
    """A digest of the parser's code and data tables: editing either invalidates the cache."""
    digest = hashlib.sha256(config.PARSER_VERSION.encode())
    modules = [config.PACKAGE_DIR / name for name in PARSER_MODULES]
    for path in modules + sorted(config.DATA_DIR.glob("*")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def page_key(name: str, data: bytes) -> str:
    """Cache key of one page: its name (issue, date, page) and content, and the parser."""
    h = hashlib.sha256(name.encode() + b"\0" + data)
    return f"{h.hexdigest()[:24]}-{parser_version()}"


def text_digest(text: str) -> str:
    """Digest of a page's text as read (NFKC, no whitespace): the same page twice matches,
    whatever its encoding, line breaks or spacing (a pdf2txt file beside its PDF, too)."""
    normal = "".join(unicodedata.normalize("NFKC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:24]


# --------------------------------------------------------------------------- one page


def page_rows(data: bytes, source: str, issue: str | None = None) -> dict:
    """Parse and tag one page file's bytes: article rows and a page summary (runs in workers).

    ``issue`` names the page in the table (default: the file's stem); warnings about what was
    repaired on the way (bad bytes, NULs, Traditional script, the file name) are returned.
    A page the parser fails on is reported as skipped, with the error, not raised: one page
    must not stop the corpus."""
    try:
        return _page_rows(data, source, issue)
    except Exception as err:  # a parser bug on an odd page: say so, load the rest
        problem = f"the parser failed on this page ({type(err).__name__}: {err})"
        return {"source": source, "error": problem, "warnings": []}


def _page_rows(data: bytes, source: str, issue: str | None) -> dict:
    name = parse_page_name(issue or source)
    issue = issue or name.issue
    notes = [name.problem] if name.problem else []
    try:
        decoded = decode_page_full(data, source)
        text = decoded.text
        page = parse_page(text, issue)
    except PageError as err:
        return {"source": source, "error": err.problem, "warnings": notes}
    notes.extend(decoded.notes)
    if not page.articles:
        return {"source": source, "error": "no articles found on the page", "warnings": notes}
    tagger = get_tagger()
    rows = []
    for no, article in enumerate(page.articles, start=1):
        tags = tagger.tag(article)
        terms = tags.terms.most_common()
        row = {
            "issue": issue,
            "page": name.page,
            "issue_date": name.issue_date,
            "article_no": no,
            "kind": article.kind,
            "headline": article.headline,
            "subheadline": article.subheadline,
            "body": article.body,
            "dateline": article.dateline,
            "byline": article.byline,
            "continued_from": article.continued_from,
            "continued_on": article.continued_on,
            "reporters": article.reporters,
            "dateline_place": article.dateline_place,
            "event_date": article.event_date,
            "event_date_text": article.event_date_text,
            "span_start": article.span[0],
            "span_end": article.span[1],
            "headline_start": article.headline_span[0] if article.headline_span else -1,
            "headline_end": article.headline_span[1] if article.headline_span else -1,
            "subheads": article.subheads,
            "n_chars": len(article.body),
            "script": decoded.script,
            # what marked the article's start; True where nothing printed may hide a second report
            "boundary": article.boundary,
            "merged_suspect": article.merged_suspect,
        }
        row.update({name: getattr(tags, name) for name in TAG_COLUMNS})
        # long per-article lists are kept as JSON text: cheap to store and to load
        row["mentions_json"] = json.dumps([vars(m) for m in tags.mentions], ensure_ascii=False)
        row["terms"] = [t for t, _ in terms]
        row["term_counts"] = [n for _, n in terms]
        rows.append(row)
    residue = [
        {"text": r.text, "start": r.span[0], "end": r.span[1], "reason": r.reason}
        for r in page.residue
    ]
    summary = {
        "issue": issue,
        "page": name.page,
        "issue_date": str(name.issue_date.date()) if name.issue_date is not None else None,
        "year": page.year,
        "n_articles": len(rows),
        "n_chars": sum(1 for c in text if not c.isspace()),
        "encoding": decoded.encoding,
        "script": decoded.script,
        "text_digest": text_digest(text),
        "warnings": notes,
        "residue": residue,
    }
    return {"source": source, "rows": rows, "page": summary, "warnings": notes}


def page_rows_cached(data: bytes, source: str, issue: str, cache_file: str) -> dict:
    """``page_rows``, writing the page's cache file in the worker (local pools only)."""
    result = page_rows(data, source, issue)
    write_page_file(Path(cache_file), result)
    result["written"] = True
    return result


# --------------------------------------------------------------------------- workers


def _exit_with_owner(owner: int) -> None:
    """Block until process ``owner`` is gone, then end this process at once."""
    try:
        fd = os.pidfd_open(owner)
    except (AttributeError, OSError):  # not Linux ≥ 5.3: poll
        while True:
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                break
            except PermissionError:
                pass
            time.sleep(OWNER_POLL_S)
    else:
        select.select([fd], [], [])
    os._exit(1)


def _init_worker(owner: int) -> None:
    # a worker serves one process: if that process is killed (kill -9 runs no cleanup), the
    # worker ends too, and with the last worker the forkserver and resource tracker
    threading.Thread(target=_exit_with_owner, args=(owner,), daemon=True).start()
    get_tagger()  # load jieba and the dictionaries once per worker


_POOL: cf.ProcessPoolExecutor | None = None


def _pool_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: forkserver where it can, else fork (or spawn)."""
    # forkserver re-imports the main module in a clean server; a main module with no file
    # (python -c, stdin) cannot be, so those runs fork
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    methods = multiprocessing.get_all_start_methods()
    if main_file and Path(main_file).exists() and "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _new_pool(workers: int) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_pool_context(),
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )


def worker_pool() -> cf.ProcessPoolExecutor:
    """The session's pool of parsing workers, one per core, started on first use and kept,
    so pages added later in the same session go to workers whose jieba is already loaded.
    ``shutdown_workers()`` (or the end of the process) stops it; so does a kill of the
    process: each worker watches its owner."""
    global _POOL
    if _POOL is None:
        _POOL = _new_pool(os.cpu_count() or 1)
        atexit.register(shutdown_workers)
    return _POOL


def _parse_alone(job: tuple[str, str, bytes, str]) -> dict:
    """Parse one page in a worker of its own: a page that kills its worker is reported."""
    issue, source, data, cache_file = job
    with _new_pool(1) as pool:
        try:
            return pool.submit(page_rows_cached, data, source, issue, cache_file).result()
        except BrokenProcessPool:
            problem = "the parsing worker died on this page (out of memory?)"
            return {"source": source, "error": problem, "warnings": []}


def shutdown_workers() -> None:
    """Stop the session's parsing workers (they start again when needed)."""
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(cancel_futures=True)
        _POOL = None


def _run_pages(jobs: list[tuple[str, str, bytes, str]], executor: cf.Executor | None):
    """Yield each job's result in job order, with a bounded number of pages in flight.

    Jobs are (issue, source, bytes, cache file). With no executor given, a page or two are
    parsed in this process unless the session's worker pool is already running; more go to
    the pool, whose workers write the page cache themselves. With an executor from outside (a
    Dask cluster, whose workers may not share this disk) this process writes it.
    """
    if not jobs:
        return
    local = executor is None
    if local and (len(jobs) > IN_PROCESS_MAX_PAGES or _POOL is not None):
        executor = worker_pool()
    if executor is None:
        for issue, source, data, _ in jobs:
            yield page_rows(data, source, issue)
        return

    def submit(job):
        issue, source, data, cache_file = job
        if local:
            return executor.submit(page_rows_cached, data, source, issue, cache_file)
        return executor.submit(page_rows, data, source, issue)

    window = 4 * (getattr(executor, "_max_workers", None) or os.cpu_count() or 2)
    pending: deque = deque()
    it = iter(jobs)
    for job in it:
        pending.append((job, submit(job)))
        if len(pending) >= window:
            break
    while pending:
        job, future = pending.popleft()
        try:
            result = future.result()
        except BrokenProcessPool:
            if not local:
                raise
            # a worker died (killed, out of memory): the pool is gone with it. The pages in
            # flight are parsed each alone, so only one that kills its worker is lost; the
            # rest go to a new pool
            shutdown_workers()
            for in_flight in [job, *(j for j, _ in pending)]:
                yield _parse_alone(in_flight)
            yield from _run_pages(list(it), None)
            return
        nxt = next(it, None)
        if nxt is not None:
            pending.append((nxt, submit(nxt)))
        yield result


# --------------------------------------------------------------------------- 1. plan


@dataclass
class PageState:
    """One entry of the seeds folder (a file, or one page of a PDF) and what became of it."""

    file: str  # the entry as found under the seeds folder (absolute)
    source: str = ""  # the file, or ``file.pdf#page=N``
    issue: str = ""  # its name in the table: unique in the corpus
    key: str = ""  # cache key (name, bytes, parser); "" when it could not be read
    data: bytes | None = None  # what to parse, dropped once parsed
    error: str | None = None  # why it is skipped
    summary: dict | None = None  # the page summary (counts, residue, encoding, digest)
    rows: list[dict] | None = None  # its rows when they do not come from the old table
    in_table: bool = False  # its rows are in the table assembled last time
    parsed_now: bool = False
    duplicate_of: str | None = None  # the file whose text this one repeats
    warnings: list[str] = field(default_factory=list)

    @property
    def marker(self) -> str:
        """What the manifest records to tell a change: the key, or the reason it is skipped."""
        return self.key or f"!{self.error}"


def _find_entries(seeds: Path) -> list[PageState]:
    """Every ``*.txt``/``*.pdf`` entry under ``seeds`` (any case), with a reason for those
    that are not page files. Hidden files and folders (``.ipynb_checkpoints``) are left out;
    a link to a folder outside the tree is followed once, one into the tree is not (its pages
    are read where they are)."""
    seen = {os.path.realpath(root) for root, _, _ in os.walk(seeds)}
    entries: list[PageState] = []

    def walk(folder: str) -> None:
        try:
            with os.scandir(folder) as it:
                items = sorted((e for e in it if not e.name.startswith(".")), key=_name)
        except OSError as err:
            entries.append(PageState(folder, error=f"cannot list folder ({err.strerror})"))
            return
        for item in items:
            is_page_name = item.name.lower().endswith(PAGE_SUFFIXES)
            try:
                is_dir = item.is_dir()  # follows links
            except OSError:
                is_dir = False
            if is_page_name and not _printable_name(item.path):
                # a name that is not UTF-8 cannot be stored in the table or the cache
                shown = os.fsencode(item.path).decode("utf-8", "backslashreplace")
                entries.append(PageState(shown, error="the file name is not UTF-8: rename it"))
                continue
            if is_dir:
                if is_page_name:
                    entries.append(PageState(item.path, error="a folder, not a page file"))
                real = os.path.realpath(item.path)
                if not item.is_symlink():
                    walk(item.path)
                elif real not in seen:
                    seen.add(real)
                    walk(item.path)
            elif is_page_name:
                entries.append(PageState(item.path))

    walk(str(seeds))
    return sorted(entries, key=lambda e: e.file)


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _printable_name(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes come back as surrogates
        return False
    return True


def _read_entry(entry: PageState) -> bytes | None:
    """The entry's bytes, or None with ``entry.error`` saying why not."""
    path = Path(entry.file)
    try:
        info = path.stat()
    except OSError as err:
        broken = path.is_symlink()
        entry.error = "a broken link" if broken else f"cannot read file ({err.strerror})"
        return None
    if stat.S_ISDIR(info.st_mode):
        entry.error = "a folder, not a page file"
        return None
    if not stat.S_ISREG(info.st_mode):  # a pipe would block the load, a device never end
        entry.error = "not a regular file (a pipe, socket or device)"
        return None
    limit = MAX_PDF_BYTES if entry.file.lower().endswith(".pdf") else MAX_PAGE_BYTES
    if info.st_size > limit:
        entry.error = too_big(info.st_size, limit)
        return None
    try:
        return _read_bytes(path)
    except OSError as err:
        entry.error = f"cannot read file ({err.strerror})"
        return None


def _read_bytes(path: Path) -> bytes:
    return path.read_bytes()


def _pdf_pages(entry: PageState, data: bytes, store: Cache) -> list[tuple[int, str]] | None:
    """The text of each page of a PDF (cached by the PDF's bytes), or None with a reason.

    ``helpers.pdf`` is optional and imported only when a PDF is met."""
    key = "pdf-" + page_key(Path(entry.file).name, data)
    cached = store.read_page(key)
    if cached is not None and "pdf_pages" in cached:
        if cached.get("error"):
            entry.error = cached["error"]
            return None
        return [(int(n), str(text)) for n, text in cached["pdf_pages"]]
    try:
        from .pdf import pdf_pages
    except ImportError:
        entry.error = "PDF support not installed"
        return None
    try:
        pages = [(int(p.number), str(p.text)) for p in pdf_pages(Path(entry.file))]
    except PageError as err:
        entry.error = err.problem
        pages = []
    except Exception as err:  # a PDF library's own errors: the file is what is wrong
        entry.error = f"cannot read PDF ({type(err).__name__}: {err})"
        pages = []
    if not pages and not entry.error:
        entry.error = "no pages in the PDF"
    store.write_page(key, {"rows": [], "pdf_pages": pages, "error": entry.error})
    return pages if not entry.error else None


def _unique_issues(entries: list[PageState], seeds: Path) -> None:
    """Name each page by its file stem; where stems collide, by the path under ``seeds``
    (without, then with the suffix), so every ``issue`` names one page."""
    root = f"{seeds.as_posix().rstrip('/')}/"
    candidates = []
    for e in entries:
        path = Path(e.file)
        rel = e.file[len(root) :] if e.file.startswith(root) else path.name
        bare = rel[: -len(path.suffix)] if path.suffix else rel
        # e.issue holds a PDF page's "_pN" until named; the suffix goes last, so the name
        # still ends in the date and page number (2023-06-08_p2.pdf)
        candidates.append([path.stem + e.issue, bare + e.issue, bare + e.issue + path.suffix])
    # pages that share a stem and their text (a pdf2txt file beside its PDF) are one page
    # under one name: the duplicate is dropped later, the name stays plain
    groups: dict[str, list[int]] = {}
    for i, names in enumerate(candidates):
        groups.setdefault(names[0], []).append(i)
    same_page = {
        i
        for group in groups.values()
        if len(group) > 1 and len({_quick_digest(entries[i]) for i in group}) == 1
        for i in group
    }
    level = [0] * len(entries)
    for next_level in (1, 2):
        counts: dict[str, int] = {}
        for i, names in enumerate(candidates):
            if i not in same_page:
                counts[names[level[i]]] = counts.get(names[level[i]], 0) + 1
        for i, names in enumerate(candidates):
            if i not in same_page and counts[names[level[i]]] > 1:
                level[i] = next_level
    for e, names, lv in zip(entries, candidates, level, strict=True):
        e.issue = names[lv]


def _quick_digest(entry: PageState) -> str:
    """The digest of an entry's text as the parser will read it (or of its bytes)."""
    try:
        return text_digest(decode_page_full(entry.data or b"", entry.source).text)
    except PageError:
        return hashlib.sha256(entry.data or b"").hexdigest()


def plan_pages(seeds: Path, store: Cache) -> tuple[list[PageState], list[PageState]]:
    """The pages to load, each with its issue, key and bytes; and the entries to skip."""
    pages: list[PageState] = []
    skipped: list[PageState] = []
    for entry in _find_entries(seeds):
        data = None if entry.error else _read_entry(entry)
        if data is None:
            skipped.append(entry)
        elif entry.file.lower().endswith(".pdf"):
            pdf = _pdf_pages(entry, data, store)
            if pdf is None:
                skipped.append(entry)
                continue
            for number, text in pdf:
                page = PageState(
                    entry.file,
                    source=f"{entry.file}#page={number}",
                    issue=f"_p{number}" if len(pdf) > 1 else "",
                    data=text.encode("utf-8"),
                )
                if not text.strip():
                    page.error = "no text on this PDF page (a scan?)"
                    skipped.append(page)
                else:
                    pages.append(page)
        else:
            pages.append(PageState(entry.file, source=entry.file, data=data))
    _unique_issues(pages, seeds)
    for page in pages:
        page.key = page_key(page.issue, page.data or b"")
    for entry in skipped:
        entry.source = entry.source or entry.file
    return pages, skipped


# --------------------------------------------------------------------------- 2. parse


@dataclass
class Previous:
    """What the cache holds from the last load: its manifest, table and details (verified)."""

    manifest: dict | None = None
    table: pd.DataFrame | None = None  # with a ``cache_key`` column
    details: pa.Table | None = None

    @property
    def parts(self) -> list[str]:
        return self.manifest["parts"] if self.manifest else []


@dataclass
class _Memo:
    build: str
    table: pd.DataFrame
    details: pa.Table | None = None


# One assembled table per cache folder, kept for the session: a re-run reads nothing again.
_LAST: dict[str, _Memo] = {}


def read_previous(store: Cache, manifest: dict | None, details: bool = True) -> Previous:
    """The last load's table and (if ``details``) its details, from memory or verified files;
    what is damaged is left out (with a warning) and rebuilt from the page files."""
    if manifest is None:
        return Previous()
    memo = _LAST.get(str(store.folder))
    memo = memo if memo is not None and memo.build == manifest.get("build") else None
    table = memo.table if memo is not None else None
    if table is None:
        arrow = store.read_table(manifest)
        table = _to_pandas(arrow) if arrow is not None else None
    if table is None or "cache_key" not in table:
        return Previous(manifest)
    if not details:
        if memo is None:
            _LAST[str(store.folder)] = _Memo(manifest["build"], table)
        return Previous(manifest, table)
    found = memo.details if memo is not None else None
    if found is None:
        found = store.read_details(manifest["parts"], DETAILS_SCHEMA)
    if found is None or found.num_rows != len(table):
        if found is not None:
            warnings.warn(
                f"cache {store.folder}: details do not match the table; rebuilding them",
                stacklevel=4,
            )
        return Previous(manifest)
    _LAST[str(store.folder)] = _Memo(manifest["build"], table, found)
    return Previous(manifest, table, found)


def _is_result(info: dict) -> bool:
    return isinstance(info.get("rows"), list) and isinstance(info.get("page"), dict)


def _take(page: PageState, result: dict) -> None:
    page.warnings = list(result.get("warnings") or [])
    if result.get("error"):
        page.error = str(result["error"])
    else:
        page.summary = result["page"]
        page.rows = result["rows"]


def parse_new_pages(
    pages: list[PageState], old: Previous, store: Cache, executor: cf.Executor | None
) -> list[PageState]:
    """Fill in each page's rows: from the old table, a cached page file, or by parsing it.

    Returns the pages parsed now."""
    in_table = set(old.table["cache_key"].unique()) if old.table is not None else set()
    page_of = old.manifest["page_of"] if old.manifest else {}
    errors = old.manifest["errors"] if old.manifest else {}
    jobs: list[PageState] = []
    for page in pages:
        if page.key in in_table and page.key in page_of:
            page.in_table, page.summary = True, page_of[page.key]
        elif page.key in errors:
            page.error = errors[page.key]
        else:
            hit = store.read_page(page.key)
            if hit is not None and (hit.get("error") or _is_result(hit)):
                _take(page, hit)
            else:
                jobs.append(page)
    work = [(p.issue, p.source, p.data or b"", str(store.page_file(p.key))) for p in jobs]
    for page, result in zip(jobs, _run_pages(work, executor), strict=True):
        if not result.pop("written", False):
            store.write_page(page.key, result)
        _take(page, result)
        page.parsed_now = True
        for note in page.warnings:
            warnings.warn(f"{page.source}: {note}", stacklevel=4)
    for page in pages:
        page.data = None
    return jobs


# --------------------------------------------------------------------------- 3. assemble


def mark_duplicates(pages: list[PageState]) -> None:
    """A page whose text (decoded, normalised) another page already has counts once."""
    first: dict[str, PageState] = {}
    for page in pages:
        if page.error or page.summary is None:
            continue
        digest = page.summary.get("text_digest") or page.key
        if digest in first:
            page.duplicate_of = first[digest].source
        else:
            first[digest] = page


def assemble(pages: list[PageState], old: Previous) -> tuple[pd.DataFrame, pa.Table, list[str]]:
    """The table (with ``cache_key``) and its details, row for row, in page order; and the
    old detail parts that still hold its first rows as they are."""
    kept = [p for p in pages if not p.error and p.duplicate_of is None]
    order = {p.key: i for i, p in enumerate(kept)}
    frames: list[pd.DataFrame] = []
    detail_tables: list[pa.Table] = []
    kept_parts: list[str] = []
    if old.table is not None and old.details is not None:
        mask = old.table["cache_key"].isin(order).to_numpy()
        if mask.all():
            kept_parts = list(old.parts)  # nothing removed: the old details stay as they are
        frames.append(old.table[mask])
        detail_tables.append(old.details.filter(pa.array(mask)))
    new_rows = [
        {**row, "cache_key": p.key} for p in kept if not p.in_table for row in p.rows or []
    ]
    if new_rows:
        frame, table = _split_details(new_rows)
        frames.append(frame)
        detail_tables.append(table)
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty_table(), DETAILS_SCHEMA.empty_table(), []
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    details = pa.concat_tables(detail_tables).combine_chunks()
    perm = np.lexsort((df["article_no"].to_numpy(), df["cache_key"].map(order).to_numpy()))
    if not np.array_equal(perm, np.arange(len(perm))):  # new pages usually sort last
        df = df.iloc[perm]
        details = details.take(pa.array(perm))
        kept_parts = []
    df = _typed(df.reset_index(drop=True))
    df["keywords"] = keywords(details, n_pages=len(kept))
    return df, details, kept_parts


def _empty_table() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in [*ROW_COLUMNS, *TAG_COLUMNS]})
    df["keywords"] = pd.Series(dtype=object)
    df["cache_key"] = pd.Series(dtype=object)
    return _typed(df)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame["page"] = frame["page"].astype("Int64")
    for column in DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    for column in INT_COLUMNS:
        frame[column] = frame[column].astype("int64")
    frame["merged_suspect"] = frame["merged_suspect"].astype("bool")
    return frame


def _split_details(rows: list[dict]) -> tuple[pd.DataFrame, pa.Table]:
    """Rows → the light table (pandas) and the long per-article details (Arrow)."""
    details = pa.table(
        {name: [row.pop(name) for row in rows] for name in DETAILS_SCHEMA.names},
        schema=DETAILS_SCHEMA,
    )
    return _typed(pd.DataFrame(rows)), details


# --------------------------------------------------------------------------- 4. write


def write(
    store: Cache,
    df: pd.DataFrame,
    details: pa.Table,
    kept_parts: list[str],
    manifest: dict,
    old: Previous,
) -> dict:
    """The table, then the details not already in ``kept_parts``, then the manifest."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    manifest["table"] = store.write_table(table)
    if len(kept_parts) >= MAX_DETAIL_PARTS:
        kept_parts = []
    kept = len(old.table) if kept_parts and old.table is not None else 0
    parts = list(kept_parts)
    if len(df) > kept:
        keyed = pa.table(
            {
                "issue": pa.array(df["issue"].iloc[kept:].astype(str).tolist(), pa.string()),
                "article_no": pa.array(df["article_no"].iloc[kept:].to_numpy(), pa.int64()),
            }
        )
        rest = details.slice(kept)
        for name in DETAILS_SCHEMA.names:
            keyed = keyed.append_column(name, rest.column(name))
        parts.append(store.write_part(keyed))
    manifest["parts"] = parts
    manifest["build"] = os.urandom(8).hex()  # names this state of the cache
    store.write_manifest(manifest, keep_parts=set(old.parts))
    _LAST[str(store.folder)] = _Memo(manifest["build"], df, details)
    return manifest


# --------------------------------------------------------------------------- corpus


class Shared:
    """Marks a value of ``df.attrs`` that a table shares with its slices and copies.

    pandas deep-copies ``attrs`` on every column access and slice; the page summaries of a
    500-page corpus made that cost more than a search. The values are read, never changed."""

    def __new__(cls, value):
        kind = SharedDict if isinstance(value, dict) else SharedList
        return kind(value)


class SharedList(list):
    def __deepcopy__(self, memo):
        return self


class SharedDict(dict):
    def __deepcopy__(self, memo):
        return self


def resolve_seeds(path: str | Path) -> Path:
    """A seeds folder: as given, else relative to the project root (so notebooks find it)."""
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p.resolve()
    if str(path) == "seeds":
        return config.SEEDS
    return (config.PROJECT_ROOT / p).resolve()


def load_corpus(
    path: str | Path = "seeds",
    cache_dir: str | Path | None = None,
    executor: cf.Executor | None = None,
) -> pd.DataFrame:
    """One row per article of every page file (``*.txt``, ``*.pdf``) under ``path``, parsed,
    tagged and cached.

    Files that are not pages are skipped with a warning and listed in ``df.attrs["skipped"]``
    (file and reason), repeated pages in ``df.attrs["duplicates"]``; page summaries (residue,
    counts, encoding) are in ``df.attrs["pages"]``; what changed since the last load of this
    cache in ``df.attrs["changes"]`` (``new``, ``changed``, ``removed``, ``skipped``,
    ``duplicates``: file names under ``path``).
    """
    seeds = resolve_seeds(path)
    if not seeds.is_dir():
        raise FileNotFoundError(f"{seeds}: no such folder of page files")
    store = Cache(Path(cache_dir) if cache_dir is not None else config.CACHE)
    return _load_somewhere(seeds, store, executor)


def _load_somewhere(
    seeds: Path, store: Cache, executor: cf.Executor | None, verify_details: bool = False
) -> pd.DataFrame:
    """``_load`` under the cache's lock; in a temporary cache if that one cannot be used."""
    try:
        return _load_locked(seeds, store, executor, verify_details)
    except OSError as err:  # a file where the folder should be, a read-only disk, a stuck lock…
        fallback = Cache(tempfile.mkdtemp(prefix="cppcc-cache-"))
        warnings.warn(
            f"cannot use the cache folder {store.folder} ({err}); "
            f"building in {fallback.folder} instead",
            stacklevel=3,
        )
        return _load_locked(seeds, fallback, executor, verify_details)


def _load_locked(
    seeds: Path, store: Cache, executor: cf.Executor | None, verify_details: bool
) -> pd.DataFrame:
    lock = _acquire(store)
    try:
        return _load(seeds, store, executor, verify_details)
    finally:
        lock.release()


def _acquire(store: Cache):
    lock = store.lock()
    try:
        lock.acquire()
    except Timeout:
        raise TimeoutError(
            f"another process has held {lock.lock_file} for too long; "
            "is a load of this cache stuck?"
        ) from None
    return lock


def _load(
    seeds: Path, store: Cache, executor: cf.Executor | None, verify_details: bool = False
) -> pd.DataFrame:
    """plan → (nothing changed: the table as it is) → parse new pages → assemble → write."""
    pages, skipped = plan_pages(seeds, store)
    files = {_rel(p.source, seeds): p.marker for p in pages + skipped}
    manifest = store.read_manifest(parser_version())
    before = manifest["files"] if manifest else {}
    if manifest is not None and before == files and manifest["seeds"] == str(seeds):
        old = read_previous(store, manifest, details=verify_details)
        if old.table is not None and all(Path(p).exists() for p in store.part_paths(old.parts)):
            changes = _changes(before, files, manifest, seeds)
            return _finish(old.table, manifest, [], store, seeds, changes)
    old = read_previous(store, manifest)
    parsed = parse_new_pages(pages, old, store, executor)
    mark_duplicates(pages)
    df, details, kept_parts = assemble(pages, old)
    kept = [p for p in pages if not p.error and p.duplicate_of is None]
    new = {
        "version": parser_version(),
        "seeds": str(seeds),  # sources are absolute: a moved folder gets them anew
        "keys": [p.key for p in kept],
        "files": files,
        "skipped": [
            {"file": p.source, "reason": p.error}
            for p in sorted(skipped + pages, key=_order)
            if p.error
        ],
        "duplicates": [
            {"file": p.source, "same_as": p.duplicate_of} for p in pages if p.duplicate_of
        ],
        "pages": [{**p.summary, "issue": p.issue, "source": p.source} for p in kept],
        "page_of": {p.key: p.summary for p in kept},
        "errors": {p.key: p.error for p in pages if p.error and p.key},
    }
    write(store, df, details, kept_parts, new, old)
    changes = _changes(before, files, new, seeds)
    return _finish(df, new, [p.source for p in parsed], store, seeds, changes)


def _order(page: PageState) -> str:
    return page.source


def _rel(source: str, seeds: Path) -> str:
    path = Path(source.split("#page=")[0])
    rel = path.relative_to(seeds).as_posix() if path.is_relative_to(seeds) else source
    return rel + (f"#page={source.split('#page=')[1]}" if "#page=" in source else "")


def _changes(before: dict, after: dict, manifest: dict, seeds: Path) -> dict[str, list[str]]:
    """File names (under the seeds folder) new, changed and removed since the last load of
    this cache, and those skipped or repeated now."""
    return {
        "new": [f for f in after if f not in before],
        "changed": [f for f in after if f in before and before[f] != after[f]],
        "removed": [f for f in before if f not in after],
        "skipped": [_rel(s["file"], seeds) for s in manifest["skipped"]],
        "duplicates": [_rel(d["file"], seeds) for d in manifest["duplicates"]],
    }


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """A corpus table from Parquet; list columns come back as Python lists."""
    lists = [c for c in LIST_COLUMNS if c in table.column_names]
    df = table.drop_columns(lists).to_pandas()
    for column in lists:
        df[column] = table.column(column).to_pylist()
    return df


def _finish(
    df: pd.DataFrame,
    manifest: dict,
    parsed: list[str],
    store: Cache,
    seeds: Path,
    changes: dict[str, list[str]],
) -> pd.DataFrame:
    """The table users see: fixed columns and types, spans, sources, and what was skipped."""
    df = df.drop(columns=["cache_key"], errors="ignore")
    for column in LIST_COLUMNS:
        if column in df and len(df) and not isinstance(df[column].iloc[0], list):
            df[column] = [list(v) for v in df[column]]
    df["span"] = list(zip(df["span_start"], df["span_end"], strict=True))
    source_of = {p["issue"]: p["source"] for p in manifest["pages"]}
    df["source"] = df["issue"].map(source_of)
    df = _typed(df.reindex(columns=COLUMNS))
    if not len(df):  # the dtypes pandas gives these columns in a full table
        typed = {"page", "merged_suspect", *DATE_COLUMNS, *INT_COLUMNS}
        objects = {*LIST_COLUMNS, "span"}
        df = df.astype({c: "object" if c in objects else "str" for c in COLUMNS if c not in typed})
    if not manifest["files"]:
        warnings.warn(f"no page files (*.txt, *.pdf) in {seeds}: the table is empty", stacklevel=4)
    for item in manifest["skipped"]:
        warnings.warn(f"skipped {item['file']}: {item['reason']}", stacklevel=4)
    for item in manifest["duplicates"]:
        warnings.warn(
            f"duplicate {item['file']}: the same text as {item['same_as']}, counted once",
            stacklevel=4,
        )
    df.attrs["details"] = Shared(store.part_paths(manifest["parts"]))
    df.attrs["skipped"] = Shared(manifest["skipped"])
    df.attrs["duplicates"] = Shared(manifest["duplicates"])
    df.attrs["pages"] = Shared(manifest["pages"])
    df.attrs["parsed"] = Shared(parsed)
    df.attrs["changes"] = Shared(changes)
    df.attrs["cache"] = Shared({"seeds": str(seeds), "folder": str(store.folder)})
    return df


# --------------------------------------------------------------------------- keywords


@cache
def _jieba_idf() -> tuple[dict[str, float], float]:
    import jieba.analyse

    tfidf = jieba.analyse.TFIDF()
    return tfidf.idf_freq, tfidf.median_idf


def keywords(details: pa.Table, n_pages: int, top: int = 8) -> list[list[str]]:
    """Top terms per article by TF-IDF: against this corpus once it has a few pages, else
    against jieba's bundled IDF table. Ties go to the term the corpus met first."""
    terms = details.column("terms").combine_chunks()
    n_docs = len(terms)
    if n_docs == 0:
        return []
    parents = pc.list_parent_indices(terms).to_numpy()
    counts = pc.list_flatten(details.column("term_counts").combine_chunks()).to_numpy()
    encoded = pc.dictionary_encode(pc.list_flatten(terms))
    ids = encoded.indices.to_numpy(zero_copy_only=False)
    vocabulary = encoded.dictionary.to_pylist()
    if n_pages >= MIN_PAGES_FOR_CORPUS_IDF:
        docs = np.bincount(ids, minlength=len(vocabulary))  # a term is listed once an article
        idf = np.log(n_docs / np.maximum(docs, 1)) + 1.0
    else:
        table, median = _jieba_idf()
        idf = np.array([table.get(t, median) for t in vocabulary])
    score = counts * idf[ids]
    order = np.lexsort((ids, -score, parents))
    by_article = parents[order]
    starts = np.searchsorted(by_article, np.arange(n_docs))
    position = np.arange(len(order)) - starts[by_article]
    keep = order[position < top]
    out: list[list[str]] = [[] for _ in range(n_docs)]
    for parent, term_id in zip(parents[keep].tolist(), ids[keep].tolist(), strict=True):
        out[parent].append(vocabulary[term_id])
    return out


def details_table(df: pd.DataFrame) -> pa.Table | None:
    """The cached per-article details behind ``df`` as one Arrow table (None if it has none).

    The detail parts are checked against their digests before they are read; if one is gone
    or damaged, the corpus the table came from is loaded again to rebuild them."""
    paths = df.attrs.get("details")
    if paths is None:
        raise FileNotFoundError(
            "this table has no cached details: load it with helpers.load_corpus(...)"
        )
    try:
        tables = [read_part(p, KEYED_DETAILS_SCHEMA) for p in paths]
    except CacheDamaged as err:
        origin = df.attrs.get("cache")
        if not origin:
            raise FileNotFoundError(f"{err}; load the table again with load_corpus") from None
        warnings.warn(f"cache damaged: {err}; rebuilding it from the pages", stacklevel=2)
        store = Cache(origin["folder"])
        fresh = _load_somewhere(Path(origin["seeds"]), store, None, verify_details=True)
        tables = [read_part(p, KEYED_DETAILS_SCHEMA) for p in fresh.attrs["details"]]
    return pa.concat_tables(tables) if tables else None


def article_details(df: pd.DataFrame) -> pd.DataFrame:
    """Mentions (as JSON text) and term counts of the articles in ``df``, from the cache."""
    table = details_table(df)
    columns = ["issue", "article_no", *DETAIL_COLUMNS]
    if table is None:
        return df[["issue", "article_no"]].assign(**{c: None for c in DETAIL_COLUMNS})
    details = table.drop_columns(["terms", "term_counts"]).to_pandas()
    details["terms"] = table.column("terms").to_pylist()
    details["term_counts"] = table.column("term_counts").to_pylist()
    keys = df[["issue", "article_no"]].astype({"article_no": "int64"})
    return keys.merge(details[columns], on=["issue", "article_no"], how="left")
