"""Part of step 3: when did the reported event happen?

Takes an article body (repaired text) and the page's year, and returns the event's first day
(``pandas.Timestamp`` or ``NaT``) with the date words as printed (``6月5日至6日``, ``近日``).
The year comes from the file name (``2023-06-08_p3.txt``), else from a year printed on the
page (``2023年度``).
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

_DATE = re.compile(
    r"(?:(?P<y>(?:19|20)\d\d)年)?(?P<m>1[0-2]|0?[1-9])月(?P<d>3[01]|[12]\d|0?[1-9])[日号]"
    r"(?:(?:至|到|—|－|-|~)(?:(?P<m2>1[0-2]|0?[1-9])月)?(?P<d2>3[01]|[12]\d|0?[1-9])[日号])?"
)
_RELATIVE = re.compile(r"近日|日前|连日来|近期|前不久|近段时间|日来")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
# A report dated more than this after its issue is from the previous year (December news in a
# January issue).
MAX_DAYS_AFTER_ISSUE = 7


def page_year(text: str) -> int | None:
    """The year printed most often on the page (``2023年度`` → 2023), or None."""
    years = Counter(int(y) for y in _YEAR.findall(text))
    return years.most_common(1)[0][0] if years else None


def event_date(
    body: str, year: int | None, issue_date: pd.Timestamp | None = None
) -> tuple[pd.Timestamp, str]:
    """First day of the event and its date words as printed; NaT when only relative words."""
    lead = body.split("\n", 1)[0]
    found = []
    for m in _DATE.finditer(lead):
        found.append((m.start(), m))
    for m in _RELATIVE.finditer(lead):
        found.append((m.start(), m))
    if not found:
        m = _DATE.search(body)
        if m:
            found.append((m.start(), m))
    if not found:
        return pd.NaT, ""
    _, m = min(found, key=lambda f: f[0])
    text = m.group(0)
    if m.re is _RELATIVE:
        return pd.NaT, text
    y = int(m["y"]) if m["y"] else year
    if y is None:
        return pd.NaT, text
    try:
        date = pd.Timestamp(y, int(m["m"]), int(m["d"]))
    except ValueError:
        return pd.NaT, text
    if not m["y"] and issue_date is not None and pd.notna(issue_date):
        if (date - issue_date).days > MAX_DAYS_AFTER_ISSUE:
            date = date.replace(year=y - 1)
    return date, text
