"""The development set: real reports of local CPPCC committees, labelled by hand.

Prints counts and checks every label against its text.

The texts are other people's sentences, so they stay out of the repository: each report is
`dev/reports/NNN.json` (git-ignored; `CPPCC_DEV` overrides the folder) with the fields
id, url, headline, subheadline, dateline, paragraphs, byline. The hand labels are committed in
`benchmarks/devset/labels.jsonl`, one object per report (id, url, headline_sha1 — a digest:
the headline itself stays in dev/ —, source_province, locality, locality_parent, province,
meeting_type, meeting_types, persons, reporters, notes).
Held-out sets labelled the same way, each collected after the rules were written on the sets
before it, follow: `heldout.jsonl` (082–121), `heldout2.jsonl` (122–181), `heldout3.jsonl`
(182–241), `heldout4.jsonl` (242–301), `heldout5.jsonl` (302–361), `heldout6.jsonl`
(362–421), `heldout7.jsonl` (422–481), `heldout8.jsonl` (482–541),
`heldout9.jsonl` (542–601), `heldout10.jsonl` (602–661). `load_devset(split=)` picks
"tune" (labels.jsonl), one held-out set by its name, "dev" (every set the rules were written
on: all but the last) or "all" (every set, in that order). `load_devset` joins labels and texts;
see `benchmarks/devset/README.md` for the guidelines.

Usage: python benchmarks/devset.py [--split tune|heldout|heldout2…heldout10|dev|all]
                                   [dev_dir]
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LABELS = PROJECT_ROOT / "benchmarks" / "devset" / "labels.jsonl"
HELDOUT = PROJECT_ROOT / "benchmarks" / "devset" / "heldout.jsonl"
# Held-out sets in the order they were collected: each was labelled before any tagger ran on
# it, after the rules had been written on the sets before it.
HELDOUTS = {
    name: PROJECT_ROOT / "benchmarks" / "devset" / f"{name}.jsonl"
    for name in ("heldout", *(f"heldout{n}" for n in range(2, 11)))
}
# The sets the tagging rules were written on, as of the last held-out set collected.
DEVELOPMENT = (LABELS, *list(HELDOUTS.values())[:-1])
# Label files of each split; "dev" is every set used while writing rules; "all" is the tuning
# set followed by every held-out set there is.
SPLITS = {
    "tune": (LABELS,),
    **{name: (path,) for name, path in HELDOUTS.items()},
    "dev": DEVELOPMENT,
    "all": (LABELS, *(path for path in HELDOUTS.values() if path.exists())),
}
REPORT_FIELDS = ("id", "url", "headline", "subheadline", "dateline", "paragraphs", "byline")
# The fields a report and its label line share; they must agree or the join is wrong. The
# label holds a digest of the headline, not the headline: the headline is the report's text.
SHARED_FIELDS = ("id", "url")
MEETING_TYPES = (
    "全体会议",
    "常委会会议",
    "主席会议",
    "党组会议",
    "协商会",
    "调研",
    "视察",
    "民主监督",
    "推进会",
    "动员部署会",
    "学习培训",
    "结对帮扶",
    "招商引资",
    "提案工作",
    "其他",
)


def headline_digest(headline: str) -> str:
    """What a label keeps of its report's headline (to check the join, not to read)."""
    return hashlib.sha1(headline.encode("utf-8")).hexdigest()[:12]


def default_dev_dir() -> Path:
    """Folder of the report texts: `$CPPCC_DEV` or `<project root>/dev/reports`."""
    env = os.environ.get("CPPCC_DEV")
    return Path(env) if env else PROJECT_ROOT / "dev" / "reports"


def read_labels(path: Path = LABELS) -> list[dict]:
    """The hand labels, one dict per report, in file order."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def split_labels(split: str = "all") -> list[dict]:
    """The hand labels of one split (a name in ``SPLITS``), in file order."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    if missing := [path for path in SPLITS[split] if not path.exists()]:
        raise FileNotFoundError(f"split {split!r} has no labels yet: {_display(missing[0])}")
    return [label for path in SPLITS[split] for label in read_labels(path)]


def _missing_message(dev_dir: Path, missing: list[str], label_files: list[Path]) -> str:
    names = " and ".join(_display(path) for path in label_files)
    return (
        f"development set texts not found in {dev_dir} (missing: {', '.join(missing[:5])}"
        f"{' …' if len(missing) > 5 else ''}). They are git-ignored; rebuild the folder by "
        f"saving each report listed in {names} (its url) as "
        f"NNN.json with the fields {', '.join(REPORT_FIELDS)}, or point CPPCC_DEV at a copy."
    )


def _display(path: Path) -> str:
    path = Path(path).resolve()
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


def load_devset(
    dev_dir: Path | None = None, labels_path: Path | None = None, split: str = "all"
) -> list[dict]:
    """Reports joined with their labels (report fields plus label fields), one dict each.

    `split` is "tune" (labels.jsonl), a held-out set's name ("heldout", "heldout2",
    "heldout3"), "dev" (every set the rules were written on) or "all"; an explicit
    `labels_path` overrides it.
    """
    dev_dir = Path(dev_dir) if dev_dir is not None else default_dev_dir()
    if labels_path is not None:
        label_files = [Path(labels_path)]
        labels = read_labels(label_files[0])
    else:
        labels = split_labels(split)
        label_files = list(SPLITS[split])
    if not dev_dir.is_dir():
        missing = [lab["id"] for lab in labels]
        raise FileNotFoundError(_missing_message(dev_dir, missing, label_files))
    missing = [lab["id"] for lab in labels if not (dev_dir / f"{lab['id']}.json").is_file()]
    if missing:
        raise FileNotFoundError(_missing_message(dev_dir, missing, label_files))
    joined = []
    for label in labels:
        report = json.loads((dev_dir / f"{label['id']}.json").read_text(encoding="utf-8"))
        for field in SHARED_FIELDS:
            if report.get(field) != label[field]:
                raise ValueError(f"report {label['id']}: {field} differs from its label")
        if headline_digest(report.get("headline", "")) != label["headline_sha1"]:
            raise ValueError(f"report {label['id']}: headline differs from its label")
        joined.append({**report, **label})
    return joined


def report_text(report: dict) -> str:
    """Headline, subheadline and paragraphs as one text (no dateline or byline)."""
    parts = [report["headline"], report.get("subheadline", ""), *report["paragraphs"]]
    return "\n".join(part for part in parts if part)


def check(report: dict) -> list[str]:
    """Label problems a reader can verify from the text alone (empty when consistent)."""
    problems = []
    text = report_text(report)
    if report["meeting_type"] not in MEETING_TYPES:
        problems.append(f"unknown meeting_type {report['meeting_type']}")
    unknown = set(report["meeting_types"]) - set(MEETING_TYPES)
    if unknown:
        problems.append(f"unknown meeting_types {sorted(unknown)}")
    if report["meeting_type"] not in report["meeting_types"]:
        problems.append("meeting_type not among meeting_types")
    missing = [p for p in report["persons"] if p not in text]
    problems += [f"person not in text: {p}" for p in missing]
    firsts = [text.index(p) for p in report["persons"] if p not in missing]
    if firsts != sorted(firsts):
        problems.append("persons not in order of first appearance")
    credits = report["dateline"] + report["byline"]
    problems += [f"reporter not in credits: {p}" for p in report["reporters"] if p not in credits]
    if len(set(report["persons"])) != len(report["persons"]):
        problems.append("a person is listed twice")
    return problems


def summary(reports: list[dict]) -> str:
    """Counts per main meeting type, per event type, per province and per source province."""
    lines = [f"{len(reports)} reports"]
    tables = {
        "meeting_type (main)": Counter(r["meeting_type"] for r in reports),
        "meeting_types (all events)": Counter(t for r in reports for t in r["meeting_types"]),
        "province of the acting committee": Counter(r["province"] for r in reports),
        "source_province": Counter(r["source_province"] for r in reports),
    }
    for name, counts in tables.items():
        lines.append(f"\n{name}:")
        lines += [f"  {key:<12} {n:>3}" for key, n in counts.most_common()]
    persons = sum(len(r["persons"]) for r in reports)
    headless = sum(1 for r in reports if not r["headline"])
    lines.append(f"\npersons labelled: {persons}; reports without a headline: {headless}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = argv[1:]
    split = "all"
    if "--split" in args:
        at = args.index("--split")
        split = args[at + 1]
        del args[at : at + 2]
    reports = load_devset(Path(args[0]) if args else None, split=split)
    print(f"split: {split}")
    bad = {r["id"]: check(r) for r in reports}
    for rid, problems in bad.items():
        for problem in problems:
            print(f"{rid}: {problem}")
    print(summary(reports))
    return 1 if any(bad.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
