"""Step 5b: tables derived from the corpus table, for the notebooks and for users.

Takes the article table from ``load_corpus`` and returns long or aggregated tables:
``mentions`` (one row per entity mention), ``people`` (one row per person), and the counts
the notebooks chart. Pure functions of the table: nothing is read from disk.
"""

from __future__ import annotations

import json

import pandas as pd

ARTICLE_KEYS = ["issue", "page", "article_no"]


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
    for _, row in df.iterrows():
        for name, title, place, national in zip(
            row["persons"],
            row["person_titles"],
            row["person_localities"],
            row["person_national"],
            strict=True,
        ):
            rows.append(
                {
                    "name": name,
                    "title": title,
                    "locality": place,
                    "national": bool(national),
                    "issue": row["issue"],
                    "issue_date": row["issue_date"],
                }
            )
    columns = ["name", "titles", "localities", "national", "articles", "first_issue", "last_issue"]
    if not rows:
        return pd.DataFrame(columns=columns)
    long = pd.DataFrame(rows)

    def unique(values) -> list[str]:
        return [v for v in dict.fromkeys(values) if v]

    ordered = long.sort_values(["issue_date", "issue"], na_position="last", kind="stable")
    grouped = ordered.groupby("name", sort=False)
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
    return counts.sort_values("articles", ascending=False, ignore_index=True)


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
    return table.loc[table.sum(axis=1).sort_values(ascending=False).index]


def over_time(df: pd.DataFrame, column: str, freq: str = "MS") -> pd.DataFrame:
    """Articles per period (by issue date, else event date) and value of a list column."""
    when = df["issue_date"].fillna(df["event_date"])
    dated = df.assign(period=when.dt.to_period(freq[0]).dt.start_time).dropna(subset=["period"])
    counts = count_lists(dated, column, by="period")
    if counts.empty:
        return pd.DataFrame()
    return counts.pivot_table(index="period", columns=column, values="articles", fill_value=0)


# --------------------------------------------------------------------------- corpus quality


def page_table(df: pd.DataFrame) -> pd.DataFrame:
    """One row per page: articles, characters, and what was left as residue (and why)."""
    rows = []
    for page in df.attrs.get("pages", []):
        residue = page.get("residue", [])
        chars = sum(len(r["text"]) for r in residue)
        rows.append(
            {
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
    return pd.DataFrame(df.attrs.get("skipped", []), columns=["file", "reason"])


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


def visits(df: pd.DataFrame, activities: tuple[str, ...] = ("调研", "视察")) -> pd.DataFrame:
    """Places and sub-places that committees went to in their 调研/视察 reports (not their own
    locality, nor the province), with how many reports mention each."""
    mask = df["meeting_types"].map(lambda types: any(t in activities for t in types))
    rows = []
    for _, row in df[mask].iterrows():
        seen = set()
        for place in row["places"]:
            if place not in (row["locality"], row["province"], row["prefecture"]):
                seen.add((place, "县级及以上"))
        for sub, county in zip(row["subplaces"], row["subplace_counties"], strict=True):
            seen.add((f"{county}{sub}" if county else sub, "乡镇村社区"))
        rows += [{"place": p, "level": lvl, "committee": row["locality"]} for p, lvl in seen]
    if not rows:
        return pd.DataFrame(columns=["place", "level", "articles", "committees"])
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
    return pd.Series(titles, dtype="object").value_counts().rename("persons")


def term_frequencies(df: pd.DataFrame) -> pd.Series:
    """Corpus-wide count of every term (tokens minus stopwords, names kept whole)."""
    from .corpus import article_details

    counts: dict[str, int] = {}
    details = article_details(df)
    for terms, numbers in zip(details["terms"], details["term_counts"], strict=True):
        for term, n in zip(terms, numbers, strict=True):
            counts[term] = counts.get(term, 0) + n
    return pd.Series(counts, dtype="int64").sort_values(ascending=False).rename("count")


def most_repaired(df: pd.DataFrame) -> int:
    """The index of the article whose printed text needed the most repair (doubled bold
    text, justification spaces): the best one to show raw beside repaired."""
    from .read import read_page

    texts: dict[str, str] = {}
    best, best_ratio = df.index[0], 0.0
    for index, row in df.iterrows():
        if row["source"] not in texts:
            texts[row["source"]] = read_page(row["source"])
        start, end = row["span"]
        raw = texts[row["source"]][start:end]
        printed = len(row["dateline"]) + len(row["body"]) + len(row["byline"])
        ratio = len(raw) / max(printed, 1)
        if ratio > best_ratio:
            best, best_ratio = index, ratio
    return best
