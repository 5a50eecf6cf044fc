"""What a reader sees in a notebook: page text as text (never markup), Chinese names first,
whole cells (never cut with …), and the articles behind a chart in an interactive table.

Takes the article table and tables derived from it; returns objects that Jupyter displays
(Markdown, HTML). Every value that comes from a page or a file name is escaped here, so a
headline such as ``<img src=x onerror=…>`` or ``$\\foo$`` shows as the characters printed.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import string
import warnings
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display

from . import config

# Every column name and category a reader sees, Chinese first (the one place that spells them).
DISPLAY_NAMES = {
    "issue": "文件",
    "file": "文件",
    "page": "版次",
    "issue_date": "出版日期",
    "event_date": "活动日期",
    "date": "日期",
    "article_no": "篇序",
    "kind": "类型",
    "headline": "标题",
    "locality": "政协",
    "locality_code": "区划代码",
    "division_code": "区划代码",
    "division": "行政区",
    "prefecture": "市州",
    "place": "地点",
    "level": "层级",
    "articles": "篇数",
    "committees": "前往的政协",
    "chars": "字数",
    "residue_chars": "未归入稿件的字数",
    "residue_share": "未归入比例",
    "residue": "未归入的文字（原因）",
    "reason": "原因",
    "problem": "缺少",
    "meeting_types": "会议活动类型",
    "meeting_evidence": "依据（触发词）",
    "themes": "主题",
    "theme_evidence": "依据（主题词）",
    "slogans": "口号",
    "documents": "文件名称",
    "evidence": "依据",
    "name": "姓名",
    "titles": "职务",
    "localities": "所属地区",
    "national": "全国领导人",
    "first_issue": "首见",
    "last_issue": "末见",
    "persons": "人次",
    "count": "次数",
    "term": "词",
    "period": "月份",
    "type": "类型",
}
KIND_NAMES = {"article": "文章", "photo": "图片新闻", "continuation": "接转稿"}
LIST_JOINER = "、"
# Characters that Markdown (CommonMark, MathJax's $…$) would read as syntax.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+\-.!|$~])")
ACCURACY_FILE = config.PROJECT_ROOT / "benchmarks" / "accuracy.json"
# Undated pages named in the corpus size before "等 N 个文件".
UNDATED_NAMED = 3
# Search box and row count on top, always (itables hides them for short tables under its
# default layout; this one differs from it so a reader can search every table).
TABLE_LAYOUT = {
    "topStart": "info",
    "topEnd": "search",
    "bottomStart": "pageLength",
    "bottomEnd": "paging",
}
# The table's controls in Chinese (DataTables' own words otherwise).
TABLE_WORDS = {
    "search": "搜索：",
    "info": "第 _START_–_END_ 条，共 _TOTAL_ 条",
    "infoEmpty": "没有稿件",
    "infoFiltered": "（从 _MAX_ 条中筛选）",
    "lengthMenu": "每页 _MENU_ 条",
    "zeroRecords": "没有符合的稿件",
    "emptyTable": "没有稿件",
}
# Tables longer than this open on their first page; search and sort still cover every row.
PAGE_LENGTH = 10


def display_name(name) -> str:
    """A column's name as a reader sees it (Chinese), or the name itself if it has none."""
    return DISPLAY_NAMES.get(str(name), str(name)) if name is not None else ""


def escape(value) -> str:
    """Any value as Markdown that shows its characters: no HTML element, no emphasis, no math."""
    text = html.escape(str(value), quote=True)
    return _MARKDOWN_SYNTAX.sub(r"\\\1", text)


class _EscapingFormatter(string.Formatter):
    def format_field(self, value, format_spec: str) -> str:
        return escape(super().format_field(value, format_spec))


class Finding(Markdown):
    """A sentence computed from the data; the report lists the key ones on its index page."""

    def __init__(self, data: str, key: bool = False):
        super().__init__(data)
        self.key = key

    def _repr_markdown_(self):
        return self.data, {"cppcc": {"finding": True, "key": self.key}}


def say(template: str, *args, key: bool = False, **kwargs) -> Finding:
    """Markdown from a template whose ``{}`` fields are escaped (the template is trusted)."""
    return Finding(_EscapingFormatter().format(template, *args, **kwargs), key=key)


def seeds_fingerprint(folder: Path | None = None) -> str:
    """A digest of every file's name, size and modification time under the seeds folder."""
    folder = Path(folder or config.SEEDS)
    digest = hashlib.sha1()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(
                f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()


def file_name(source) -> str:
    """The page's file name as the reader put it in seeds/ (no folders)."""
    return Path(str(source)).name if source else ""


def _entry_name(entry) -> str:
    """A file named in a change list: a path, a record with its file, or a pair (duplicates)."""
    if isinstance(entry, dict):
        entry = entry.get("file") or entry.get("path") or entry.get("name") or ""
    if isinstance(entry, (list, tuple)):
        return "＝".join(_entry_name(e) for e in entry)
    return file_name(entry)


def _changes(df: pd.DataFrame) -> dict[str, list[str]]:
    """New/changed/removed/skipped/duplicate files, from the loader when it says so."""
    changes = df.attrs.get("changes")
    if isinstance(changes, dict):
        return {k: [_entry_name(v) for v in changes.get(k) or []] for k in _CHANGE_WORDS}
    skipped = [file_name(s.get("file", "")) for s in df.attrs.get("skipped", [])]
    return {"new": [file_name(p) for p in df.attrs.get("parsed", [])], "skipped": skipped}


_CHANGE_WORDS = {
    "new": "新增",
    "changed": "改动",
    "removed": "删除",
    "skipped": "未能读取",
    "duplicates": "重复",
}


def corpus(folder: Path | None = None) -> pd.DataFrame:
    """Load the corpus, stamp it with the seeds' fingerprint and say what changed."""
    from .corpus import load_corpus

    folder = Path(folder or config.SEEDS)
    stamp = seeds_fingerprint(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skipped files are listed below by name, not path
        df = load_corpus(folder)
    df.attrs["seeds_fingerprint"] = stamp
    _init_tables()
    display(changes_summary(df))
    return df


def changes_summary(df: pd.DataFrame) -> Markdown:
    """One sentence: how big the corpus is and which files are new, changed, skipped…"""
    changes = _changes(df)
    parts = [
        f"{word} {len(changes[key])} 个（{'、'.join(escape(n) for n in changes[key][:10])}"
        + ("等" if len(changes[key]) > 10 else "")
        + "）"
        for key, word in _CHANGE_WORDS.items()
        if changes.get(key)
    ]
    head = f"语料：{escape(corpus_size(df))}。"
    return Markdown(head + "与上次运行相比：" + ("；".join(parts) or "没有变化") + "。")


def corpus_size(df: pd.DataFrame) -> str:
    """'N 期 M 版 · N 篇', counting dated issues and pages right and naming undated pages."""
    pages = pd.DataFrame(df.attrs.get("pages") or [], columns=["issue", "issue_date", "source"])
    if pages.empty and len(df):
        pages = df[["issue", "issue_date", "source"]].drop_duplicates("issue")
    dated = pages[pages["issue_date"].notna()]
    undated = pages[pages["issue_date"].isna()]
    parts = [f"{dated['issue_date'].nunique()} 期 {len(dated)} 版"] if len(dated) else []
    if len(undated):
        names = sorted(
            file_name(s) or str(i)
            for s, i in zip(undated["source"], undated["issue"], strict=True)
        )
        more = f"等 {len(names)} 个文件" if len(names) > UNDATED_NAMED else ""
        parts.append(f"无日期 {len(undated)} 版（{'、'.join(names[:UNDATED_NAMED])}{more}）")
    return "、".join(parts or ["0 版"]) + f" · {len(df)} 篇"


def _cell(value) -> str:
    if isinstance(value, (list, tuple)):
        return LIST_JOINER.join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{_cell(v)}" for k, v in value.items())
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def readable(frame: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """The table with Chinese column names, categories in Chinese and lists joined with 、."""
    table = frame.to_frame() if isinstance(frame, pd.Series) else frame.copy()
    if table.index.name or not isinstance(table.index, pd.RangeIndex):
        table = table.reset_index()
    if "kind" in table:
        table["kind"] = table["kind"].map(lambda k: KIND_NAMES.get(k, k))
    for column in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            table[column] = table[column].dt.strftime("%Y-%m-%d").fillna("")
        elif table[column].dtype == object:
            table[column] = table[column].map(_cell)
    return table.rename(columns=display_name)


def table(frame: pd.DataFrame | pd.Series) -> HTML:
    """A small table for reading: Chinese column names, every cell whole, text escaped."""
    shown = readable(frame)
    with pd.option_context("display.max_colwidth", None):
        return HTML(_no_math(shown.to_html(index=False, escape=True, na_rep="", border=0)))


def _no_math(html_text: str) -> str:
    """Page text in HTML is never typeset as math (`$…$`): MathJax skips these classes."""
    return f'<div class="tex2jax_ignore mathjax_ignore">{html_text}</div>'


def _init_tables() -> None:
    """Embed the interactive tables' JavaScript once per notebook (offline, no network)."""
    import itables

    itables.init_notebook_mode(connected=False, all_interactive=False)


def interactive(frame: pd.DataFrame, table_id: str) -> HTML:
    """A sortable, searchable table that works offline in JupyterLab and in the report."""
    import itables

    shown = readable(frame)
    return HTML(
        _no_math(
            itables.to_html_datatable(
                shown,
                table_id=table_id,
                connected=False,
                maxBytes=0,
                showIndex=False,
                allow_html=False,
                display_logo_when_loading=False,
                pageLength=PAGE_LENGTH,
                layout=TABLE_LAYOUT,
                classes="display compact",
                columnDefs=[{"className": "dt-left", "targets": "_all"}],
                language=TABLE_WORDS,
            )
        )
    )


ARTICLE_COLUMNS = ["headline", "date", "locality", "kind", "meeting_types"]


def articles(df: pd.DataFrame, table_id: str, mask=None, evidence: str = "meeting_evidence"):
    """The articles behind a chart: headline, date, committee, type and the evidence words."""
    rows = df if mask is None else df[mask]
    frame = pd.DataFrame(
        {
            "headline": [h or "（无标题）" for h in rows["headline"]],
            "date": rows["event_date"].fillna(rows["issue_date"]),
            "locality": rows["locality"].fillna(""),
            "kind": rows["kind"],
            "meeting_types": rows["meeting_types"],
            "evidence": rows[evidence] if evidence in rows else "",
            "file": [file_name(s) for s in rows["source"]],
        }
    )
    frame = frame.rename(columns={"evidence": DISPLAY_NAMES.get(evidence, "evidence")})
    return interactive(frame, table_id)


def accuracy() -> dict | None:
    """The parse and tag accuracy the benchmarks measured (``benchmarks/accuracy.json``)."""
    try:
        return json.loads(ACCURACY_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def limits(df: pd.DataFrame, notes: list[str] | tuple[str, ...] = ()) -> Markdown:
    """'What this shows and what it cannot': sample size, undated articles, accuracy."""
    undated = int(df["event_date"].isna().sum())
    no_date = int((df["event_date"].isna() & df["issue_date"].isna()).sum())
    lines = [
        "## 能说明什么，不能说明什么 · What this shows and what it cannot",
        f"- 样本：{escape(corpus_size(df))}。"
        "篇数少时，排名和比例都很不稳定，一篇稿件就能改变名次。",
        f"- 日期：{undated} 篇稿件没有写明具体活动日期（“近日”“连日来”），按出版日期归月；"
        f"其中 {no_date} 篇连出版日期也没有（文件名不含日期），不进入随时间变化的图。",
    ]
    measured = accuracy()
    if measured:
        for item in measured.get("measures", []):
            lines.append(f"- {escape(item.get('what', ''))}：{escape(item.get('value', ''))}")
    else:
        lines.append("- 解析与标注的准确率：基准测试尚未写出结果，不能给出。")
    lines += [f"- {note}" for note in notes]
    lines.append("- 本报只刊登它选择报道的活动：篇数反映的是见报多少，不是各地实际做了多少。")
    return Markdown("\n".join(lines))
