"""Step 7: explore the corpus, from any number back to the articles and words behind it.

Takes the article table from ``load_corpus`` and returns tables a reader can search and sort:
``kwic`` (keyword in context, 关键词语境), ``find`` (articles matching conditions, with the
evidence for each), ``collocates`` (搭配词) and ``keyness`` (关键性), ``cooccurrence`` (a
networkx graph of persons, places, themes or committees that share articles) with ``edges``,
``who_convenes`` (persons × meeting types × places), ``article_html`` (one article with its
tags marked) and ``picker`` (an ipywidgets control for JupyterLab).

Searching is one regular-expression pass over all article texts joined with a separator, the
match offsets mapped back to articles with ``numpy.searchsorted``; the joined text and the
mentions are kept per table (keyed on a fingerprint of its texts), so a second search costs
only the pass. Words come from the project's own tokens (the cached term counts and mentions);
only ``collocates`` tokenizes again, and only the few characters around each match.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations

import numpy as np
import pandas as pd

# Column names shown to readers (for_readers): the one place they are spelled.
READER_NAMES = {
    "issue": "期号",
    "article_no": "篇序",
    "date": "日期",
    "locality": "地区",
    "localities": "地区",
    "prefecture": "市州",
    "headline": "标题",
    "left": "左文",
    "match": "关键词",
    "right": "右文",
    "start": "起点",
    "end": "终点",
    "word": "词",
    "group": "组",
    "count": "窗口内次数",
    "corpus": "全库次数",
    "expected": "期望次数",
    "g2": "对数似然 G²",
    "mi": "互信息 MI",
    "target": "组内次数",
    "reference": "组外次数",
    "log_ratio": "对数比 Log Ratio",
    "source": "节点甲",
    "target_node": "节点乙",
    "weight": "篇数",
    "articles": "稿件",
    "name": "姓名",
    "title": "职务",
    "titles": "职务",
    "national": "全国领导人",
    "first_issue": "首见期号",
    "last_issue": "末见期号",
    "meeting_type": "会议活动类型",
    "text_evidence": "文本证据",
    "locality_evidence": "地区证据",
    "prefecture_evidence": "市州证据",
    "meeting_type_evidence": "会议类型证据",
    "theme_evidence": "主题证据",
    "person_evidence": "人物证据",
    "date_evidence": "日期证据",
}

# Characters between two articles in the joined text: a search never runs across it.
SEPARATOR = "\u0000"
# Tables whose search index stays in memory (a session rarely explores more at once).
MAX_INDEXED_TABLES = 8
# Characters of text taken on each side of a match before tokenizing it for collocates:
# a term is 2–4 characters, so 4 per token covers the window with room for stopwords.
CHARS_PER_TOKEN = 4
# Matches whose windows collocates tokenizes at most, evenly spread over the corpus: jieba
# takes ~0.2 ms a window, and beyond a few thousand windows the ranking of collocates hardly
# moves (the scores are computed on the windows used, against the rest of the corpus).
MAX_COLLOCATE_LINES = 2000
# Added to a zero count before a log ratio (Hardie 2014), so a word absent from one side has
# a finite effect size.
LOG_RATIO_ZERO = 0.5
# Mention types that name a place in the text (the committee's own 市政协 included).
PLACE_MENTIONS = ("place", "subplace", "committee")
# ``kwic(by=...)`` values read from the tagger's mentions, with the mention types they use.
MENTION_KINDS = {
    "place": PLACE_MENTIONS,
    "meeting_type": ("meeting",),
    "slogan": ("slogan",),
    "document": ("document",),
}
KWIC_COLUMNS = [
    "issue",
    "article_no",
    "date",
    "locality",
    "headline",
    "left",
    "match",
    "right",
    "start",
    "end",
]
ALL = "（全部）"
OFFLINE = "（检索选择器：在 JupyterLab 中运行后可用 · the picker works in a running kernel）"
# Rows the picker prints at most (articles, and KWIC lines): an HTML table of thousands of
# rows makes the browser crawl; the count above it says how many there are in all.
PICKER_ROWS = 200


def for_readers(table: pd.DataFrame) -> pd.DataFrame:
    """The table with its columns renamed to the Chinese names readers see."""
    return table.rename(columns=READER_NAMES)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape_markdown(text: str) -> str:
    """Page text made safe inside Markdown: HTML-escaped, Markdown's marks backslashed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text)))


# --------------------------------------------------------------------------- the index


@dataclass
class _Index:
    """All article texts of one table joined, with where each article starts and ends."""

    text: str
    starts: np.ndarray
    ends: np.ndarray
    shown: str  # the same text with newlines as spaces (same length), for KWIC lines
    columns: dict[str, np.ndarray]  # what a KWIC line shows of its article, by position
    mentions: pd.DataFrame | None = None
    extras: dict = field(default_factory=dict)


_INDEXES: OrderedDict[str, _Index] = OrderedDict()


def article_texts(df: pd.DataFrame) -> pd.Series:
    """Each article's tagged text (headline, subheadline, body; ``tag.article_text``)."""
    return df["headline"].fillna("") + "\n" + df["subheadline"].fillna("") + "\n" + df["body"]


def fingerprint(df: pd.DataFrame) -> str:
    """A digest of the table's articles and texts: the key of its search index."""
    import pyarrow as pa

    digest = hashlib.sha1(df["article_no"].to_numpy(dtype=np.int64).tobytes())
    for column in ("issue", "headline", "subheadline", "body"):
        # the Arrow buffers (offsets and characters) of each column: one pass over bytes,
        # far cheaper than hashing every string as a Python object
        values = pa.array(df[column].fillna(""), type=pa.large_string())
        digest.update(f"{column}:{values.offset}:{len(values)}".encode())
        for buffer in values.buffers()[1:]:
            digest.update(buffer)
    return digest.hexdigest()


def _index(df: pd.DataFrame) -> _Index:
    key = fingerprint(df)
    found = _INDEXES.get(key)
    if found is not None:
        _INDEXES.move_to_end(key)
        return found
    texts = article_texts(df)
    lengths = texts.str.len().to_numpy()
    starts = np.concatenate([[0], np.cumsum(lengths + len(SEPARATOR))[:-1]]).astype(np.int64)
    text = SEPARATOR.join(texts.tolist())
    columns = {
        "issue": df["issue"].to_numpy(dtype=object),
        "article_no": df["article_no"].to_numpy(),
        "date": _dates(df).to_numpy(),
        "locality": df["locality"].to_numpy(dtype=object),
        "headline": df["headline"].to_numpy(dtype=object),
        "label": df.index.to_numpy(),
    }
    index = _Index(text, starts, starts + lengths, text.replace("\n", " "), columns)
    _INDEXES[key] = index
    while len(_INDEXES) > MAX_INDEXED_TABLES:
        _INDEXES.popitem(last=False)
    return index


def _mentions(df: pd.DataFrame, index: _Index) -> pd.DataFrame:
    """The tagger's mentions with the position of their article in ``df`` (cached)."""
    if index.mentions is None:
        from .tables import mentions

        found = mentions(df)
        rows = df[["issue", "article_no"]].reset_index(drop=True).reset_index(names="position")
        index.mentions = found.merge(rows, on=["issue", "article_no"], how="inner")
    return index.mentions


def _dates(df: pd.DataFrame) -> pd.Series:
    """The issue date, else the event date the body gives."""
    return df["issue_date"].fillna(df["event_date"])


# --------------------------------------------------------------------------- kwic


@cache
def theme_words() -> dict[str, list[str]]:
    """Each theme's words, as ``data/themes.csv`` lists them (主题词表)."""
    from .tag import _data_table

    return {row["theme"]: row["words"].split("|") for row in _data_table("themes.csv")}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)


def _spans(df: pd.DataFrame, index: _Index, pattern: str, by: str | None, regex: bool):
    """Global (start, end) offsets of every match in the joined text."""
    if by in MENTION_KINDS:
        found = _mentions(df, index)
        found = found[
            found["type"].isin(MENTION_KINDS[by])
            & ((found["canonical"] == pattern) | (found["text"] == pattern))
        ]
        base = index.starts[found["position"].to_numpy()]
        starts = base + found["start"].to_numpy(dtype=np.int64)
        ends = base + found["end"].to_numpy(dtype=np.int64)
        order = np.lexsort((ends, starts))
        return starts[order], ends[order]
    if by == "person":
        # the tagger marks a name where a title confirms it (市政协主席梁英); later bare
        # mentions (梁英强调) are found by the name, in the articles where it was tagged
        spans = _regex_spans(re.compile(re.escape(pattern)), index.text)
        tagged = np.flatnonzero(df["persons"].map(lambda names: pattern in names).to_numpy())
        article = np.searchsorted(index.starts, spans[:, 0], side="right") - 1
        spans = spans[np.isin(article, tagged)]
        return spans[:, 0], spans[:, 1]
    if by == "theme":
        if pattern not in theme_words():
            raise KeyError(f"{pattern!r} is not a theme in data/themes.csv")
        compiled = re.compile(_alternation(theme_words()[pattern]))
    elif by is None:
        compiled = re.compile(pattern if regex else re.escape(pattern))
    else:
        raise ValueError(
            f"by={by!r}: use None, 'theme', 'person' or one of {sorted(MENTION_KINDS)}"
        )
    spans = _regex_spans(compiled, index.text)
    return spans[:, 0], spans[:, 1]


def _regex_spans(compiled: re.Pattern, text: str) -> np.ndarray:
    """(start, end) of every non-empty match, as an n × 2 array."""
    spans = np.array([m.span() for m in compiled.finditer(text)], dtype=np.int64).reshape(-1, 2)
    return spans[spans[:, 1] > spans[:, 0]]


def kwic(
    df: pd.DataFrame, pattern: str, width: int = 20, by: str | None = None, regex: bool = True
) -> pd.DataFrame:
    """Keyword in context (关键词语境): one row per match, ``width`` characters each side.

    ``pattern`` is a regular expression (a plain word if ``regex=False``); with
    ``by="theme"`` it is a theme whose words (``data/themes.csv``) are searched; with
    ``by="person"`` a name, searched in the articles where the tagger found that person; with
    ``by="place"``, ``"meeting_type"``, ``"slogan"`` or ``"document"`` a name, and the rows are
    the tagger's own mentions of it (a place also where the text says 市政协 for that city's
    committee). Offsets ``start``/``end`` refer to the article's tagged text; the table's
    index is the article's index in ``df``. Newlines show as spaces.
    """
    index = _index(df)
    starts, ends = _spans(df, index, pattern, by, regex)
    article = np.searchsorted(index.starts, starts, side="right") - 1
    inside = ends <= index.ends[article]  # a regular expression may run over the separator
    starts, ends, article = starts[inside], ends[inside], article[inside]
    left_from = np.maximum(starts - width, index.starts[article])
    right_to = np.minimum(ends + width, index.ends[article])
    shown = index.shown

    def pieces(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        sliced = [shown[i:j] for i, j in zip(a.tolist(), b.tolist(), strict=True)]
        return np.array(sliced, dtype=object)

    meta = index.columns
    data = {name: meta[name][article] for name in ("issue", "article_no", "date")}
    data |= {name: meta[name][article] for name in ("locality", "headline")}
    data |= {
        "left": pieces(left_from, starts),
        "match": pieces(starts, ends),
        "right": pieces(ends, right_to),
        "start": starts - index.starts[article],
        "end": ends - index.starts[article],
    }
    labels = pd.Index(meta["label"][article], name=df.index.name)
    return pd.DataFrame(data, index=labels, columns=KWIC_COLUMNS, copy=False)


# --------------------------------------------------------------------------- find


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _first_lines(lines: pd.DataFrame, rows: pd.Index) -> pd.Series:
    """For each article, the number of KWIC lines and the first one: '2 处：…左【词】右…'."""
    if lines.empty:
        return pd.Series("", index=rows, dtype="object")
    grouped = lines.groupby(level=0, sort=False)
    first = grouped.head(1)
    n = grouped.size()
    text = pd.Series(
        [
            f"{n[i]} 处：…{left}【{match}】{right}…"
            for i, left, match, right in zip(
                first.index, first["left"], first["match"], first["right"], strict=True
            )
        ],
        index=first.index,
        dtype="object",
    )
    return text.reindex(rows, fill_value="")


def _labelled(evidence: pd.Series, wanted: list[str], sep: str) -> pd.Series:
    """The entries of a list column of 'label<sep>words' that belong to a wanted label."""
    return pd.Series(
        [
            "；".join(e for e in entries if e.split(sep, 1)[0] in wanted)
            for entries in evidence.tolist()
        ],
        index=evidence.index,
        dtype="object",
    )


def find(
    df: pd.DataFrame,
    text: str | None = None,
    locality: str | list[str] | None = None,
    prefecture: str | list[str] | None = None,
    meeting_type: str | list[str] | None = None,
    theme: str | list[str] | None = None,
    person: str | list[str] | None = None,
    since: str | pd.Timestamp | None = None,
    until: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Articles meeting every condition given, with one evidence column per condition.

    ``text`` is a regular expression over headline and body; a list for the other conditions
    means any of them; ``since``/``until`` bound the issue date (else the event date),
    inclusive. Evidence: KWIC lines for text, locality and person, the tagger's trigger words
    for meeting types and themes.
    """
    if not df.index.is_unique:
        raise ValueError("find needs one index label per article (reset_index the table)")
    mask = pd.Series(True, index=df.index)
    evidence: dict[str, pd.Series] = {}
    if text is not None:
        lines = kwic(df, text, width=12)
        mask &= df.index.isin(lines.index)
        evidence["text_evidence"] = _first_lines(lines, df.index)
    if localities := _as_list(locality):
        mask &= df["locality"].isin(localities)
        lines = pd.concat([kwic(df, name, width=12, by="place") for name in localities])
        evidence["locality_evidence"] = _first_lines(lines, df.index).where(
            lambda s: s != "", df["dateline"]
        )
    if prefectures := _as_list(prefecture):
        mask &= df["prefecture"].isin(prefectures)
        evidence["prefecture_evidence"] = df["locality"] + " → " + df["prefecture"]
    if types := _as_list(meeting_type):
        mask &= df["meeting_types"].map(lambda labels: any(t in labels for t in types))
        evidence["meeting_type_evidence"] = _labelled(df["meeting_evidence"], types, "/")
    if themes := _as_list(theme):
        mask &= df["themes"].map(lambda labels: any(t in labels for t in themes))
        evidence["theme_evidence"] = _labelled(df["theme_evidence"], themes, ":")
    if persons := _as_list(person):
        mask &= df["persons"].map(lambda names: any(p in names for p in persons))
        lines = pd.concat([kwic(df, name, width=12, by="person") for name in persons])
        evidence["person_evidence"] = _first_lines(lines, df.index)
    if since is not None or until is not None:
        dates = _dates(df)
        if since is not None:
            mask &= dates >= pd.Timestamp(since)
        if until is not None:
            mask &= dates <= pd.Timestamp(until)
        evidence["date_evidence"] = dates.dt.strftime("%Y-%m-%d")
    shown = df.loc[mask, ["issue", "article_no"]].assign(
        date=_dates(df[mask]),
        locality=df.loc[mask, "locality"],
        headline=df.loc[mask, "headline"],
    )
    for name, values in evidence.items():
        shown[name] = values[mask]
    return shown


# --------------------------------------------------------------------------- words


@cache
def _term_filter():
    """The rule the tagger keeps a token as a term by (2+ characters, CJK, no stopword or
    count): collocates count words the way the cached term counts do."""
    from .tag import _CJK, _COUNTED, get_tagger

    stopwords = get_tagger().stopwords

    def is_term(token: str) -> bool:
        return (
            len(token) >= 2
            and bool(_CJK.search(token))
            and token not in stopwords
            and not _COUNTED.match(token)
        )

    return is_term


def _term_table(df: pd.DataFrame):
    """The cached term counts as arrays: article position, term id, count, vocabulary."""
    import pyarrow.compute as pc

    from .corpus import details_table

    index = _index(df)
    if "terms" not in index.extras:
        table = details_table(df)
        if table is None:
            raise FileNotFoundError("this table has no cached details: use helpers.load_corpus")
        table = table.select(["issue", "article_no", "terms", "term_counts"])
        keys = pd.DataFrame(
            {"issue": table.column("issue").to_numpy(), "article_no": table.column("article_no")}
        )
        wanted = df[["issue", "article_no"]].reset_index(drop=True).reset_index(names="position")
        position = keys.merge(wanted, on=["issue", "article_no"], how="left")["position"]
        terms = table.column("terms").combine_chunks()
        parents = pc.list_parent_indices(terms).to_numpy()
        counts = pc.list_flatten(table.column("term_counts").combine_chunks()).to_numpy()
        encoded = pc.dictionary_encode(pc.list_flatten(terms))
        ids = encoded.indices.to_numpy(zero_copy_only=False)
        article = position.to_numpy(dtype="float64")[parents]
        kept = ~np.isnan(article)
        index.extras["terms"] = (
            article[kept].astype(np.int64),
            ids[kept],
            counts[kept].astype(np.int64),
            np.array(encoded.dictionary.to_pylist(), dtype=object),
        )
    return index.extras["terms"]


def _positioned(tokens: list[str], offset: int, keep):
    """(offset, token) of the tokens ``keep`` accepts, offsets counted from ``offset``."""
    for token in tokens:
        if keep(token):
            yield offset, token
        offset += len(token)


def log_likelihood(a, b, c, d) -> np.ndarray:
    """Dunning's log-likelihood G² of a word seen ``a`` times in ``c`` tokens of a target and
    ``b`` times in ``d`` tokens of a reference (Rayson & Garside 2000)."""
    a, b, c, d = (np.asarray(x, dtype="float64") for x in (a, b, c, d))
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2 * (t1 + t2)


def log_ratio(a, b, c, d) -> np.ndarray:
    """Hardie's Log Ratio: log2 of the relative frequencies' ratio (zeros count as 0.5)."""
    a, b = (np.where(np.asarray(x) > 0, x, LOG_RATIO_ZERO) for x in (a, b))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log2((a / np.asarray(c, dtype="float64")) / (b / np.asarray(d, dtype="float64")))


def collocates(
    df: pd.DataFrame, pattern: str, window: int = 5, by: str | None = None
) -> pd.DataFrame:
    """Words within ``window`` words of a term (搭配词), scored against the whole corpus.

    Words are the project's terms (jieba tokens of 2+ characters, stopwords and counts left
    out), so the window counts terms; a word near several matches counts once. A term with
    more than ``MAX_COLLOCATE_LINES`` matches is read in that many windows, evenly spread
    (``attrs["lines"]`` says how many).

    For each word: ``count`` in the windows, ``corpus`` (its count in every article, from
    the cached term counts), ``expected`` (the count its corpus frequency predicts for windows
    of this size), ``mi`` (log2 observed/expected) and ``g2`` (log-likelihood, Dunning), as
    Voyant's Collocates and quanteda's keyness compute them. Only words more frequent near the
    term than elsewhere; sorted by G² then word. ``pattern`` and ``by`` as in ``kwic``.
    """
    from .tag import get_tagger

    lines = kwic(df, pattern, width=window * CHARS_PER_TOKEN, by=by)
    columns = ["word", "count", "corpus", "expected", "mi", "g2"]
    if lines.empty:
        return pd.DataFrame(columns=columns)
    if len(lines) > MAX_COLLOCATE_LINES:
        lines = lines.iloc[np.linspace(0, len(lines) - 1, MAX_COLLOCATE_LINES).astype(int)]
    tokenizer, is_term = get_tagger().tokenizer, _term_filter()
    matched = set(lines["match"])
    # each running word is counted once, however many matches it is near (windows overlap)
    near: dict[tuple, str] = {}
    for issue, number, start, end, left, right in zip(
        lines["issue"].tolist(),
        lines["article_no"].tolist(),
        lines["start"].tolist(),
        lines["end"].tolist(),
        lines["left"].tolist(),
        lines["right"].tolist(),
        strict=True,
    ):
        before = list(_positioned(tokenizer.lcut(left), start - len(left), is_term))
        after = list(_positioned(tokenizer.lcut(right), end, is_term))
        for at, token in before[-window:] + after[:window]:
            if token not in matched:
                near[(issue, number, at, len(token))] = token
    near_words = list(near.values())
    if not near_words:
        return pd.DataFrame(columns=columns)
    _, ids, counts, vocabulary = _term_table(df)
    totals = pd.Series(np.bincount(ids, weights=counts, minlength=len(vocabulary)), vocabulary)
    total = counts.sum()
    observed = pd.Series(near_words).value_counts()
    in_corpus = totals.reindex(observed.index, fill_value=0).to_numpy()
    # a word the window tokenizer cut differently from the cached terms still counts once
    in_corpus = np.maximum(in_corpus, observed.to_numpy())
    n_window = len(near_words)
    a = observed.to_numpy()
    expected = n_window * in_corpus / total
    out = pd.DataFrame(
        {
            "word": observed.index,
            "count": a,
            "corpus": in_corpus.astype(np.int64),
            "expected": expected,
            "mi": np.log2(a / expected),
            "g2": log_likelihood(a, in_corpus - a, n_window, max(total - n_window, 1)),
        }
    )
    out = out[out["count"] > out["expected"]]
    out = out.sort_values(["g2", "word"], ascending=[False, True], ignore_index=True)
    out.attrs["lines"] = len(lines)  # the matches whose windows were read
    return out


def _memberships(column: pd.Series) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(article position, group id) pairs sorted by article, and the group names."""
    lists = column.map(lambda v: list(v) if isinstance(v, list | tuple | np.ndarray) else [v])
    long = lists.reset_index(drop=True).explode()
    long = long[long.map(lambda v: isinstance(v, str) and v != "")]
    names = sorted(set(long))
    codes = pd.Categorical(long, categories=names).codes.astype(np.int64)
    return long.index.to_numpy(dtype=np.int64), codes, names


def keyness(
    df: pd.DataFrame, by: str = "prefecture", top: int | None = 20, min_count: int = 2
) -> pd.DataFrame:
    """Words distinctive of each group against the rest (关键词): log-likelihood G² (Dunning)
    and Log Ratio (effect size), as quanteda's ``textstat_keyness(measure="lr")``.

    ``by`` is a column of one value per article (prefecture, locality) or of lists
    (meeting_types, themes: an article counts in each of its groups). Only words used more in
    the group than outside and at least ``min_count`` times in it; ``top`` per group (None:
    all). Sorted by group, G² (descending), then word.
    """
    columns = ["group", "word", "target", "reference", "g2", "log_ratio"]
    article, ids, counts, vocabulary = _term_table(df)
    member_article, member_group, names = _memberships(df[by])
    if not names:
        return pd.DataFrame(columns=columns)
    n_words = len(vocabulary)
    word_total = np.bincount(ids, weights=counts, minlength=n_words)
    total = counts.sum()
    # each term count goes to every group its article belongs to (one for a place, several
    # for a list column such as meeting_types): repeat it once per membership
    per_article = np.bincount(member_article, minlength=len(df))
    first = np.cumsum(per_article) - per_article
    reps = per_article[article]
    within = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    group_id = member_group[np.repeat(first[article], reps) + within]
    matrix = np.bincount(
        group_id * n_words + np.repeat(ids, reps),
        weights=np.repeat(counts, reps),
        minlength=len(names) * n_words,
    ).reshape(len(names), n_words)
    size = matrix.sum(axis=1, keepdims=True)
    a, b = matrix, word_total[None, :] - matrix
    c, d = size, total - size
    g2 = log_likelihood(a, b, np.broadcast_to(c, a.shape), np.broadcast_to(d, a.shape))
    ratio = log_ratio(a, b, np.broadcast_to(c, a.shape), np.broadcast_to(d, a.shape))
    over = (a * d > b * c) & (a >= min_count)
    g, w = np.nonzero(over)
    out = pd.DataFrame(
        {
            "group": np.array(names, dtype=object)[g],
            "word": vocabulary[w],
            "target": a[g, w].astype(np.int64),
            "reference": b[g, w].astype(np.int64),
            "g2": g2[g, w],
            "log_ratio": ratio[g, w],
        },
        columns=columns,
    )
    out = out.sort_values(["group", "g2", "word"], ascending=[True, False, True])
    if top is not None:
        out = out.groupby("group", sort=False).head(top)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- networks


def _article_label(issue: str, article_no: int) -> str:
    return f"{issue}#{article_no}"


def _nodes_per_article(df: pd.DataFrame, kind: str) -> list[list[str]]:
    if kind in ("persons", "places", "themes"):
        return [list(dict.fromkeys(v for v in values if v)) for values in df[kind]]
    if kind == "localities":
        out = []
        for row in df[["locality", "prefecture", "province", "places", "subplaces"]].itertuples():
            if not row.locality:
                out.append([])
                continue
            own = {row.locality, row.prefecture, row.province}
            went = [p for p in [*row.places, *row.subplaces] if p and p not in own]
            out.append([row.locality, *dict.fromkeys(went)])
        return out
    raise ValueError(f"kind={kind!r}: use persons, places, themes or localities")


def cooccurrence(df: pd.DataFrame, kind: str = "persons"):
    """A networkx graph of ``kind`` (persons, places, themes; or localities: each acting
    committee linked to the places its reports name) that share articles (共现网络).

    Nodes carry ``articles`` (how many articles name them); edges carry ``weight`` (how many
    articles name both) and ``articles`` (which: ``issue#article_no``). For ``localities``
    the edges go from the committee (node ``role`` = committee) to the places (``place``).
    """
    import networkx as nx

    graph = nx.Graph(kind=kind)
    per_article = _nodes_per_article(df, kind)
    labels = [_article_label(i, n) for i, n in zip(df["issue"], df["article_no"], strict=True)]
    for nodes, label in zip(per_article, labels, strict=True):
        for node in nodes:
            if node not in graph:
                graph.add_node(node, articles=0, role="place" if kind == "localities" else kind)
            graph.nodes[node]["articles"] += 1
        if kind == "localities":
            if nodes:
                graph.nodes[nodes[0]]["role"] = "committee"
            pairs = [(nodes[0], place) for place in nodes[1:]]
        else:
            pairs = list(combinations(nodes, 2))
        for u, v in pairs:
            if graph.has_edge(u, v):
                graph[u][v]["weight"] += 1
                graph[u][v]["articles"].append(label)
            else:
                graph.add_edge(u, v, weight=1, articles=[label])
    return graph


def edges(graph) -> pd.DataFrame:
    """The graph's edges as a table: source, target, weight, articles (to save beside a
    figure); sorted by weight (descending), then the two nodes."""
    rows = [
        {
            "source": min(u, v) if graph.graph.get("kind") != "localities" else u,
            "target_node": max(u, v) if graph.graph.get("kind") != "localities" else v,
            "weight": data["weight"],
            "articles": "；".join(data["articles"]),
        }
        for u, v, data in graph.edges(data=True)
    ]
    if graph.graph.get("kind") == "localities":
        for row in rows:  # the committee first
            if graph.nodes[row["source"]]["role"] != "committee":
                row["source"], row["target_node"] = row["target_node"], row["source"]
    columns = ["source", "target_node", "weight", "articles"]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(
        ["weight", "source", "target_node"], ascending=[False, True, True], ignore_index=True
    )


# Spring layout's spacing relative to networkx's default (k = 1/√n): wider, so that the
# Chinese labels of a small cluster (a committee and the places it names) stay apart.
LAYOUT_SPREAD = 2.0
NODE_SIZE = 80


def in_order(graph):
    """The graph with nodes and edges in sorted order: a graph built from sets has an order
    that changes with the process's hash seed, and layout and drawing follow that order."""
    import networkx as nx

    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes(data=True), key=lambda item: item[0]))
    edges = ((*sorted((u, v)), d) for u, v, d in graph.edges(data=True))
    ordered.add_edges_from(sorted(edges, key=lambda edge: edge[:2]))
    return ordered


def _component_layout(graph, seed: int) -> dict:
    """Positions with each connected component laid out on its own, in a grid of cells
    (largest first), and nodes linked to none in a row below: one spring layout of a
    disconnected graph crushes every cluster into a corner."""
    import networkx as nx

    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    groups = [c for c in parts if len(c) > 1]
    alone = sorted(n for c in parts if len(c) == 1 for n in c)
    columns = max(1, math.ceil(math.sqrt(len(groups))))
    position = {}
    for i, nodes in enumerate(groups):
        row, column = divmod(i, columns)
        sub = in_order(graph.subgraph(nodes))
        spread = LAYOUT_SPREAD / math.sqrt(len(nodes))
        local = nx.spring_layout(sub, seed=seed, weight="weight", k=spread, center=(0, 0))
        for node, (x, y) in local.items():
            position[node] = (column + 0.4 * x, -row + 0.4 * y)
    bottom = -math.ceil(len(groups) / columns) if groups else 0
    for i, node in enumerate(alone):
        position[node] = (i * max(columns - 0.2, 0.2) / max(len(alone) - 1, 1) - 0.4, bottom)
    return position


def draw_network(graph, title: str, seed: int = 0):
    """The graph drawn with networkx and matplotlib: node size by articles, edge width by
    weight; the layout is seeded, so the same graph draws the same."""
    import matplotlib.pyplot as plt
    import networkx as nx

    from .figures import use_cjk_font

    use_cjk_font()
    fig, ax = plt.subplots(figsize=(8, 6))
    ax.set_title(title)
    ax.axis("off")
    if graph.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "（暂无数据）", ha="center", va="center", transform=ax.transAxes)
        return fig
    graph = in_order(graph)
    position = _component_layout(graph, seed)
    sizes = [NODE_SIZE * (1 + graph.nodes[n]["articles"]) for n in graph]
    colors = ["#d62728" if graph.nodes[n].get("role") == "committee" else "#1f77b4" for n in graph]
    widths = [1 + graph[u][v]["weight"] for u, v in graph.edges]
    nx.draw_networkx_edges(graph, position, ax=ax, width=widths, alpha=0.4)
    nx.draw_networkx_nodes(graph, position, ax=ax, node_size=sizes, node_color=colors, alpha=0.8)
    nx.draw_networkx_labels(
        graph, position, ax=ax, font_family=use_cjk_font(), font_size=8, verticalalignment="bottom"
    )
    return fig


# --------------------------------------------------------------------------- people


def who_convenes(df: pd.DataFrame) -> pd.DataFrame:
    """Who convenes what, where: one row per person, title, locality and meeting type, with
    the number of articles and which (national leaders, quoted rather than acting, left out)."""
    rows = []
    for row in df.itertuples():
        for name, title, place, national in zip(
            row.persons, row.person_titles, row.person_localities, row.person_national, strict=True
        ):
            if national:
                continue
            for meeting in row.meeting_types or ["其他"]:
                rows.append(
                    {
                        "name": name,
                        "title": title,
                        "locality": place or row.locality,
                        "meeting_type": meeting,
                        "article": _article_label(row.issue, row.article_no),
                    }
                )
    columns = ["name", "title", "locality", "meeting_type", "weight", "articles"]
    if not rows:
        return pd.DataFrame(columns=columns)
    long = pd.DataFrame(rows)
    out = long.groupby(["name", "title", "locality", "meeting_type"], as_index=False).agg(
        weight=("article", "size"), articles=("article", "；".join)
    )
    return out.sort_values(
        ["weight", "name", "meeting_type"], ascending=[False, True, True], ignore_index=True
    )[columns]


# --------------------------------------------------------------------------- HTML


MARK_COLORS = {
    "person": "#ffd6a5",
    "place": "#caffbf",
    "subplace": "#caffbf",
    "committee": "#9bf6ff",
    "own_area": "#9bf6ff",
    "meeting": "#ffadad",
    "theme": "#fdffb6",
    "slogan": "#bdb2ff",
    "document": "#e0e0e0",
}


def marked_html(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` HTML-escaped, with each (start, end, type) span wrapped in <mark>; spans that
    overlap an earlier one are left out."""
    out, at = [], 0
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < at:
            continue
        color = MARK_COLORS.get(kind, "#fff3a0")
        out.append(html.escape(text[at:start]))
        out.append(
            f'<mark title="{html.escape(kind)}" style="background:{color}">'
            f"{html.escape(text[start:end])}</mark>"
        )
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def kwic_html(lines: pd.DataFrame) -> str:
    """KWIC lines as an HTML table, every piece of page text escaped, the match in <mark>."""
    body = "".join(
        "<tr>"
        f"<td>{html.escape(str(headline))}</td>"
        f'<td style="text-align:right">{html.escape(left)}</td>'
        f"<td><mark>{html.escape(match)}</mark></td>"
        f'<td style="text-align:left">{html.escape(right)}</td>'
        "</tr>"
        for headline, left, match, right in zip(
            lines["headline"], lines["left"], lines["match"], lines["right"], strict=True
        )
    )
    head = "".join(f"<th>{READER_NAMES[c]}</th>" for c in ("headline", "left", "match", "right"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def article_html(df: pd.DataFrame, label) -> str:
    """One article in full (headline, subheadline, body), escaped, with every tag the tagger
    found marked in its colour (hover shows the mention type)."""
    index = _index(df)
    position = df.index.get_loc(label)
    found = _mentions(df, index)
    found = found[found["position"] == position]
    text = index.text[index.starts[position] : index.ends[position]]
    spans = list(zip(found["start"], found["end"], found["type"], strict=True))
    paragraphs = marked_html(text, spans).split("\n")
    headline, subheadline, body = paragraphs[0], paragraphs[1], paragraphs[2:]
    legend = " ".join(
        f'<mark style="background:{color}">{html.escape(kind)}</mark>'
        for kind, color in MARK_COLORS.items()
    )
    parts = [f"<h3>{headline}</h3>"]
    if subheadline:
        parts.append(f"<h4>{subheadline}</h4>")
    parts += [f"<p>{p}</p>" for p in body]
    return f"<div>{''.join(parts)}<p><small>{legend}</small></p></div>"


def _cut_note(n: int) -> str:
    return f"（显示前 {PICKER_ROWS} 条）" if n > PICKER_ROWS else ""


def _options(values) -> list[str]:
    return [ALL, *sorted({v for v in values if isinstance(v, str) and v})]


def picker(df: pd.DataFrame, width: int = 20):
    """An ipywidgets control for JupyterLab: pick a locality, meeting type, theme or person,
    or type a word, and see the matching articles and KWIC lines with the match marked."""
    import ipywidgets as widgets

    long = {c: [v for values in df[c] for v in values] for c in ("meeting_types", "themes")}
    persons = [v for values in df["persons"] for v in values]
    choose = {
        "locality": widgets.Dropdown(options=_options(df["locality"]), description="地区"),
        "meeting_type": widgets.Dropdown(
            options=_options(long["meeting_types"]), description="类型"
        ),
        "theme": widgets.Dropdown(options=_options(long["themes"]), description="主题"),
        "person": widgets.Dropdown(options=_options(persons), description="人物"),
    }
    text = widgets.Text(description="检索", placeholder="词或正则表达式")
    out = widgets.HTML()

    def update(*_) -> None:
        conditions = {k: w.value for k, w in choose.items() if w.value != ALL}
        try:
            found = find(df, text=text.value or None, **conditions)
        except re.error as err:
            out.value = f"<p>正则表达式有误：{html.escape(str(err))}</p>"
            return
        shown = for_readers(found.head(PICKER_ROWS))
        table = shown.to_html(escape=True, index=False, na_rep="")
        pieces = [f"<p>{len(found)} 篇{_cut_note(len(found))}</p>", table]
        if text.value:
            lines = kwic(df.loc[found.index], text.value, width=width)
        elif "person" in conditions:
            lines = kwic(df.loc[found.index], conditions["person"], width=width, by="person")
        elif "theme" in conditions:
            lines = kwic(df.loc[found.index], conditions["theme"], width=width, by="theme")
        else:
            lines = None
        if lines is not None:
            note = _cut_note(len(lines))
            pieces.append(f"<p>{len(lines)} 处{note}</p>{kwic_html(lines.head(PICKER_ROWS))}")
        out.value = "".join(pieces)

    for control in [*choose.values(), text]:
        control.observe(update, names="value")
    update()
    box = widgets.VBox([widgets.HBox(list(choose.values())), text, out])
    # where no kernel runs (the exported HTML), readers see this line, not the widget's repr
    bundle = box._repr_mimebundle_
    box._repr_mimebundle_ = lambda **kwargs: {**(bundle(**kwargs) or {}), "text/plain": OFFLINE}
    return box
