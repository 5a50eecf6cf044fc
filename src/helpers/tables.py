"""Step 5b: tables derived from the corpus table, for the notebooks and for users.

Takes the article table from ``load_corpus`` and returns long or aggregated tables:
``mentions`` (one row per entity mention), ``people`` (one row per person), and the counts
the notebooks chart. Pure functions of the table: nothing is read from disk.
"""

from __future__ import annotations

import pandas as pd

ARTICLE_KEYS = ["issue", "page", "article_no"]


def mentions(df: pd.DataFrame) -> pd.DataFrame:
    """One row per entity mention: article, type, text, canonical name, code, start, end.

    Offsets refer to the article's tagged text ``headline + "\\n" + subheadline + "\\n" + body``
    (``helpers.tag.article_text``).
    """
    columns = ARTICLE_KEYS + ["type", "text", "canonical", "code", "start", "end", "detail"]
    records = [
        {**{k: row[k] for k in ARTICLE_KEYS}, **dict(m)}
        for _, row in df[ARTICLE_KEYS + ["mentions"]].iterrows()
        for m in row["mentions"]
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
    """Articles per committee at one level: ``prefecture`` or ``locality`` (with prefecture)."""
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
