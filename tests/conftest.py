"""Shared fixtures: the real page (tests/fixtures) and the corpus built from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import load_corpus, parse_page

FIXTURES = Path(__file__).parent / "fixtures"
REAL_PAGE = FIXTURES / "000_c54ca6b4301f026a.txt"


@pytest.fixture(scope="session")
def page_text() -> str:
    return REAL_PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def page(page_text):
    return parse_page(page_text, str(REAL_PAGE))


@pytest.fixture(scope="session")
def by_headline(page):
    """Articles of the real page by the first characters of their headline."""
    return {a.headline[:4]: a for a in page.articles}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    seeds = tmp_path_factory.mktemp("seeds")
    shutil.copy(REAL_PAGE, seeds)
    return load_corpus(seeds, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def rows(corpus):
    """Corpus rows by the first characters of their headline ('' for the continuation)."""
    return {r.headline[:4]: r for r in corpus.itertuples()}
