"""Step 1 of the flow: read one page file into text, or fail with a clear error.

Takes a page file's bytes and returns its text as ``str`` with ``\\n`` line ends, in
Simplified characters (what the parser and taggers know). Detects the encoding: UTF-8 (with or
without BOM), UTF-16/32 (BOM, or NUL bytes where ASCII stands), else ``charset-normalizer``'s
best guess (GB18030/GBK, Big5, …). A few undecodable bytes are replaced and reported with
their offsets; NUL bytes are dropped and reported; a Traditional-Chinese page is converted to
Simplified with OpenCC (``Decoded.original`` keeps the text as printed). Refuses empty,
binary, oversized and non-page files with a ``PageError`` naming the file and the problem.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

# A page of this newspaper is Chinese prose: most of its visible characters are CJK.
MIN_CJK_CHARS = 20
MIN_CJK_SHARE = 0.3
# A broadsheet page holds at most ~20,000 characters: ≈ 60 KB as UTF-8, 80 KB as UTF-32 (the
# real page in tests/fixtures is 18 KB). 512 KB is 6 times what any encoding of a page needs:
# a bigger file is not one page, and is refused before it is read or parsed.
MAX_PAGE_BYTES = 512 * 1024
# UTF-8 with a few bad bytes (a damaged download) is kept; text in another encoding read as
# UTF-8 fails on nearly every character. 1 % of the bytes separates the two by far.
MAX_BAD_BYTE_SHARE = 0.01
# UTF-16 without a BOM: ASCII characters (digits, line ends) carry a NUL in one byte of each
# pair, characters such as 一 (U+4E00) in the other (8 % of the real page's NULs). Most NULs
# on one side of the pairs says UTF-16; NULs at random (half and half) say binary.
UTF16_NUL_PARITY = 0.8
MIN_NULS_FOR_UTF16 = 4
# Traditional text differs from Simplified in ~30 % of its characters (the real page: 30 %);
# a Simplified page contains a traditional-only form only in a quoted name or title (< 1 %).
TRADITIONAL_SHARE = 0.05
# How many bad-byte offsets a warning spells out.
SHOWN_OFFSETS = 5

_CJK = re.compile(r"[\u3400-\u9fff]")
_ISSUE_DATE = re.compile(r"(?P<y>(?:19|20)\d\d)[-_.]?(?P<m>\d\d)[-_.]?(?P<d>\d\d)")
_PAGE_NO = re.compile(
    r"(?:^|[_\-.])(?:p|page|pg)(?P<n>\d{1,3})(?:$|[_\-.])|第(?P<cn>\d{1,3})版", re.I
)
_BOMS = [
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]
# charset-normalizer names Chinese encodings by their narrowest fit; decode with the superset
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "big5": "cp950"}


class PageError(ValueError):
    """A file that cannot be read as a newspaper page; the message names file and problem.

    ``PageError(problem)`` (e.g. raised by a PDF reader that does not know the path) or
    ``PageError(source, problem)``.
    """

    def __init__(self, source: str, problem: str | None = None):
        if problem is None:
            source, problem = "", source
        super().__init__(f"{source}: {problem}" if source else problem)
        self.source = source
        self.problem = problem


@dataclass
class Decoded:
    """A page file's text: ``text`` for parsing (Simplified), ``original`` as printed."""

    text: str
    original: str
    encoding: str
    script: str = "simplified"  # or "traditional" (then text is OpenCC's conversion)
    notes: list[str] = field(default_factory=list)  # what was repaired, for a warning


def decode_page(data: bytes, source: str = "") -> str:
    """Decode page bytes to Simplified text with ``\\n`` line ends (see ``decode_page_full``)."""
    return decode_page_full(data, source).text


def decode_page_full(data: bytes, source: str = "") -> Decoded:
    """Decode page bytes: detect the encoding, repair what can be, convert Traditional text."""
    source = source or "<bytes>"
    if len(data) > MAX_PAGE_BYTES:
        raise PageError(source, too_big(len(data)))
    if not data.replace(b"\x00", b"").strip():
        raise PageError(source, "empty file" if b"\x00" not in data else _BINARY_NUL)
    notes: list[str] = []
    try:
        text, encoding = _decode(data, source, notes)
    except PageError:
        if b"\x00" in data:  # NULs and no text encoding: a binary file
            raise PageError(source, _BINARY_NUL) from None
        raise
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        notes.append(f"{nuls} NUL bytes dropped")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():  # a BOM and blank lines
        raise PageError(source, "empty file")
    original = text
    script = "simplified"
    if traditional_share(text) >= TRADITIONAL_SHARE:
        text = _to_simplified(text)
        script = "traditional"
        notes.append("Traditional characters converted to Simplified for parsing")
    try:
        check_is_page(text, source)
    except PageError:
        if nuls:  # NULs and no readable page: a binary file
            raise PageError(source, _BINARY_NUL) from None
        raise
    return Decoded(text, original, encoding, script, notes)


_BINARY_NUL = "binary file (NUL bytes), not a text page"


def too_big(size: int, limit: int | None = None) -> str:
    """The reason a file of ``size`` bytes is refused: more than a page holds."""
    limit = MAX_PAGE_BYTES if limit is None else limit
    return (
        f"not a newspaper page: {size / 2**20:.1f} MB, "
        f"more than a page holds (limit {limit / 2**20:g} MB)"
    )


def _decode(data: bytes, source: str, notes: list[str]) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, codec, source, notes), codec.replace("-sig", "")
    codec = _utf16_by_nuls(data)
    if codec:
        return _decode_as(data, codec, source, notes), codec
    bad = _bad_offsets(data)
    if not bad:
        return data.decode("utf-8"), "utf-8"
    if len(bad) <= MAX_BAD_BYTE_SHARE * len(data):
        return _decode_as(data, "utf-8", source, notes), "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise PageError(source, "not text in any encoding charset-normalizer knows")
    codec = _SUPERSET.get(best.encoding, best.encoding)
    return _decode_as(data, codec, source, notes), codec


def _utf16_by_nuls(data: bytes) -> str | None:
    """UTF-16 without a BOM, told by where its NUL bytes stand; None if not that."""
    head = data[:65536]
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    if even + odd < MIN_NULS_FOR_UTF16 or len(data) % 2:
        return None
    if odd >= UTF16_NUL_PARITY * (even + odd):
        codec = "utf-16-le"
    elif even >= UTF16_NUL_PARITY * (even + odd):
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return codec if len(_CJK.findall(text)) >= MIN_CJK_CHARS else None


def _bad_offsets(data: bytes, codec: str = "utf-8") -> list[int]:
    """Byte offsets where decoding fails (one per bad sequence; stops past the limit)."""
    offsets: list[int] = []
    start = 0
    while True:
        try:
            data[start:].decode(codec)
            return offsets
        except UnicodeDecodeError as err:
            offsets.append(start + err.start)
            start += err.end
            if len(offsets) > MAX_BAD_BYTE_SHARE * len(data) + 1:
                return offsets


def _decode_as(data: bytes, codec: str, source: str, notes: list[str]) -> str:
    """Decode, replacing bad bytes (counted, with offsets); too many means a wrong guess."""
    bad = _bad_offsets(data, codec)
    if len(bad) > MAX_BAD_BYTE_SHARE * len(data) + 1:
        raise PageError(source, f"not {codec} text (undecodable bytes from byte {bad[0]} on)")
    if bad:
        shown = ", ".join(str(b) for b in bad[:SHOWN_OFFSETS])
        more = f" and {len(bad) - SHOWN_OFFSETS} more" if len(bad) > SHOWN_OFFSETS else ""
        notes.append(
            f"{len(bad)} undecodable {codec} bytes replaced by \ufffd (at byte {shown}{more})"
        )
    return data.decode(codec, errors="replace")


@cache
def _traditional_chars() -> re.Pattern:
    """Characters OpenCC converts to a different Simplified form (traditional-only forms)."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    chars = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if len(key) == 1 and values.split(" ")[0] != key:
            chars.add(key)
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


def traditional_share(text: str) -> float:
    """The share of Chinese characters in ``text`` that exist only in Traditional script."""
    cjk = len(_CJK.findall(text))
    if cjk == 0:
        return 0.0
    return len(_traditional_chars().findall(text)) / cjk


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def _to_simplified(text: str) -> str:
    """OpenCC's Traditional → Simplified conversion, line by line, each line keeping its
    length (a phrase rule that would change it gives way to characters one by one), so
    offsets into the converted text are offsets into the original."""
    convert = _converter().convert
    lines = []
    for line in text.split("\n"):
        out = convert(line)
        if len(out) != len(line):
            out = "".join(c if len(s := convert(c)) != 1 else s for c in line)
        lines.append(out)
    return "\n".join(lines)


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
    """Read and decode one page file (or ``file.pdf#page=N``); PageError if it is not a page."""
    path_text = str(path)
    if "#page=" in path_text and path_text.lower().split("#page=")[0].endswith(".pdf"):
        pdf, number = path_text.rsplit("#page=", 1)
        from .pdf import pdf_pages  # helpers.pdf: an optional step, imported when needed

        for page in pdf_pages(Path(pdf)):
            if str(page.number) == number:
                return decode_page(page.text.encode("utf-8"), path_text)
        raise PageError(path_text, "no such page in the PDF")
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a folder; a pipe would block the read
            raise PageError(str(path), "not a regular file")
        if info.st_size > MAX_PAGE_BYTES:
            raise PageError(str(path), too_big(info.st_size))
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
    problem: str = ""  # e.g. a date that does not exist


def parse_page_name(path: str | Path) -> PageName:
    """Read issue date and page number from a name such as ``2023-06-08_p3.txt``."""
    stem = Path(path).stem
    date = None
    problem = ""
    m = _ISSUE_DATE.search(stem)
    if m:
        try:
            date = pd.Timestamp(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            problem = f"no such date as {m[0]} in the file name; the page loads undated"
    page = None
    rest = stem[m.end() :] if m else stem
    p = _PAGE_NO.search(rest)
    if p:
        page = int(p["n"] or p["cn"])
    return PageName(issue=stem, issue_date=date, page=page, problem=problem)
