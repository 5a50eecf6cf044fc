"""Score the entity tagger (helpers.entities) against jieba.posseg on People's Daily 1998 (dev).

Usage: python benchmarks/ner.py [path/to/peoples_daily_1998.dev.bio] [--errors]

Prints precision / recall / F1 for all sentences, the local-government slice, and the dev
split's first half (the only part rules were tuned on) and second half (a check that they
generalise), then the F1 gain over jieba for each. ``--errors`` lists the first half's misses
and extras (the half rules may be written from; the second half stays a check).

The data (../shared/data/ner/) is one character and its BIO tag per line, a blank line between
sentences. Scoring follows its README: exact spans (type, start, end), precision / recall / F1
per type and micro-averaged over PER and LOC; the baseline is jieba.posseg with nr→PER, ns→LOC,
nt→ORG, tokens as they come. The "local government" slice holds the sentences that contain any
of 政协, 县, 市委, 人大, 常委, 主席, 书记, 乡, 镇. This is a check of generality: no rule was
tuned to these sentences.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import jieba
import jieba.posseg

from helpers import entities

# The shared data folder sits beside the project (../shared), or beside its worktrees folder.
_SHARED = [Path(__file__).resolve().parents[k] / "shared" for k in (2, 3)]
DEFAULT = (
    next((p for p in _SHARED if p.is_dir()), _SHARED[0])
    / "data"
    / "ner"
    / "peoples_daily_1998.dev.bio"
)
LOCAL_WORDS = ("政协", "县", "市委", "人大", "常委", "主席", "书记", "乡", "镇")
TYPES = ("PER", "LOC")
JIEBA_TYPES = {"nr": "PER", "ns": "LOC", "nt": "ORG"}


def read_bio(path: Path) -> list[tuple[str, set[tuple[str, int, int]]]]:
    """Sentences as (text, gold spans)."""
    sentences, chars, tags = [], [], []

    def flush():
        if chars:
            sentences.append(("".join(chars), spans_of(tags)))
        chars.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            continue
        char, _, tag = line.rpartition(" ")
        chars.append(char or " ")
        tags.append(tag)
    flush()
    return sentences


def spans_of(tags: list[str]) -> set[tuple[str, int, int]]:
    spans, start, kind = set(), None, None
    for i, tag in enumerate(tags + ["O"]):
        if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != kind):
            if kind is not None:
                spans.add((kind, start, i))
            start, kind = (i, tag[2:]) if tag != "O" else (None, None)
    return spans


def jieba_spans(text: str) -> set[tuple[str, int, int]]:
    spans, pos = set(), 0
    for word, flag in jieba.posseg.cut(text):
        kind = JIEBA_TYPES.get(flag)
        if kind:
            spans.add((kind, pos, pos + len(word)))
        pos += len(word)
    return spans


def ours(text: str) -> set[tuple[str, int, int]]:
    return set(entities(text))


def score(gold: list[set], pred: list[set]) -> dict[str, tuple[float, float, float]]:
    table = {}
    for kind in TYPES + ("micro",):
        keep = TYPES if kind == "micro" else (kind,)
        tp = fp = fn = 0
        for g, p in zip(gold, pred, strict=True):
            g = {s for s in g if s[0] in keep}
            p = {s for s in p if s[0] in keep}
            tp += len(g & p)
            fp += len(p - g)
            fn += len(g - p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[kind] = (precision, recall, f1)
    return table


def print_table(name: str, results: dict[str, dict]) -> None:
    print(f"\n{name}")
    print(f"{'tagger':<16}{'type':<7}{'P':>7}{'R':>7}{'F1':>7}")
    for tagger, table in results.items():
        for kind, (p, r, f) in table.items():
            print(f"{tagger:<16}{kind:<7}{p:>7.3f}{r:>7.3f}{f:>7.3f}")


def print_errors(sentences: list, mine: list[set], count: int) -> None:
    """Misses and extras of the first ``count`` sentences, with a little context."""
    print("\nerrors in the first half (type, kind, span | context; gold or guess overlapping)")
    for (text, gold), pred in zip(sentences[:count], mine[:count], strict=True):
        for kind, wrong, other in (("MISS", gold - pred, pred), ("EXTRA", pred - gold, gold)):
            for label, start, end in sorted(s for s in wrong if s[0] in TYPES):
                near = [f"{text[a:b]}/{t}" for t, a, b in other if a < end and start < b]
                context = text[max(0, start - 10) : end + 8]
                print(f"{label} {kind} {text[start:end]} {near} | {context}")


def main(path: Path = DEFAULT, errors: bool = False) -> dict:
    jieba.setLogLevel(60)
    sentences = read_bio(path)
    local = [i for i, (text, _) in enumerate(sentences) if any(w in text for w in LOCAL_WORDS)]
    gold = [g for _, g in sentences]
    t0 = time.perf_counter()
    mine = [ours(text) for text, _ in sentences]
    t1 = time.perf_counter()
    base = [jieba_spans(text) for text, _ in sentences]
    t2 = time.perf_counter()
    report = {}
    half = len(sentences) // 2
    slices = (
        ("all sentences", range(len(sentences))),
        ("local-government slice", local),
        # rules were tuned on the first half only: the second half checks they generalise
        ("first half (tuned on)", range(half)),
        ("second half (not tuned on)", range(half, len(sentences))),
    )
    for name, idx in slices:
        results = {
            "helpers": score([gold[i] for i in idx], [mine[i] for i in idx]),
            "jieba.posseg": score([gold[i] for i in idx], [base[i] for i in idx]),
        }
        print_table(f"{name} ({len(idx)} sentences)", results)
        report[name] = results
    print()
    for name, _ in slices:
        gain = {
            k: report[name]["helpers"][k][2] - report[name]["jieba.posseg"][k][2] for k in TYPES
        }
        print(
            f"{name + ':':<28} F1 gain over jieba PER {gain['PER']:+.3f}, LOC {gain['LOC']:+.3f}"
        )
    print("(target on the local-government slice of the hidden test split: +0.10 each)")
    print(
        f"time: helpers {t1 - t0:.1f}s, jieba.posseg {t2 - t1:.1f}s for {len(sentences)} sentences"
    )
    if errors:
        print_errors(sentences, mine, half)
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--errors", action="store_true", help="list the first half's errors")
    args = parser.parse_args()
    main(args.path, args.errors)
