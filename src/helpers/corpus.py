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
import warnings
from collections import deque
from dataclasses import asdict
from functools import cache
from pathlib import Path

import pandas as pd

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
        tag_fields = asdict(tags)
        tag_fields.pop("terms")
        tag_fields["mentions"] = tag_fields.pop("mentions")
        row.update(tag_fields)
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


def _init_worker() -> None:
    get_tagger()  # load jieba and the dictionaries once per worker


def _default_executor(n_pages: int) -> cf.Executor:
    workers = max(1, min(os.cpu_count() or 1, n_pages))
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
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

    def page_file(self, key: str) -> Path:
        return self.pages / f"{key}.parquet"

    def page_meta(self, key: str) -> Path:
        return self.pages / f"{key}.json"

    def read_page(self, key: str) -> dict | None:
        meta = self.page_meta(key)
        if not meta.exists():
            return None
        info = json.loads(meta.read_text(encoding="utf-8"))
        if info.get("error"):
            return info
        path = self.page_file(key)
        if not path.exists():
            return None
        info["frame"] = pd.read_parquet(path)
        return info

    def write_page(self, key: str, result: dict, frame: pd.DataFrame | None) -> None:
        self.pages.mkdir(parents=True, exist_ok=True)
        if frame is not None:
            _atomic_parquet(frame, self.page_file(key))
        info = {k: v for k, v in result.items() if k not in ("rows",)}
        _atomic_text(json.dumps(info, ensure_ascii=False), self.page_meta(key))


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    frame.to_parquet(tmp, index=False)
    tmp.replace(path)


def _atomic_text(text: str, path: Path) -> None:
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _rows_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["page"] = frame["page"].astype("Int64")
    frame["issue_date"] = pd.to_datetime(frame["issue_date"])
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    return frame


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
    cache_root = _Cache(Path(cache_dir) if cache_dir is not None else config.CACHE)
    files = sorted(seeds.rglob("*.txt"))
    keyed = []
    for f in files:
        data = f.read_bytes()
        keyed.append((f, page_key(f.name, data), data))
    manifest_keys = [k for _, k, _ in keyed]

    combined = cache_root.folder / "corpus.parquet"
    manifest = cache_root.folder / "corpus.json"
    if combined.exists() and manifest.exists():
        info = json.loads(manifest.read_text(encoding="utf-8"))
        if info.get("keys") == manifest_keys and info.get("version") == parser_version():
            df = pd.read_parquet(combined)
            return _finish(df, info["skipped"], info["pages"], parsed=[])

    frames: list[pd.DataFrame] = []
    skipped: list[dict] = []
    pages: list[dict] = []
    todo: list[tuple[str, bytes]] = []
    results: dict[str, dict] = {}
    for f, key, data in keyed:
        hit = cache_root.read_page(key)
        if hit is None:
            todo.append((str(f), data))
        else:
            results[str(f)] = hit
    key_of = {str(f): key for f, key, _ in keyed}
    parsed = []
    for result in _run_pages(todo, executor):
        source = result["source"]
        frame = _rows_frame(result["rows"]) if "rows" in result else None
        cache_root.write_page(key_of[source], result, frame)
        result.pop("rows", None)
        result["frame"] = frame
        results[source] = result
        parsed.append(source)
    for f, _, _ in keyed:
        result = results[str(f)]
        if result.get("error"):
            skipped.append({"file": str(f), "reason": result["error"]})
            continue
        frame = result["frame"]
        frames.append(frame)
        pages.append({"source": str(f), **result["page"]})
    df = pd.concat(frames, ignore_index=True) if frames else _rows_frame([]).reindex(columns=[])
    if len(df):
        df = add_keywords(df, n_pages=len(frames))
    cache_root.folder.mkdir(parents=True, exist_ok=True)
    _atomic_parquet(df, combined)
    _atomic_text(
        json.dumps(
            {
                "version": parser_version(),
                "keys": manifest_keys,
                "skipped": skipped,
                "pages": pages,
            },
            ensure_ascii=False,
        ),
        manifest,
    )
    return _finish(pd.read_parquet(combined) if len(df) else df, skipped, pages, parsed)


def _finish(df: pd.DataFrame, skipped: list, pages: list, parsed: list) -> pd.DataFrame:
    for column in LIST_COLUMNS:
        if column in df:
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
    long = pd.DataFrame(
        {
            "row": df.index.repeat(df["terms"].map(len)),
            "term": [t for ts in df["terms"] for t in ts],
            "count": [c for cs in df["term_counts"] for c in cs],
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
