"""Step 2 of the flow: repair the text of single lines extracted from a PDF page.

Takes one printed line (a ``str``) and returns it repaired:

- ``halve_doubled`` undoes bold text that the PDF overprinted and the extractor doubled run by
  run (``近日近日，，文县文县`` → ``近日，文县``) and leaves ordinary reduplication
  (谢谢, 常常, 研究研究) alone;
- ``remove_justification_spaces`` drops the spaces that justification put between CJK
  characters and digits (``6 月 7 日`` → ``6月7日``) and keeps spaces between Latin words;
- ``join_lines`` joins column lines into running text with no space.

All functions are pure and work on one string at a time.
"""

from __future__ import annotations

import re
import unicodedata

# A doubled line is only halved when what remains is long enough that chance cannot explain
# it: a whole line made of reduplicated words of two characters is ordinary Chinese.
MIN_HALVED_CHARS = 6
MIN_LONGEST_RUN = 3


# Punctuation that Unicode calls ambiguous-width but Chinese print sets in a full cell.
_WIDE_PUNCT = set("…·—‘’“”※□■○●◇◆")


def is_wide(char: str) -> bool:
    """True for CJK ideographs and full-width punctuation (one column of print each)."""
    return char in _WIDE_PUNCT or unicodedata.east_asian_width(char) in ("W", "F")


_HALF_WIDTH = re.compile(r"[\x21-\x7e]")
_WHITE = re.compile(r"\s")


def display_width(text: str) -> float:
    """Width of a printed line in CJK character cells: ASCII 0.5, spaces 0, the rest 1."""
    half = len(_HALF_WIDTH.findall(text))
    return len(text) - len(_WHITE.findall(text)) - half + 0.5 * half


def doubled_runs(line: str) -> list[str] | None:
    """Split ``line`` into runs ``w`` each printed twice (``ww``), or None if it cannot be.

    Single whitespace characters between runs pass through as runs of their own. Among all
    ways to split, the one with the fewest runs wins (longest runs), so ``aaaa`` is ``[aa]``.
    """
    n = len(line)
    if n < 2:
        return None
    # best[i] = (runs used, previous index, run) for the best split of line[:i]
    best: list[tuple[int, int, str] | None] = [None] * (n + 1)
    best[0] = (0, -1, "")
    for i in range(n):
        if best[i] is None:
            continue
        used = best[i][0]
        if line[i].isspace():
            candidate = (used, i, line[i])
            if best[i + 1] is None or candidate[0] < best[i + 1][0]:
                best[i + 1] = candidate
            continue
        for length in range(1, (n - i) // 2 + 1):
            run = line[i : i + length]
            if run[-1].isspace() or line[i + length : i + 2 * length] != run:
                continue
            j = i + 2 * length
            candidate = (used + 1, i, run)
            if best[j] is None or candidate[0] < best[j][0]:
                best[j] = candidate
    if best[n] is None:
        return None
    runs = []
    i = n
    while i > 0:
        _, prev, run = best[i]
        runs.append(run)
        i = prev
    return runs[::-1]


def doubling_strength(line: str) -> int:
    """2 if ``line`` is surely doubled bold text, 1 if it could be, 0 if it is not."""
    line = line.strip()
    # cheap first test: a doubled line starts with a run printed twice
    first = line[:1]
    k = line.find(first, 1)
    while 0 < k <= len(line) // 2 and line[:k] != line[k : 2 * k]:
        k = line.find(first, k + 1)
    if not 0 < k <= len(line) // 2:
        return 0
    runs = doubled_runs(line)
    if not runs:
        return 0
    halved = "".join(runs)
    chars = sum(1 for c in halved if not c.isspace())
    longest = max(len(r.strip()) for r in runs)
    if chars >= MIN_HALVED_CHARS and longest >= MIN_LONGEST_RUN:
        return 2
    return 1


def halve_doubled(line: str) -> str:
    """Undo doubled bold text in a whole line; return the line unchanged if it is not doubled."""
    stripped = line.strip()
    if doubling_strength(stripped) < 2:
        return line
    return "".join(doubled_runs(stripped))


def force_halve(line: str) -> str:
    """Halve a line that can be split into doubled runs, whatever its length."""
    runs = doubled_runs(line.strip())
    return "".join(runs) if runs else line


_SPACE_RUN = re.compile(r"\s+")


def remove_justification_spaces(text: str) -> str:
    """Drop whitespace next to a CJK character or full-width sign; keep one between Latin words."""

    def keep_or_drop(match: re.Match) -> str:
        start, end = match.span()
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        if not before or not after:
            return ""
        if is_wide(before) or is_wide(after):
            return ""
        if before.isdigit() and after.isdigit():
            return ""
        return " "

    return _SPACE_RUN.sub(keep_or_drop, text)


def repair_line(line: str) -> str:
    """Halve doubled bold text, then drop justification spaces."""
    return remove_justification_spaces(halve_doubled(line))


def join_lines(lines: list[str]) -> str:
    """Join repaired column lines into running text (a space only between two Latin words)."""
    out = ""
    for line in lines:
        if out and line and out[-1].isascii() and out[-1].isalpha() and line[0].isascii():
            if line[0].isalpha():
                out += " "
        out += line
    return out
