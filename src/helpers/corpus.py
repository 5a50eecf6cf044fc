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

import concurrent.futures as cf
import hashlib
import json
import math
import multiprocessing
import os
import sys
import warnings
from collections import deque
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from . import config
from .read import PageError, decode_page, parse_page_name
from .split import parse_page
from .tag import get_tagger

# Columns holding Python lists for users (parquet gives arrays back; these become lists again).
LIST_COLUMNS = [
    "reporters",
    "subheads",
    "places",
    "subplaces",
    "subplace_counties",
    "persons",
    "person_titles",
    "person_localities",
    "person_national",
    "meeting_types",
    "meeting_subtypes",
    "meeting_evidence",
    "themes",
    "theme_evidence",
    "slogans",
    "documents",
    "keywords",
]
TAG_COLUMNS = [
    "locality", "locality_code", "prefecture", "province", "places", "subplaces",
    "subplace_counties", "persons", "person_titles", "person_localities", "person_national",
    "meeting_types", "meeting_subtypes", "meeting_evidence", "themes", "theme_evidence",
    "slogans", "documents",
]
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
        row["terms_json"] = json.dumps(dict(terms), ensure_ascii=False)
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


def _init_worker() -> None:
    get_tagger()  # load jieba and the dictionaries once per worker


def _default_executor(n_pages: int) -> cf.Executor:
    workers = max(1, min(os.cpu_count() or 1, n_pages))
    # forkserver re-imports the main module in a clean server; a main module with no file
    # (python -c, stdin) cannot be, so those runs fork
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    methods = multiprocessing.get_all_start_methods()
    if main_file and Path(main_file).exists() and "forkserver" in methods:
        method = "forkserver"
    else:
        method = "fork" if "fork" in methods else "spawn"
    return cf.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
    )


def _run_pages(jobs: list[tuple[str, bytes]], executor: cf.Executor | None):
    """Yield each job's result in job order, with a bounded number of pages in flight."""
    if not jobs:
        return
    own = None
    if executor is None and len(jobs) > IN_PROCESS_MAX_PAGES:
        executor = own = _default_executor(len(jobs))
    try:
        if executor is None:
            for source, data in jobs:
                yield page_rows(data, source)
            return
        window = 4 * (getattr(executor, "_max_workers", None) or os.cpu_count() or 2)
        pending: deque = deque()
        it = iter(jobs)
        for source, data in it:
            pending.append(executor.submit(page_rows, data, source))
            if len(pending) >= window:
                break
        while pending:
            result = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(executor.submit(page_rows, nxt[1], nxt[0]))
            yield result
    finally:
        if own is not None:
            own.shutdown()


# --------------------------------------------------------------------------- cache


class _Cache:
    """Parquet/JSON files under one folder; never pickle."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.pages = folder / "pages"
        self.combined = folder / "corpus.parquet"
        self.manifest = folder / "corpus.json"

    def read_manifest(self) -> dict | None:
        if not self.manifest.exists():
            return None
        info = json.loads(self.manifest.read_text(encoding="utf-8"))
        return info if info.get("version") == parser_version() else None

    def write_corpus(self, df: pd.DataFrame, manifest: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _atomic_parquet(df, self.combined)
        _atomic_text(json.dumps(manifest, ensure_ascii=False), self.manifest)

    def read_page(self, key: str) -> dict | None:
        path = self.pages / f"{key}.json"
        if not path.exists():
            return None
        info = json.loads(path.read_text(encoding="utf-8"))
        if not info.get("error"):
            info["frame"] = _rows_frame(info.pop("rows"))
        return info

    def write_page(self, key: str, result: dict, rows: list[dict] | None) -> None:
        """One page's rows and summary as JSON (dates as ISO text), written atomically."""
        self.pages.mkdir(parents=True, exist_ok=True)
        info = {**result, "rows": rows or []}
        text = json.dumps(info, ensure_ascii=False, default=_json_default)
        _atomic_text(text, self.pages / f"{key}.json")


def _json_default(value):
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is pd.NaT or value is None:
        return None
    raise TypeError(f"cannot store {type(value).__name__} in the page cache")


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    frame.to_parquet(tmp, index=False)
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
        return p
    if str(path) == "seeds":
        return config.SEEDS
    return config.PROJECT_ROOT / p


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
    if info is not None and info["keys"] == keys and store.combined.exists():
        return _finish(_read_table(store.combined), info["skipped"], info["pages"], [])

    # what the assembled corpus of the last run already holds, then the page files
    known: dict[str, dict] = {}
    if info is not None and store.combined.exists():
        old = pd.read_parquet(store.combined)
        wanted = set(keys)
        for key, frame in old[old["cache_key"].isin(wanted)].groupby("cache_key", sort=False):
            known[key] = {"frame": frame, "page": info["page_of"].get(key)}
        for key, reason in info.get("errors", {}).items():
            if key in wanted:
                known[key] = {"error": reason}
    todo = []
    for f, key, data in keyed:
        if key not in known or (not known[key].get("error") and known[key]["page"] is None):
            hit = store.read_page(key)
            if hit is None:
                todo.append((str(f), data))
            else:
                known[key] = hit
    key_of = {str(f): key for f, key, _ in keyed}
    parsed, new_rows = [], []
    for result in _run_pages(todo, executor):
        key = key_of[result["source"]]
        rows = result.pop("rows", None)
        store.write_page(key, result, rows)
        if rows:
            for row in rows:
                row["cache_key"] = key
            new_rows.extend(rows)
        known[key] = result
        parsed.append(result["source"])

    frames, skipped, pages, page_of, errors = [], [], [], {}, {}
    if new_rows:
        frames.append(_rows_frame(new_rows))
    for f, key, _ in keyed:
        found = known[key]
        if found.get("error"):
            skipped.append({"file": str(f), "reason": found["error"]})
            errors[key] = found["error"]
            continue
        if "frame" in found:
            frames.append(found["frame"].assign(cache_key=key))
        page = {**found["page"], "source": str(f)}
        pages.append(page)
        page_of[key] = page
    order = {key: i for i, key in enumerate(keys)}
    if frames:
        df = pd.concat(frames, ignore_index=True)
        df = df.sort_values(["cache_key", "article_no"], key=lambda c: c.map(order)
                            if c.name == "cache_key" else c, ignore_index=True)
        df = add_keywords(df, n_pages=len(pages))
    else:
        df = pd.DataFrame()
    store.write_corpus(df, {"version": parser_version(), "keys": keys, "skipped": skipped,
                            "pages": pages, "page_of": page_of, "errors": errors})
    return _finish(df, skipped, pages, parsed)


def _read_table(path: Path) -> pd.DataFrame:
    """Read a corpus Parquet file; list columns come back as Python lists."""
    table = pq.read_table(path)
    lists = [c for c in LIST_COLUMNS if c in table.column_names]
    df = table.drop_columns(lists).to_pandas()
    for column in lists:
        df[column] = table.column(column).to_pylist()
    return df


def _finish(df: pd.DataFrame, skipped: list, pages: list, parsed: list) -> pd.DataFrame:
    df = df.drop(columns=["cache_key"], errors="ignore")
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


def add_keywords(df: pd.DataFrame, n_pages: int, top: int = 8) -> pd.DataFrame:
    """Top terms per article by TF-IDF: against this corpus once it has a few pages, else
    against jieba's bundled IDF table."""
    counts = [json.loads(t) for t in df["terms_json"]]
    long = pd.DataFrame(
        {
            "row": df.index.repeat([len(c) for c in counts]),
            "term": [t for c in counts for t in c],
            "count": [n for c in counts for n in c.values()],
        }
    )
    if long.empty:
        df["keywords"] = [[] for _ in range(len(df))]
        return df
    if n_pages >= MIN_PAGES_FOR_CORPUS_IDF:
        docs = long.groupby("term")["row"].nunique()
        idf = (len(df) / docs).map(math.log) + 1.0
        long["idf"] = long["term"].map(idf)
    else:
        table, median = _jieba_idf()
        long["idf"] = [table.get(t, median) for t in long["term"]]
    long["score"] = long["count"] * long["idf"]
    best = long.sort_values(["row", "score", "term"], ascending=[True, False, True])
    top_terms = best.groupby("row").head(top).groupby("row")["term"].agg(list)
    df["keywords"] = [top_terms.get(i, []) for i in df.index]
    return df
