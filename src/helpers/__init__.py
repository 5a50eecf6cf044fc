"""Parse, tag and chart what local CPPCC committees (政协) do, as their newspaper reports it.

The flow, one module per step: ``read`` (page file → text), ``repair`` (fix PDF text),
``split`` (page → articles and residue), ``dates``, ``gazetteer`` and ``tag`` (who, where,
what), ``corpus`` (cached article table), ``tables`` (derived tables), ``figures`` (charts),
``explore`` (from any number back to the articles and words: KWIC, search, networks).
"""

from .corpus import load_corpus
from .explore import collocates, cooccurrence, edges, find, keyness, kwic, picker
from .read import PageError, read_page
from .split import Article, Page, parse_page
from .tables import mentions, people
from .tag import entities

__all__ = [
    "Article",
    "Page",
    "PageError",
    "collocates",
    "cooccurrence",
    "edges",
    "entities",
    "find",
    "keyness",
    "kwic",
    "load_corpus",
    "mentions",
    "parse_page",
    "people",
    "picker",
    "read_page",
]
