"""Score the tagger on the development set of real reports (benchmarks/devset).

Usage: python benchmarks/tags.py [--split dev|heldout10|tune|heldout|heldout2…heldout9|all]
                                 [--labels labels.jsonl] [--dev dev/reports] [--errors]

Each report becomes an ``Article`` as the splitter would hand it over (headline, subheadline,
body, the dateline's place, the credited reporters read from the dateline and byline) and is
tagged with the report's own province as home (the province a newspaper covers is a setting).
Printed per field: locality and province accuracy, main meeting type (``meeting_type``)
accuracy, meeting types P/R/F1, persons P/R/F1, and jieba.posseg's persons (nr) as a baseline;
over all reports, over the ones used while writing rules ("seen") and over the last
``HELD_OUT`` ids, kept unseen as a check of generality. ``--split dev`` scores every set the
rules were written on (tune and heldout to heldout9: 601 reports); ``--split heldout10`` the set
collected after them (run it once, and change no rule after reading its numbers); those two
are kept in ``benchmarks/accuracy.json`` for the notebooks. With the texts missing it says so
and exits 0.
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devset import SPLITS, default_dev_dir, load_devset  # noqa: E402

# The last ids are kept unseen while writing rules: their numbers say how the rules generalise.
HELD_OUT = 20
# The splits whose numbers the notebooks quote: the reports the rules were written on, and the
# reports collected after them.
KEPT = {"dev": "开发集：写规则时用过", "heldout10": "留出集：规则写完后才收集"}

_DATELINE_PLACE = re.compile(
    r"^\s*本\s*报\s*(?P<place>[\u4e00-\u9fff]{1,8}?)\s*(?:\d{1,2}\s*月\s*\d{1,2}\s*日\s*)?[讯电]"
)
_CREDIT_ROLE = re.compile(r"(?:本报|特约|见习)?(?:记者|通讯员|实习生|摄影记者|摄影|图/|文/)")
_CREDIT_PARENS = re.compile(r"[（(]([^（）()]{1,40})[）)]")


def credited_names(*credits: str) -> list[str]:
    """Names in a dateline or byline credit (本报兰州讯(记者王 钊) → 王 钊, 王钊)."""
    names = []
    for credit in credits:
        inner = _CREDIT_PARENS.findall(credit) or [credit]
        for part in inner:
            part = _CREDIT_ROLE.sub("，", part)
            for name in re.split(r"[，,、；;\s]{1,}(?=\S{2})|[，,、；;]", part):
                name = name.strip()
                if 2 <= len(name.replace(" ", "")) <= 4:
                    names += [name, name.replace(" ", "")]
    return names


def to_article(report: dict):
    """The report as the splitter's ``Article``."""
    from helpers.split import Article

    m = _DATELINE_PLACE.match(report["dateline"])
    return Article(
        kind="article",
        headline=report["headline"],
        subheadline=report.get("subheadline", ""),
        body="\n".join(report["paragraphs"]),
        dateline=report["dateline"],
        byline=report["byline"],
        reporters=credited_names(report["dateline"], report["byline"]),
        dateline_place=m["place"] if m else "",
    )


@cache
def tagger_for(province: str):
    """A tagger whose home province is the report's (one per province)."""
    from helpers.tag import Tagger

    return Tagger(home_province=province)


def jieba_persons(text: str) -> list[str]:
    """jieba.posseg's nr words, in order, each once (the baseline)."""
    import jieba.posseg

    return list(dict.fromkeys(w for w, flag in jieba.posseg.cut(text) if flag == "nr"))


def prf(gold: list[set], pred: list[set]) -> tuple[float, float, float]:
    """Micro precision, recall and F1 over reports."""
    tp = sum(len(g & p) for g, p in zip(gold, pred, strict=True))
    fp = sum(len(p - g) for g, p in zip(gold, pred, strict=True))
    fn = sum(len(g - p) for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def names_locality(report: dict) -> bool:
    """Does the report's text (or dateline) name its committee's place in some form? Where it
    does not, the labeller took the place from the web site, which the tagger never sees."""
    from devset import report_text

    from helpers.gazetteer import aliases, short_form

    name = report["locality"]
    forms = [name, short_form(name), *aliases(name)]
    text = report["dateline"] + report_text(report)
    return any(form and form in text for form in forms)


def predict(report: dict) -> dict:
    """The tagger's answers for one report, and the baseline's persons."""
    from devset import report_text

    tags = tagger_for(report["source_province"]).tag(to_article(report))
    return {
        "locality": tags.locality,
        "province": tags.province,
        "meeting_type": tags.meeting_type,
        "meeting_types": [t for t in tags.meeting_types],
        "persons": tags.persons,
        "jieba_persons": jieba_persons(report_text(report)),
        "evidence": tags.meeting_evidence,
    }


def scores(reports: list[dict], preds: list[dict]) -> dict[str, tuple]:
    """Every field's numbers for a group of reports."""
    n = len(reports) or 1

    def accuracy(key: str) -> float:
        return sum(r[key] == p[key] for r, p in zip(reports, preds, strict=True)) / n

    def sets(key: str, pred_key: str | None = None) -> tuple:
        gold = [set(r[key]) for r in reports]
        return prf(gold, [set(p[pred_key or key]) for p in preds])

    named = [k for k, r in enumerate(reports) if names_locality(r)]
    in_text = sum(reports[k]["locality"] == preds[k]["locality"] for k in named)
    return {
        "locality": (accuracy("locality"),),
        f"  named ({len(named)})": (in_text / (len(named) or 1),),
        "province": (accuracy("province"),),
        "meeting_type": (accuracy("meeting_type"),),
        "meeting_types": sets("meeting_types"),
        "persons": sets("persons"),
        "persons (jieba nr)": sets("persons", "jieba_persons"),
    }


def keep(split: str, table: dict[str, tuple], count: int) -> None:
    """The headline numbers, for the notebooks' closing section (benchmarks/accuracy.json)."""
    from accuracy import record

    which = KEPT[split]
    p, _, f1 = table["meeting_types"]
    record(
        f"tags-{split}",
        [
            (
                f"标注准确率（{which}，{count} 篇真实报道）",
                f"地区 {table['locality'][0]:.0%}，主要会议类型 {table['meeting_type'][0]:.0%}，"
                f"会议类型 P {p:.2f} / F1 {f1:.2f}，人物 F1 {table['persons'][2]:.2f}",
            )
        ],
    )


def print_scores(name: str, table: dict[str, tuple], count: int) -> None:
    print(f"\n{name} ({count} reports)")
    print(f"{'field':<20}{'acc/P':>8}{'R':>8}{'F1':>8}")
    for field, numbers in table.items():
        print(f"{field:<20}" + "".join(f"{x:>8.3f}" for x in numbers))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--split",
        choices=tuple(SPLITS),
        default="dev",
        help="dev: every set the rules were written on; heldout10: the set collected after "
        "them; tune, heldout, heldout2…heldout9: one set each (tune keeps its last ids "
        "unseen)",
    )
    parser.add_argument("--labels", type=Path, default=None, help="labels (overrides --split)")
    parser.add_argument("--dev", type=Path, default=None)
    parser.add_argument("--errors", action="store_true", help="print the seen reports' misses")
    args = parser.parse_args(argv)
    try:
        reports = load_devset(args.dev or default_dev_dir(), args.labels, split=args.split)
    except FileNotFoundError as err:
        print(f"no development set to score: {err}")
        return 0
    import jieba

    jieba.setLogLevel(60)
    preds = [predict(r) for r in reports]
    ids = sorted(r["id"] for r in reports)
    # the last ids of the tuning set were kept unseen; a held-out set is unseen as a whole
    tuning = args.split == "tune" and args.labels is None
    held = set(ids[-HELD_OUT:]) if tuning and len(ids) > HELD_OUT else set()
    groups = {
        args.split if args.labels is None else "all": list(range(len(reports))),
        "seen": [i for i, r in enumerate(reports) if r["id"] not in held] if held else [],
        f"held out (last {len(held)} ids)": [i for i, r in enumerate(reports) if r["id"] in held],
    }
    for name, idx in groups.items():
        if idx:
            table = scores([reports[i] for i in idx], [preds[i] for i in idx])
            print_scores(name, table, len(idx))
    if args.labels is None and args.split in KEPT:
        keep(args.split, scores(reports, preds), len(reports))
    if args.errors:  # never the tuning set's unseen ids: they stay a check of generality
        for i in groups["seen"] or groups[next(iter(groups))]:
            report, pred = reports[i], preds[i]
            for key in ("locality", "meeting_type"):
                if report[key] != pred[key]:
                    print(f"{report['id']} {key}: gold {report[key]} got {pred[key]}")
            for key in ("meeting_types", "persons"):
                gold, got = set(report[key]), set(pred[key])
                if gold != got:
                    print(
                        f"{report['id']} {key}: missed {sorted(gold - got)} "
                        f"extra {sorted(got - gold)}"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
