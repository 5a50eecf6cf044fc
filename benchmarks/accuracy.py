"""The accuracy the benchmarks measured, kept where the notebooks read it.

``record(source, measures)`` replaces the lines a benchmark wrote last time in
``benchmarks/accuracy.json`` (``{"measures": [{"what", "value", "source"}]}``); every notebook's
closing section "能说明什么，不能说明什么" lists them, so a reader sees the measured accuracy of
the parse and the tags next to the charts, never a number typed by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

ACCURACY_FILE = Path(__file__).with_name("accuracy.json")


def record(source: str, measures: list[tuple[str, str]], path: Path = ACCURACY_FILE) -> None:
    """Keep ``measures`` (what, value) as this benchmark's lines, in a stable order."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8")).get("measures", [])
    except (OSError, ValueError):
        kept = []
    kept = [m for m in kept if m.get("source") != source]
    kept += [{"what": what, "value": value, "source": source} for what, value in measures]
    kept.sort(key=lambda m: m["source"])  # stable: within a source, in the order given
    text = json.dumps({"measures": kept}, ensure_ascii=False, indent=1) + "\n"
    path.write_text(text, encoding="utf-8")
