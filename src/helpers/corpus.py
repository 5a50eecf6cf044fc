"""Step 5 of the flow: build the corpus table from every page in ``seeds/`` (cached).

Takes a folder of page files (``*.txt``) and returns a ``pandas.DataFrame`` with one row per
article: the parsed fields (``split``), the event date (``dates``) and the tags (``tag``), plus
corpus-level keywords (TF-IDF). Pages are parsed in parallel on any
``concurrent.futures.Executor`` (a process pool by default, a Dask cluster through
``Client.get_executor()``), one page at a time so memory grows with the table, not the text.

The cache is Parquet and JSON, never pickle: one file per page keyed by a hash of the file's
name and bytes and of the parser (code and data tables), plus the assembled corpus. Re-running
after adding an issue parses only the new file; deleting the cache changes nothing but time.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import hashlib
import json
import multiprocessing
import os
import secrets
import sys
import warnings
from collections import deque
from dataclasses import fields
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import config
from .read import PageError, decode_page, parse_page_name
from .split import parse_page
from .tag import Tags, get_tagger

# The tagger's fields that become columns (its mentions and term counts are kept aside).
TAG_COLUMNS = [f.name for f in fields(Tags) if f.name not in ("terms", "mentions")]
# Columns holding Python lists for users (parquet gives arrays back; these become lists again).
LIST_COLUMNS = [
    "reporters",
    "subheads",
    *(f.name for f in fields(Tags) if f.name in TAG_COLUMNS and "list" in str(f.type)),
    "keywords",
]
# Long per-article texts kept beside the table, read only when asked for (``article_details``).
DETAIL_COLUMNS = ["mentions_json", "terms", "term_counts"]
MAX_DETAIL_PARTS = 16
DETAILS_SCHEMA = pa.schema(
    [
        ("mentions_json", pa.string()),
        ("terms", pa.list_(pa.string())),
        ("term_counts", pa.list_(pa.int32())),
    ]
)
MIN_PAGES_FOR_CORPUS_IDF = 3
IN_PROCESS_MAX_PAGES = 2


@cache
def parser_version() -> str:
    """A digest of the parser's code and data tables: editing either invalidates the cache."""
    digest = hashlib.sha256(config.PARSER_VERSION.encode())
    for path in sorted(config.PACKAGE_DIR.glob("*.py")) + sorted(config.DATA_DIR.glob("*")):
        if path.name in ("figures.py", "notebook.py", "report.py", "__main__.py"):
            continue
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def page_key(name: str, data: bytes) -> str:
    """Cache key of one page file: its name (issue date, page) and content, and the parser."""
    h = hashlib.sha256(name.encode() + b"\0" + data)
    return f"{h.hexdigest()[:24]}-{parser_version()}"


# --------------------------------------------------------------------------- one page


def page_rows(data: bytes, source: str) -> dict:
    """Parse and tag one page file's bytes: article rows and a page summary (runs in workers)."""
    name = parse_page_name(source)
    try:
        text = decode_page(data, source)
        page = parse_page(text, source)
    except PageError as err:
        return {"source": source, "error": err.problem}
    if not page.articles:
        return {"source": source, "error": "no articles found on the page"}
    tagger = get_tagger()
    rows = []
    for no, article in enumerate(page.articles, start=1):
        tags = tagger.tag(article)
        terms = tags.terms.most_common()
        row = {
            "issue": name.issue,
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
        "issue": name.issue,
        "page": name.page,
        "issue_date": str(name.issue_date.date()) if name.issue_date is not None else None,
        "year": page.year,
        "n_articles": len(rows),
        "n_chars": sum(1 for c in text if not c.isspace()),
        "residue": residue,
    }
    return {"source": source, "rows": rows, "page": summary}


def page_rows_cached(data: bytes, source: str, cache_file: str) -> dict:
    """``page_rows``, writing the page's cache file in the worker (local pools only)."""
    result = page_rows(data, source)
    _write_page_json(Path(cache_file), result, result.get("rows"))
    result["written"] = True
    return result


def _init_worker() -> None:
    get_tagger()  # load jieba and the dictionaries once per worker


_POOL: cf.ProcessPoolExecutor | None = None


def worker_pool() -> cf.ProcessPoolExecutor:
    """The session's pool of parsing workers, one per core, started on first use and kept,
    so pages added later in the same session go to workers whose jieba is already loaded.
    ``shutdown_workers()`` (or the end of the process) stops it."""
    global _POOL
    if _POOL is None:
        # forkserver re-imports the main module in a clean server; a main module with no
        # file (python -c, stdin) cannot be, so those runs fork
        main_file = getattr(sys.modules.get("__main__"), "__file__", None)
        methods = multiprocessing.get_all_start_methods()
        if main_file and Path(main_file).exists() and "forkserver" in methods:
            method = "forkserver"
        else:
            method = "fork" if "fork" in methods else "spawn"
        _POOL = cf.ProcessPoolExecutor(
            max_workers=os.cpu_count() or 1,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker,
        )
        atexit.register(shutdown_workers)
    return _POOL


def shutdown_workers() -> None:
    """Stop the session's parsing workers (they start again when needed)."""
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(cancel_futures=True)
        _POOL = None


def _run_pages(jobs: list[tuple[str, bytes, str]], executor: cf.Executor | None):
    """Yield each job's result in job order, with a bounded number of pages in flight.

    Jobs are (source, bytes, cache file). With no executor given, a page or two are parsed in
    this process unless the session's worker pool is already running; more go to the pool,
    whose workers write the page cache themselves. With an executor from outside (a Dask
    cluster, whose workers may not share this disk) this process writes it.
    """
    if not jobs:
        return
    local = executor is None
    if local and (len(jobs) > IN_PROCESS_MAX_PAGES or _POOL is not None):
        executor = worker_pool()
    if executor is None:
        for source, data, _ in jobs:
            yield page_rows(data, source)
        return

    def submit(job):
        source, data, cache_file = job
        if local:
            return executor.submit(page_rows_cached, data, source, cache_file)
        return executor.submit(page_rows, data, source)

    window = 4 * (getattr(executor, "_max_workers", None) or os.cpu_count() or 2)
    pending: deque = deque()
    it = iter(jobs)
    for job in it:
        pending.append(submit(job))
        if len(pending) >= window:
            break
    while pending:
        result = pending.popleft().result()
        nxt = next(it, None)
        if nxt is not None:
            pending.append(submit(nxt))
        yield result


# --------------------------------------------------------------------------- cache


class _Cache:
    """Files under one folder, never pickle: ``corpus.parquet`` (the table), ``corpus.json``
    (its manifest), ``details/*.arrow`` (mentions and term counts, row for row), and
    ``pages/*.json`` (one page's rows, so a rebuilt table re-parses nothing)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.pages = folder / "pages"
        self.combined = folder / "corpus.parquet"
        self.manifest = folder / "corpus.json"
        self.details = folder / "details"

    def read_manifest(self) -> dict | None:
        if not self.manifest.exists():
            return None
        info = json.loads(self.manifest.read_text(encoding="utf-8"))
        return info if info.get("version") == parser_version() else None

    def part_paths(self, parts: list[str]) -> list[str]:
        return [str(self.details / name) for name in parts]

    def read_details(self, parts: list[str]) -> pa.Table | None:
        paths = self.part_paths(parts)
        if not all(Path(p).exists() for p in paths):
            return None
        tables = [
            _read_details(p).select(DETAILS_SCHEMA.names).cast(DETAILS_SCHEMA) for p in paths
        ]
        return pa.concat_tables(tables) if tables else DETAILS_SCHEMA.empty_table()

    def write_corpus(
        self, df: pd.DataFrame, details: pa.Table, manifest: dict, kept_parts: list[str]
    ) -> list[str]:
        """The table, its details (row for row, in part files), then the manifest.

        Details of the rows after the ``kept_parts`` go into one new part, so adding a page
        writes only that page's details; many parts are compacted into one.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        self.details.mkdir(exist_ok=True)
        _atomic_parquet(df, self.combined)
        if len(kept_parts) >= MAX_DETAIL_PARTS:
            kept_parts = []
        kept = sum(_read_details(p).num_rows for p in self.part_paths(kept_parts))
        parts = list(kept_parts)
        if len(df) > kept:
            table = pa.Table.from_pandas(
                df[["issue", "article_no"]].iloc[kept:], preserve_index=False
            )
            rest = details.slice(kept)
            for name in DETAILS_SCHEMA.names:
                table = table.append_column(name, rest.column(name))
            name = f"part-{secrets.token_hex(6)}.arrow"
            with (
                pa.OSFile(str(self.details / name), "wb") as sink,
                pa.ipc.new_file(sink, table.schema) as writer,
            ):
                writer.write_table(table)
            parts.append(name)
        manifest["detail_parts"] = parts
        manifest["build"] = secrets.token_hex(8)  # names this state of the cache
        _atomic_text(json.dumps(manifest, ensure_ascii=False), self.manifest)
        for stale in self.details.glob("part-*.arrow"):
            if stale.name not in parts:
                stale.unlink()
        return parts

    def read_page(self, key: str) -> dict | None:
        path = self.pages / f"{key}.json"
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    def page_file(self, key: str) -> Path:
        return self.pages / f"{key}.json"

    def write_page(self, key: str, result: dict, rows: list[dict] | None) -> None:
        self.pages.mkdir(parents=True, exist_ok=True)
        _write_page_json(self.page_file(key), result, rows)


def _write_page_json(path: Path, result: dict, rows: list[dict] | None) -> None:
    """One page's rows and summary as JSON (dates as ISO text), written atomically."""
    info = {k: v for k, v in result.items() if k not in ("rows", "written")}
    info["rows"] = rows or []
    _atomic_text(json.dumps(info, ensure_ascii=False, default=_json_default), path)


def _json_default(value):
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is pd.NaT or value is None:
        return None
    raise TypeError(f"cannot store {type(value).__name__} in the page cache")


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    frame.to_parquet(tmp, index=False, compression="zstd")
    tmp.replace(path)


def _atomic_text(text: str, path: Path) -> None:
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame["page"] = frame["page"].astype("Int64")
    frame["issue_date"] = pd.to_datetime(frame["issue_date"])
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    return frame


def _rows_frame(rows: list[dict]) -> pd.DataFrame:
    return _typed(pd.DataFrame(rows))


# --------------------------------------------------------------------------- corpus


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
    """One row per article of every ``*.txt`` page under ``path``, parsed, tagged and cached.

    Broken files are skipped with a warning and listed in ``df.attrs["skipped"]`` (file and
    reason); page summaries (residue, counts) are in ``df.attrs["pages"]``.
    """
    seeds = resolve_seeds(path)
    if not seeds.is_dir():
        raise FileNotFoundError(f"{seeds}: no such folder of page files")
    store = _Cache(Path(cache_dir) if cache_dir is not None else config.CACHE)
    files = sorted(seeds.rglob("*.txt"))
    keyed = [(f, page_key(f.name, data), data) for f in files for data in [f.read_bytes()]]
    keys = [k for _, k, _ in keyed]

    info = store.read_manifest()
    parts = info.get("detail_parts", []) if info else []
    # the table this session built or read last, if the cache has not changed since
    memo = _LAST.get(str(store.folder))
    memo = memo[1] if memo and info and memo[0] == info.get("build") else None
    if info is not None and info["keys"] == keys and store.combined.exists():
        df = memo if memo is not None else _remember(store, info, _read_table(store.combined))
        return _finish(df, info["skipped"], info["pages"], [], store.part_paths(parts))

    # what the assembled corpus of the last run already holds, then the page files
    known: dict[str, dict] = {}
    frames: list[pd.DataFrame] = []
    detail_tables: list[pa.Table] = []
    old_details = store.read_details(parts) if info is not None else None
    kept_parts: list[str] = []
    if old_details is not None and store.combined.exists():
        old = memo if memo is not None else _read_table(store.combined)
        wanted = set(keys)
        mask = old["cache_key"].isin(wanted).to_numpy()
        if mask.all():
            kept_parts = parts  # nothing removed: the old details stay as they are
        frames.append(old[mask])
        detail_tables.append(old_details.filter(pa.array(mask)))
        for key in old.loc[mask, "cache_key"].unique():
            known[key] = {"in_frames": True, "page": info["page_of"].get(key)}
        for key, reason in info.get("errors", {}).items():
            if key in wanted:
                known[key] = {"error": reason}
    todo = []
    store.pages.mkdir(parents=True, exist_ok=True)
    for f, key, data in keyed:
        if key not in known or (not known[key].get("error") and known[key].get("page") is None):
            hit = store.read_page(key)
            if hit is None:
                todo.append((str(f), data, str(store.page_file(key))))
            else:
                known[key] = hit
    key_of = {str(f): key for f, key, _ in keyed}
    parsed, new_rows = [], []
    for result in _run_pages(todo, executor):
        key = key_of[result["source"]]
        rows = result.pop("rows", None)
        if not result.pop("written", False):
            store.write_page(key, result, rows)
        for row in rows or []:
            row["cache_key"] = key
        new_rows.extend(rows or [])
        result["in_frames"] = True
        known[key] = result
        parsed.append(result["source"])

    skipped, pages, page_of, errors = [], [], {}, {}
    cached_rows = []
    for f, key, _ in keyed:
        found = known[key]
        if found.get("error"):
            skipped.append({"file": str(f), "reason": found["error"]})
            errors[key] = found["error"]
            continue
        if "rows" in found:
            cached_rows.extend({**row, "cache_key": key} for row in found["rows"])
        elif not found.get("in_frames"):
            raise RuntimeError(f"{f}: the cache lost this page; delete {store.folder}")
        page = {**found["page"], "source": str(f)}
        pages.append(page)
        page_of[key] = page
    for rows in (cached_rows, new_rows):
        if rows:
            frame, table = _split_details(rows)
            frames.append(frame)
            detail_tables.append(table)
    if frames:
        df = pd.concat(frames, ignore_index=True)
        details = pa.concat_tables(detail_tables)
        order = {key: i for i, key in enumerate(keys)}
        perm = np.lexsort((df["article_no"].to_numpy(), df["cache_key"].map(order).to_numpy()))
        if not np.array_equal(perm, np.arange(len(perm))):  # new pages usually sort last
            df = df.iloc[perm].reset_index(drop=True)
            details = details.take(pa.array(perm))
            kept_parts = []
        df["keywords"] = keywords(details, n_pages=len(pages))
    else:
        df, details = pd.DataFrame(), DETAILS_SCHEMA.empty_table()
    manifest = {
        "version": parser_version(),
        "keys": keys,
        "skipped": skipped,
        "pages": pages,
        "page_of": page_of,
        "errors": errors,
    }
    parts = store.write_corpus(df, details, manifest, kept_parts)
    _remember(store, manifest, df)
    return _finish(df, skipped, pages, parsed, store.part_paths(parts))


# One assembled table per cache folder, kept for the session: a re-run reads nothing again.
_LAST: dict[str, tuple[str, pd.DataFrame]] = {}


def _remember(store: _Cache, manifest: dict, df: pd.DataFrame) -> pd.DataFrame:
    _LAST[str(store.folder)] = (manifest.get("build", ""), df)
    return df


def _split_details(rows: list[dict]) -> tuple[pd.DataFrame, pa.Table]:
    """Rows → the light table (pandas) and the long per-article details (Arrow)."""
    details = pa.table(
        {name: [row.pop(name) for row in rows] for name in DETAILS_SCHEMA.names},
        schema=DETAILS_SCHEMA,
    )
    return _rows_frame(rows), details


def _read_table(path: Path) -> pd.DataFrame:
    """Read a corpus Parquet file; list columns come back as Python lists."""
    table = pq.read_table(path)
    lists = [c for c in LIST_COLUMNS if c in table.column_names]
    df = table.drop_columns(lists).to_pandas()
    for column in lists:
        df[column] = table.column(column).to_pylist()
    return df


def _finish(
    df: pd.DataFrame, skipped: list, pages: list, parsed: list, details: list[str]
) -> pd.DataFrame:
    df = df.drop(columns=["cache_key"], errors="ignore")
    df.attrs["details"] = details
    for column in LIST_COLUMNS:
        if column in df and len(df) and not isinstance(df[column].iloc[0], list):
            df[column] = [list(v) for v in df[column]]
    if "span_start" in df:
        df["span"] = list(zip(df["span_start"], df["span_end"], strict=True))
    if "issue" in df:
        source_of = {p["issue"]: p["source"] for p in pages}
        df["source"] = df["issue"].map(source_of)
    if "page" in df:
        df["page"] = df["page"].astype("Int64")
    for item in skipped:
        warnings.warn(f"skipped {item['file']}: {item['reason']}", stacklevel=3)
    df.attrs["skipped"] = skipped
    df.attrs["pages"] = pages
    df.attrs["parsed"] = parsed
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


def _read_details(path: str | Path) -> pa.Table:
    """The details file (Arrow IPC), memory-mapped: reading costs next to nothing."""
    # the table's buffers keep the map open for as long as they live
    return pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all()


def article_details(df: pd.DataFrame) -> pd.DataFrame:
    """Mentions (as JSON text) and term counts of the articles in ``df``, from the cache."""
    paths = df.attrs.get("details")
    if paths is None or not all(Path(p).exists() for p in paths):
        raise FileNotFoundError(
            "this table has no cached details: load it with helpers.load_corpus(...)"
        )
    tables = [_read_details(p).select(["issue", "article_no", *DETAIL_COLUMNS]) for p in paths]
    table = pa.concat_tables(tables) if tables else None
    columns = ["issue", "article_no", *DETAIL_COLUMNS]
    if table is None:
        return df[["issue", "article_no"]].assign(**{c: None for c in DETAIL_COLUMNS})
    details = table.drop_columns(["terms", "term_counts"]).to_pandas()
    details["terms"] = table.column("terms").to_pylist()
    details["term_counts"] = table.column("term_counts").to_pylist()
    keys = df[["issue", "article_no"]]
    return keys.merge(details[columns], on=["issue", "article_no"], how="left")
