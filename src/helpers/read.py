"""Step 1 of the flow: read one page file into text, or fail with a clear error.

Takes a path to a page file (bytes on disk) and returns its text as ``str`` with ``\\n`` line
ends. Detects UTF-8 (with or without BOM) and GB18030/GBK; refuses empty, binary and
non-page files with a ``PageError`` that names the file and the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

# A page of this newspaper is Chinese prose: most of its visible characters are CJK.
MIN_CJK_CHARS = 20
MIN_CJK_SHARE = 0.3

_CJK = re.compile(r"[\u3400-\u9fff]")
_ISSUE_DATE = re.compile(r"(?P<y>(?:19|20)\d\d)[-_.]?(?P<m>[01]\d)[-_.]?(?P<d>[0-3]\d)")
_PAGE_NO = re.compile(
    r"(?:^|[_\-.])(?:p|page|pg)(?P<n>\d{1,3})(?:$|[_\-.])|第(?P<cn>\d{1,3})版", re.I
)


class PageError(ValueError):
    """A page file that cannot be read as a newspaper page; the message names file and problem."""

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


def decode_page(data: bytes, source: str = "") -> str:
    """Decode page bytes (UTF-8, UTF-8 with BOM, GB18030/GBK) to text with ``\\n`` line ends."""
    source = source or "<bytes>"
    if not data.strip():
        raise PageError(source, "empty file")
    if b"\x00" in data[:4096]:
        raise PageError(source, "binary file (NUL bytes), not a text page")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as err:
            raise PageError(
                source, f"not UTF-8 or GB18030 text (undecodable byte at {err.start})"
            ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_is_page(text, source)
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_SPACE = re.compile(r"\s")


def check_is_page(text: str, source: str) -> None:
    """Raise PageError unless ``text`` looks like Chinese newspaper text."""
    visible = len(text) - len(_SPACE.findall(text))
    controls = len(_CONTROL.findall(text))
    if controls > max(3, visible // 100):
        raise PageError(source, "binary file (control characters), not a text page")
    cjk = len(_CJK.findall(text))
    if cjk < MIN_CJK_CHARS or cjk < MIN_CJK_SHARE * visible:
        raise PageError(
            source,
            f"not a newspaper page: {cjk} Chinese characters of {visible} visible",
        )


def read_page(path: str | Path) -> str:
    """Read and decode one page file; raise PageError naming the file if it is not a page."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise PageError(str(path), f"cannot read file ({err.strerror})") from None
    return decode_page(data, str(path))


@dataclass(frozen=True)
class PageName:
    """What a page file's name says: the issue (file stem), its date and page number."""

    issue: str
    issue_date: pd.Timestamp | None
    page: int | None


def parse_page_name(path: str | Path) -> PageName:
    """Read issue date and page number from a name such as ``2023-06-08_p3.txt``."""
    stem = Path(path).stem
    date = None
    m = _ISSUE_DATE.search(stem)
    if m:
        try:
            date = pd.Timestamp(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            date = None
    page = None
    rest = stem[m.end() :] if m else stem
    p = _PAGE_NO.search(rest)
    if p:
        page = int(p["n"] or p["cn"])
    return PageName(issue=stem, issue_date=date, page=page)
