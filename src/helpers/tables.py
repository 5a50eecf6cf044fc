"""Step 5b: tables derived from the corpus table, for the notebooks and for users.

Takes the article table from ``load_corpus`` and returns long or aggregated tables:
``mentions`` (one row per entity mention), ``people`` (one row per person), and the counts
the notebooks chart. Pure functions of the table: nothing is read from disk.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

ARTICLE_KEYS = ["issue", "page", "article_no"]


def ordered(values: pd.Series) -> pd.Series:
    """Counts in a total order: largest first, ties by label, so every machine agrees."""
    frame = pd.DataFrame({"label": values.index.astype(str), "value": values.to_numpy()})
    order = frame.sort_values(["value", "label"], ascending=[False, True], kind="stable").index
    return values.iloc[order.to_numpy()]


def top_note(values: pd.Series, n: int) -> str:
    """Where a top-``n`` cut falls inside a tie, say so (e.g. 19 items share 3; 6 shown)."""
    if len(values) <= n or n <= 0:
        return ""
    last = values.iloc[n - 1]
    if values.iloc[n] != last:
        return ""
    tied = int((values == last).sum())
    shown = int((values.iloc[:n] == last).sum())
    return f"第 {n} 名处有 {tied} 项并列 {last}，按字序只显示其中 {shown} 项（全部见 CSV）"


def leaders(values: pd.Series, named: int = 3) -> str:
    """The label(s) with the largest count, ties named ('A、B 等 5 个并列')."""
    if values.empty:
        return "（无）"
    top = ordered(values)
    tied = [str(label) for label in top.index[top == top.iloc[0]]]
    if len(tied) == 1:
        return tied[0]
    return (
        "、".join(tied[:named]) + f" 等 {len(tied)} 个并列"
        if len(tied) > named
        else ("、".join(tied) + " 并列")
    )


def _prefectures_with_counties() -> set[str]:
    from .gazetteer import COUNTY, load_gazetteer

    return {d.prefecture for d in load_gazetteer().divisions if d.level == COUNTY}


def prefecture_code(locality_code: pd.Series) -> pd.Series:
    """The prefecture's 6-digit code of any county or prefecture code (620524 → 620500)."""
    return locality_code.fillna("").str[:4] + "00"


def mentions(df: pd.DataFrame) -> pd.DataFrame:
    """One row per entity mention: article, type, text, canonical name, code, start, end.

    Offsets refer to the article's tagged text ``headline + "\\n" + subheadline + "\\n" + body``
    (``helpers.tag.article_text``).
    """
    columns = ARTICLE_KEYS + ["type", "text", "canonical", "code", "start", "end", "detail"]
    from .corpus import article_details

    texts = article_details(df)["mentions_json"]
    records = [
        {"issue": issue, "page": page, "article_no": no, **m}
        for issue, page, no, text in zip(
            df["issue"], df["page"], df["article_no"], texts, strict=True
        )
        for m in json.loads(text)
    ]
    return pd.DataFrame.from_records(records, columns=columns)


def people(df: pd.DataFrame) -> pd.DataFrame:
    """One row per person: name, titles, localities, national or not, first and last issue."""
    rows = []
    columns_in = ["persons", "person_titles", "person_localities", "person_national"]
    for issue, issue_date, *lists in zip(
        df["issue"], df["issue_date"], *(df[c] for c in columns_in), strict=True
    ):
        for name, title, place, national in zip(*lists, strict=True):
            rows.append(
                {
                    "name": name,
                    "title": title,
                    "locality": place,
                    "national": bool(national),
                    "issue": issue,
                    "issue_date": issue_date,
                }
            )
    columns = ["name", "titles", "localities", "national", "articles", "first_issue", "last_issue"]
    if not rows:
        return pd.DataFrame(columns=columns)
    long = pd.DataFrame(rows)

    def unique(values) -> list[str]:
        return [v for v in dict.fromkeys(values) if v]

    by_date = long.sort_values(["issue_date", "issue"], na_position="last", kind="stable")
    grouped = by_date.groupby("name", sort=False)
    out = grouped.agg(
        titles=("title", unique),
        localities=("locality", unique),
        national=("national", "max"),
        articles=("issue", "size"),
        first_issue=("issue", "first"),
        last_issue=("issue", "last"),
    ).reset_index()
    return out.sort_values(["articles", "name"], ascending=[False, True], ignore_index=True)


def count_lists(df: pd.DataFrame, column: str, by: str | None = None) -> pd.DataFrame:
    """How many articles carry each value of a list column, overall or per ``by`` group."""
    long = df[[column] + ([by] if by else [])].explode(column).dropna(subset=[column])
    long = long[long[column] != ""]
    keys = [by, column] if by else [column]
    counts = long.groupby(keys).size().rename("articles").reset_index()
    return counts.sort_values(
        ["articles", *keys], ascending=[False] + [True] * len(keys), ignore_index=True
    )


def activity_by(df: pd.DataFrame, level: str) -> pd.DataFrame:
    """Articles per committee: by ``prefecture`` (its own and its counties' committees),
    ``locality`` (every committee) or ``county`` (county-level committees only)."""
    if level == "county":
        codes = df["locality_code"].fillna("")
        county_level = (codes.str[4:] != "00") | (df["locality"] == df["prefecture"]) & (
            ~df["prefecture"].isin(_prefectures_with_counties())
        )
        df, level = df[county_level & (codes != "")], "locality"
    known = df[df[level].fillna("") != ""]
    keys = [level] if level == "prefecture" else [level, "locality_code", "prefecture"]
    counts = known.groupby(keys).size().rename("articles").reset_index()
    return counts.sort_values(["articles", level], ascending=[False, True], ignore_index=True)


def cross_tab(df: pd.DataFrame, column: str, by: str) -> pd.DataFrame:
    """Articles per (by, value of list column) as a wide table: rows ``by``, columns values."""
    counts = count_lists(df[df[by].fillna("") != ""], column, by=by)
    if counts.empty:
        return pd.DataFrame()
    table = counts.pivot_table(index=by, columns=column, values="articles", fill_value=0)
    table = table.astype(int)
    return table.loc[ordered(table.sum(axis=1)).index, ordered(table.sum()).index]


def over_time(df: pd.DataFrame, column: str, freq: str = "M") -> pd.DataFrame:
    """Articles per month and value of a list column, every month from first to last.

    An article counts in the month of its event date; one without (近日, 连日来) in the month
    of its issue date. ``attrs`` say how many were placed by issue date and how many had no
    date at all (left out).
    """
    by_issue = df["event_date"].isna() & df["issue_date"].notna()
    when = df["event_date"].fillna(df["issue_date"])
    dated = df.assign(period=when.dt.to_period(freq).dt.start_time).dropna(subset=["period"])
    counts = count_lists(dated, column, by="period")
    table = pd.DataFrame()
    if not counts.empty:
        table = counts.pivot_table(index="period", columns=column, values="articles", fill_value=0)
        months = pd.period_range(table.index.min(), table.index.max(), freq=freq).start_time
        table = table.reindex(months, fill_value=0).astype(int)
        table = table[ordered(table.sum()).index]
        table.index.name = "period"
    table.attrs["by_issue_date"] = int(by_issue.sum())
    table.attrs["no_date"] = int(when.isna().sum())
    return table


def dating_note(table: pd.DataFrame) -> str:
    """'N 篇无活动日期，按出版日期归月；N 篇无日期，未计入' for an over-time chart."""
    parts = []
    if table.attrs.get("by_issue_date"):
        parts.append(f"{table.attrs['by_issue_date']} 篇无具体活动日期，按出版日期归月")
    if table.attrs.get("no_date"):
        parts.append(f"{table.attrs['no_date']} 篇无任何日期，未计入")
    return "；".join(parts)


# --------------------------------------------------------------------------- corpus quality


def page_table(df: pd.DataFrame) -> pd.DataFrame:
    """One row per page: articles, characters, and what was left as residue (and why)."""
    rows = []
    for page in df.attrs.get("pages", []):
        residue = page.get("residue", [])
        chars = sum(len(r["text"]) for r in residue)
        rows.append(
            {
                "file": Path(str(page.get("source") or page["issue"])).name,
                "issue": page["issue"],
                "page": page.get("page"),
                "issue_date": page.get("issue_date"),
                "articles": page["n_articles"],
                "chars": page["n_chars"],
                "residue_chars": chars,
                "residue_share": chars / page["n_chars"] if page["n_chars"] else 0.0,
                "residue": "；".join(f"{r['text']}（{r['reason']}）" for r in residue),
            }
        )
    columns = [
        "file",
        "issue",
        "page",
        "issue_date",
        "articles",
        "chars",
        "residue_chars",
        "residue_share",
        "residue",
    ]
    return pd.DataFrame(rows, columns=columns)


def skipped_table(df: pd.DataFrame) -> pd.DataFrame:
    """Files that could not be read as pages, with the reason."""
    table = pd.DataFrame(df.attrs.get("skipped", []), columns=["file", "reason"])
    table["file"] = [Path(str(f)).name for f in table["file"]]
    return table


def gaps(df: pd.DataFrame) -> pd.DataFrame:
    """Articles the parser or tagger left incomplete: no headline (but not continuations,
    which have none on this page) or no acting committee."""
    no_headline = (df["headline"] == "") & (df["kind"] != "continuation")
    no_locality = df["locality"].fillna("") == ""
    out = df.loc[no_headline | no_locality, ["issue", "article_no", "kind", "headline"]].copy()
    out["problem"] = [
        "、".join(p for p, flag in (("无标题", h), ("无地区", loc)) if flag)
        for h, loc in zip(no_headline[out.index], no_locality[out.index], strict=True)
    ]
    return out.reset_index(drop=True)


def raw_beside_repaired(df: pd.DataFrame, index: int, source_text: str) -> pd.DataFrame:
    """An article's raw lines from the page file beside its repaired paragraphs."""
    row = df.loc[index]
    start, end = row["span"]
    raw = [line for line in source_text[start:end].split("\n") if line.strip()]
    repaired = [p for p in [row["dateline"], *row["body"].split("\n"), row["byline"]] if p]
    n = max(len(raw), len(repaired))
    return pd.DataFrame(
        {
            "原文（PDF 提取，逐行）": raw + [""] * (n - len(raw)),
            "修复后（按段落）": repaired + [""] * (n - len(repaired)),
        }
    )


# --------------------------------------------------------------------------- what and where


# Part-of-speech tags (jieba) of words that can stand inside an organisation's name before a
# place name (宝钢 nr, 中国 ns… are names, 集团 n a noun): a place glued between such a word and
# a noun is part of that name (宝钢湛江钢铁), not somewhere a committee went.
NAME_PART_TAGS = ("n", "nr", "nrt", "nz", "nt", "j", "eng")
# Characters each side of a place mention read to decide it: two words of context each way.
CONTEXT_CHARS = 8
# Bump when the rule below changes: its remembered decisions are then taken again.
ORG_RULE_VERSION = 1


def _organisation_memo() -> tuple[Path, dict]:
    """Decisions already taken, by context (so a warm run needs no part-of-speech tagger)."""
    from . import config

    path = config.CACHE / f"organisation-names-v{ORG_RULE_VERSION}.json"
    try:
        return path, json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return path, {}


def _save_memo(path: Path, memo: dict) -> None:
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(memo, out, ensure_ascii=False, sort_keys=True)
    os.replace(temp, path)


def in_organisation_name(text: str, start: int, end: int) -> bool:
    """Whether the place at ``text[start:end]`` is part of an organisation's name: jieba cuts
    it inside a longer word, or it stands between a name-like word and a following noun."""
    import jieba.posseg

    left = max(0, start - CONTEXT_CHARS)
    tokens, at = [], left
    for word, flag in jieba.posseg.cut(text[left : end + CONTEXT_CHARS]):
        tokens.append((at, at + len(word), flag))
        at += len(word)
    starts = {s: (e, f) for s, e, f in tokens}
    ends = {e: f for _, e, f in tokens}
    if start not in starts and start > left or not any(e == end for _, e, _ in tokens):
        return True  # cut inside a longer word: 湛江钢铁厂 read as one name
    before, after = ends.get(start), starts.get(end, (None, None))[1]
    return bool(before in NAME_PART_TAGS and after and after.startswith("n") and after != "ns")


def visits(df: pd.DataFrame, activities: tuple[str, ...] = ("调研", "视察")) -> pd.DataFrame:
    """Places and sub-places that committees went to in their 调研/视察 reports (not their own
    locality, nor the province, nor a place inside an organisation's name), with how many
    reports mention each."""
    from .tag import article_text

    mask = df["meeting_types"].map(lambda types: any(t in activities for t in types))
    columns = ["place", "level", "articles", "committees"]
    if not mask.any():
        return pd.DataFrame(columns=columns)
    chosen = df[mask]
    found = mentions(chosen)
    found = found[found["type"] == "place"]
    memo_path, memo = _organisation_memo()
    known = len(memo)

    def inside(text: str, start: int, end: int) -> bool:
        key = f"{text[max(0, start - CONTEXT_CHARS) : start]}[{text[start:end]}]"
        key += text[end : end + CONTEXT_CHARS]
        if key not in memo:
            memo[key] = in_organisation_name(text, start, end)
        return memo[key]

    by_article: dict[tuple, list] = {}
    for m in found.itertuples():
        by_article.setdefault((m.issue, m.article_no), []).append(m)
    rows = []
    for row in chosen.itertuples():
        text = article_text(row.headline, row.subheadline, row.body)
        own = (row.locality, row.province, row.prefecture)
        seen = {
            (m.canonical, "县级及以上")
            for m in by_article.get((row.issue, row.article_no), [])
            if m.canonical not in own and not inside(text, m.start, m.end)
        }
        for sub, county in zip(row.subplaces, row.subplace_counties, strict=True):
            seen.add((f"{county}{sub}" if county else sub, "乡镇村社区"))
        rows += [{"place": p, "level": lvl, "committee": row.locality} for p, lvl in seen]
    if len(memo) > known:
        _save_memo(memo_path, memo)
    if not rows:
        return pd.DataFrame(columns=columns)
    long = pd.DataFrame(rows)
    out = long.groupby(["place", "level"]).agg(
        articles=("committee", "size"),
        committees=("committee", lambda c: "、".join(sorted(set(c)))),
    )
    return out.reset_index().sort_values(
        ["articles", "place"], ascending=[False, True], ignore_index=True
    )


def convener_titles(df: pd.DataFrame) -> pd.Series:
    """How often each title appears among the persons acting (national leaders left out)."""
    titles = [
        title or "（无职务）"
        for persons_titles, national in zip(
            df["person_titles"], df["person_national"], strict=True
        )
        for title, is_national in zip(persons_titles, national, strict=True)
        if not is_national
    ]
    return ordered(pd.Series(titles, dtype="object").value_counts().rename("persons"))


def term_frequencies(df: pd.DataFrame) -> pd.Series:
    """Corpus-wide count of every term (tokens minus stopwords, names kept whole)."""
    from .corpus import article_details

    counts: dict[str, int] = {}
    details = article_details(df)
    for terms, numbers in zip(details["terms"], details["term_counts"], strict=True):
        for term, n in zip(terms, numbers, strict=True):
            counts[term] = counts.get(term, 0) + n
    return ordered(pd.Series(counts, dtype="int64").rename("count").rename_axis("term"))


def most_repaired(df: pd.DataFrame) -> int:
    """The index of the article whose printed text needed the most repair (doubled bold
    text, justification spaces): the best one to show raw beside repaired. The raw length is
    the article's span in its page file, so no file is read."""
    if df.empty:
        raise ValueError("no articles")
    raw = pd.Series([end - start for start, end in df["span"]], index=df.index)
    printed = df["dateline"].str.len() + df["body"].str.len() + df["byline"].str.len()
    ratio = raw / printed.clip(lower=1)
    return ratio.idxmax()
