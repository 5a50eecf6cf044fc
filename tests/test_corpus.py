"""The corpus table: columns, the cache (only new files parsed), executors (local and Dask)."""

from __future__ import annotations

import concurrent.futures as cf
import shutil
from pathlib import Path

import pandas as pd
import pytest

import helpers.corpus as corpus
from helpers import load_corpus, parse_page
from helpers.synth import shuffled_page

from .conftest import REAL_PAGE

REQUIRED = [
    "issue",
    "page",
    "article_no",
    "kind",
    "headline",
    "subheadline",
    "body",
    "reporters",
    "dateline_place",
    "event_date",
    "event_date_text",
    "span",
    "locality",
    "locality_code",
    "prefecture",
    "province",
    "places",
    "subplaces",
    "persons",
    "meeting_types",
    "themes",
    "slogans",
    "documents",
    "keywords",
]


def test_columns_and_types(corpus):
    assert set(REQUIRED) <= set(corpus.columns)
    assert len(corpus) == 11
    assert list(corpus["kind"].value_counts().sort_index().items()) == [
        ("article", 8),
        ("continuation", 1),
        ("photo", 2),
    ]
    assert str(corpus["page"].dtype) == "Int64" and corpus["page"].isna().all()
    assert corpus["article_no"].tolist() == list(range(1, 12))
    assert corpus.loc[0, "reporters"] == ["何小爱"]
    assert corpus.loc[0, "span"] == (1, 533)
    assert corpus.loc[0, "event_date"] == pd.Timestamp("2023-06-05")
    assert corpus.loc[10, "headline"] == ""


@pytest.fixture()
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(REAL_PAGE, folder / "2023-06-08_p3.txt")
    return folder


def second_page(seeds, name="2023-06-15_p3.txt", seed=7):
    page = parse_page(REAL_PAGE.read_text(encoding="utf-8"))
    text, _ = shuffled_page(page.articles, seed)
    (seeds / name).write_text(text, encoding="utf-8")


def test_cache_parses_only_new_files_and_can_be_deleted(seeds, tmp_path):
    cache = tmp_path / "cache"
    first = load_corpus(seeds, cache_dir=cache)
    assert len(first.attrs["parsed"]) == 1 and first["issue_date"].iloc[0].year == 2023
    again = load_corpus(seeds, cache_dir=cache)
    assert again.attrs["parsed"] == []
    pd.testing.assert_frame_equal(first, again)
    corpus._LAST.clear()  # as a new process: from the files
    pd.testing.assert_frame_equal(first, load_corpus(seeds, cache_dir=cache))

    second_page(seeds)
    grown = load_corpus(seeds, cache_dir=cache)
    assert [p.rsplit("/", 1)[-1] for p in grown.attrs["parsed"]] == ["2023-06-15_p3.txt"]
    assert len(grown) > len(first) and grown["issue"].nunique() == 2
    assert not list(cache.rglob("*.pkl")) and not list(cache.rglob("*.pickle"))

    shutil.rmtree(cache)
    rebuilt = load_corpus(seeds, cache_dir=cache)
    assert len(rebuilt.attrs["parsed"]) == 2
    pd.testing.assert_frame_equal(grown, rebuilt)


def test_changed_file_is_parsed_again(seeds, tmp_path):
    cache = tmp_path / "cache"
    load_corpus(seeds, cache_dir=cache)
    path = seeds / "2023-06-08_p3.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("梁英", "梁 英"), encoding="utf-8")
    df = load_corpus(seeds, cache_dir=cache)
    assert len(df.attrs["parsed"]) == 1 and "梁英" in df.loc[0, "persons"]


def test_any_executor_gives_the_same_rows(seeds, tmp_path):
    for n in range(3):
        second_page(seeds, name=f"2023-07-0{n + 1}_p2.txt", seed=n)
    local = load_corpus(seeds, cache_dir=tmp_path / "local")
    with cf.ThreadPoolExecutor(2) as pool:
        threaded = load_corpus(seeds, cache_dir=tmp_path / "threads", executor=pool)
    with cf.ProcessPoolExecutor(2) as pool:
        processes = load_corpus(seeds, cache_dir=tmp_path / "procs", executor=pool)
    for other in (threaded, processes):
        pd.testing.assert_frame_equal(local, other)


def test_dask_cluster_gives_the_same_rows(seeds, tmp_path):
    from dask import distributed

    for n in range(2):
        second_page(seeds, name=f"2023-07-0{n + 1}_p2.txt", seed=n)
    local = load_corpus(seeds, cache_dir=tmp_path / "local")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = load_corpus(seeds, cache_dir=tmp_path / "dask", executor=client.get_executor())
    assert len(remote.attrs["parsed"]) == 3
    pd.testing.assert_frame_equal(local, remote)


def test_removed_and_added_pages_keep_details_aligned(seeds, tmp_path):
    from helpers import mentions

    cache = tmp_path / "cache"
    for n in range(3):
        second_page(seeds, name=f"2023-07-0{n + 1}_p2.txt", seed=n)
    full = load_corpus(seeds, cache_dir=cache)
    (seeds / "2023-07-02_p2.txt").unlink()
    second_page(seeds, name="2023-08-01_p1.txt", seed=9)
    changed = load_corpus(seeds, cache_dir=cache)
    assert [p.rsplit("/", 1)[-1] for p in changed.attrs["parsed"]] == ["2023-08-01_p1.txt"]
    assert "2023-07-02_p2" not in set(changed["issue"]) and len(changed) < len(full) + 12
    table = mentions(changed)
    assert set(table["issue"]) == set(changed["issue"])
    rebuilt = load_corpus(seeds, cache_dir=tmp_path / "fresh")
    pd.testing.assert_frame_equal(changed, rebuilt)
    pd.testing.assert_frame_equal(mentions(changed), mentions(rebuilt))


def test_sources_are_absolute_whatever_the_working_folder(seeds, tmp_path, monkeypatch):
    monkeypatch.chdir(seeds.parent)
    df = load_corpus(seeds.name, cache_dir=tmp_path / "cache")
    monkeypatch.chdir(tmp_path)
    source = Path(df.loc[0, "source"])
    assert source.is_absolute() and source.exists()
