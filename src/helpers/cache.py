"""The corpus cache: files that can be deleted at any time, verified before they are used.

Takes what ``corpus`` builds (the article table, its per-article details, one result per page)
and gives it back on the next load, or ``None`` with a warning naming the file when a file is
missing, truncated or garbled, so the corpus rebuilds it from the pages. Never pickle.

Layout of a cache folder:

- ``corpus.json``: the manifest (which pages, skipped files, page summaries) with the size and
  SHA-256 of ``corpus.parquet`` recorded when it was written; written last, so a run that dies
  half-way leaves a manifest that does not match and is rebuilt. Its first line is the
  SHA-256 of the rest, as in the page files.
- ``corpus.parquet``: the assembled table (zstd).
- ``details/part-<sha256>.arrow``: mentions and term counts, row for row with the table, in
  append-only Arrow IPC parts named by the digest of their bytes: a part is checked against
  its name before it is opened (never memory-mapped unverified).
- ``pages/<key>.json``: one page's rows and summary (first line: the SHA-256 of the rest).
- ``lock``: a ``filelock`` lock; one load at a time writes, a concurrent one waits and finds
  the cache up to date. Parts of the previous state are kept, so a table loaded just before
  another process wrote can still read its details.

Every write goes to a temporary file in the same folder and ``os.replace``s the target.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

MANIFEST_KEYS = (
    "version",
    "seeds",
    "files",
    "keys",
    "skipped",
    "duplicates",
    "pages",
    "page_of",
    "errors",
    "table",
    "parts",
    "build",
)
# A load waits this long for another process's load of the same cache (a 500-page cold build
# takes ~15 s here; a stuck holder is a bug to report, not a reason to wait forever).
LOCK_TIMEOUT_S = 900
# Files are hashed in chunks of this size as they are written.
HASH_CHUNK = 1 << 20


class CacheDamaged(Exception):
    """A cache file that does not hold what was written (its message says which and how)."""


def digest_bytes(data: bytes) -> str:
    """SHA-256 of ``data`` in hex."""
    return hashlib.sha256(data).hexdigest()


def _warn_damaged(path: Path, problem: str) -> None:
    warnings.warn(
        f"cache file {path} is damaged ({problem}); rebuilding it from the pages", stacklevel=4
    )


def digest_file(path: Path) -> str:
    """SHA-256 of a file's bytes in hex, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _temporary(path: Path) -> Path:
    """A temporary name beside ``path`` (same folder, so ``os.replace`` is atomic)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _ensure_folder(path: Path) -> None:
    """A folder of the cache, replacing a file that stands in its place."""
    if (path.exists() or path.is_symlink()) and not path.is_dir():
        path.unlink()
    path.mkdir(parents=True, exist_ok=True)


def _replace(tmp: Path, path: Path) -> None:
    """``os.replace``, first clearing a folder that stands where a cache file belongs."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    os.replace(tmp, path)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``."""
    tmp = _temporary(path)
    try:
        with open(tmp, "wb") as out:
            out.write(data)
        _replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_page_file(path: Path, info: dict) -> None:
    """One page's result (workers call this too)."""
    write_json(path, info)


def _json_default(value):
    import pandas as pd

    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is pd.NaT or value is None:
        return None
    raise TypeError(f"cannot store {type(value).__name__} in the page cache")


def read_verified_json(path: Path) -> dict | None:
    """A JSON object written with its digest on the first line (``write_json``); None if
    the file is missing, and with a warning naming it if it is damaged."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        _warn_damaged(path, f"cannot read: {err.strerror}")
        return None
    head, _, body = raw.partition(b"\n")
    if head.decode("ascii", "replace") != digest_bytes(body):
        _warn_damaged(path, "its digest does not match its content")
        return None
    try:
        info = json.loads(body)
    except ValueError as err:
        _warn_damaged(path, f"not JSON: {err}")
        return None
    if not isinstance(info, dict):
        _warn_damaged(path, "not a JSON object")
        return None
    return info


def write_json(path: Path, info: dict) -> None:
    """A JSON object with the digest of its text on the first line, written atomically."""
    _ensure_folder(path.parent)
    body = json.dumps(info, ensure_ascii=False, default=_json_default).encode("utf-8")
    atomic_write(path, digest_bytes(body).encode() + b"\n" + body)


def read_part(path: str | Path, schema: pa.Schema | None = None) -> pa.Table:
    """A details part, its bytes checked against the digest in its name, then opened.

    Raises ``CacheDamaged`` (missing, truncated, garbled or of the wrong schema)."""
    path = Path(path)
    expected = path.stem.removeprefix("part-")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CacheDamaged(f"{path}: cannot read ({err.strerror})") from None
    if digest_bytes(data)[: len(expected)] != expected or len(expected) < 32:
        raise CacheDamaged(f"{path}: its bytes do not match the digest in its name")
    try:
        table = pa.ipc.open_file(pa.py_buffer(data)).read_all()
        table.validate(full=True)
    except (pa.ArrowException, OSError, ValueError) as err:
        raise CacheDamaged(f"{path}: not an Arrow file ({err})") from None
    if schema is not None:
        missing = [n for n in schema.names if n not in table.column_names]
        if missing:
            raise CacheDamaged(f"{path}: no column {missing[0]}")
        try:
            table = table.select(schema.names).cast(schema)
        except (pa.ArrowException, ValueError) as err:
            raise CacheDamaged(f"{path}: wrong column types ({err})") from None
    return table


class Cache:
    """One cache folder (see the module docstring): verified reads, atomic writes, a lock."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.pages = self.folder / "pages"
        self.table_file = self.folder / "corpus.parquet"
        self.manifest_file = self.folder / "corpus.json"
        self.details = self.folder / "details"

    def lock(self) -> FileLock:
        """The folder's lock (held for a whole load; released if the process dies)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.folder / "lock"), timeout=LOCK_TIMEOUT_S)

    # ------------------------------------------------------------------ reads

    def read_manifest(self, version: str) -> dict | None:
        """The manifest of the parser ``version``; None (with a warning if damaged)."""
        info = read_verified_json(self.manifest_file)
        if info is None or info.get("version") != version:
            return None  # none yet, damaged (warned), or another parser's: rebuilt
        if any(k not in info for k in MANIFEST_KEYS):
            _warn_damaged(self.manifest_file, "not a manifest of this cache")
            return None
        return info

    def read_table(self, manifest: dict) -> pa.Table | None:
        """The assembled table, if its size and digest are those the manifest recorded."""
        path = self.table_file
        expected = manifest["table"]
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            _warn_damaged(path, "missing")
            return None
        if len(data) != expected.get("size") or digest_bytes(data) != expected.get("sha256"):
            _warn_damaged(path, f"{len(data)} bytes that are not the ones written")
            return None
        try:
            return pq.read_table(pa.BufferReader(data))
        except (pa.ArrowException, OSError, ValueError) as err:
            _warn_damaged(path, f"not Parquet: {err}")
            return None

    def part_paths(self, parts: list[str]) -> list[str]:
        """Absolute paths of detail parts."""
        return [str(self.details / name) for name in parts]

    def read_details(self, parts: list[str], schema: pa.Schema) -> pa.Table | None:
        """The details of the table, row for row; None (warned) if a part is damaged."""
        try:
            tables = [read_part(p, schema) for p in self.part_paths(parts)]
        except CacheDamaged as err:
            warnings.warn(f"cache damaged: {err}; rebuilding it from the pages", stacklevel=3)
            return None
        return pa.concat_tables(tables) if tables else schema.empty_table()

    def page_file(self, key: str) -> Path:
        """Where one page's result is kept."""
        return self.pages / f"{key}.json"

    def read_page(self, key: str) -> dict | None:
        """One page's cached result, verified; None if missing or damaged."""
        return read_verified_json(self.page_file(key))

    # ------------------------------------------------------------------ writes

    def write_page(self, key: str, info: dict) -> None:
        """Keep one page's result."""
        write_page_file(self.page_file(key), info)

    def write_table(self, table: pa.Table) -> dict:
        """Write the assembled table; returns its size and digest for the manifest."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = _temporary(self.table_file)
        try:
            pq.write_table(table, tmp, compression="zstd")
            info = {"size": tmp.stat().st_size, "sha256": digest_file(tmp)}
            _replace(tmp, self.table_file)
        finally:
            tmp.unlink(missing_ok=True)
        return info

    def write_part(self, table: pa.Table) -> str:
        """Write one details part; its name carries the digest of its bytes."""
        _ensure_folder(self.details)
        tmp = _temporary(self.details / "part.arrow")
        try:
            with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
                out.write_table(table)
            name = f"part-{digest_file(tmp)[:32]}.arrow"
            _replace(tmp, self.details / name)  # also over a damaged file of that name
        finally:
            tmp.unlink(missing_ok=True)
        return name

    def write_manifest(self, manifest: dict, keep_parts: set[str]) -> None:
        """Write the manifest last, then drop parts neither it nor ``keep_parts`` name."""
        write_json(self.manifest_file, manifest)
        keep = set(manifest["parts"]) | keep_parts
        for stale in self.details.glob("part-*.arrow"):
            if stale.name not in keep:
                stale.unlink(missing_ok=True)
        # temporary files of a writer that died (this load holds the lock: no one else's)
        for folder in (self.folder, self.details):
            for tmp in folder.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)


__all__ = [
    "Cache",
    "CacheDamaged",
    "Timeout",
    "atomic_write",
    "digest_bytes",
    "read_part",
    "read_verified_json",
    "write_page_file",
]
