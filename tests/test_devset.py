"""The development set loader (benchmarks/devset.py) on a report composed for the test."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("devset", ROOT / "benchmarks" / "devset.py")
devset = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(devset)

REPORT = {
    "id": "001",
    "url": "http://example.org/a.html",
    "headline": "清水县政协召开十届五次常委会会议",
    "subheadline": "",
    "dateline": "本报清水讯(通讯员刘小燕)",
    "paragraphs": [
        "3月5日,县政协主席王建平主持召开十届五次常委会会议,副主席李国平、令狐明出席。",
        "会议决定,县政协十届三次会议于3月20日召开。",
    ],
    "byline": "",
}
LABEL = {
    "id": "001",
    "url": "http://example.org/a.html",
    "headline_sha1": devset.headline_digest("清水县政协召开十届五次常委会会议"),
    "source_province": "甘肃省",
    "locality": "清水县",
    "locality_parent": "天水市",
    "province": "甘肃省",
    "meeting_type": "常委会会议",
    "meeting_types": ["常委会会议"],
    "persons": ["王建平", "李国平", "令狐明"],
    "reporters": ["刘小燕"],
    "notes": "全体会议 announced only",
}
LABEL_FIELDS = set(LABEL)


def write_set(tmp_path: Path, report: dict, label: dict) -> tuple[Path, Path]:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "001.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps(label, ensure_ascii=False) + "\n", encoding="utf-8")
    return reports, labels


def test_joins_report_and_label(tmp_path):
    reports, labels = write_set(tmp_path, REPORT, LABEL)
    (joined,) = devset.load_devset(reports, labels)
    assert joined["paragraphs"] == REPORT["paragraphs"]
    assert joined["locality"] == "清水县"
    assert devset.check(joined) == []


def test_env_overrides_folder(tmp_path, monkeypatch):
    reports, labels = write_set(tmp_path, REPORT, LABEL)
    monkeypatch.setenv("CPPCC_DEV", str(reports))
    assert devset.load_devset(labels_path=labels)[0]["id"] == "001"


def test_missing_folder_says_how_to_rebuild(tmp_path):
    _, labels = write_set(tmp_path, REPORT, LABEL)
    with pytest.raises(FileNotFoundError, match="labels.jsonl.*url"):
        devset.load_devset(tmp_path / "nowhere", labels)


def test_mismatched_headline_is_refused(tmp_path):
    reports, labels = write_set(tmp_path, {**REPORT, "headline": "别的标题"}, LABEL)
    with pytest.raises(ValueError, match="headline"):
        devset.load_devset(reports, labels)


def test_check_flags_labels_the_text_does_not_support():
    bad = {**REPORT, **LABEL, "persons": ["赵六"], "reporters": ["王建平"]}
    bad["meeting_types"] = ["主席会议"]
    problems = devset.check(bad)
    assert "meeting_type not among meeting_types" in problems
    assert "reporter not in credits: 王建平" in problems
    assert "person not in text: 赵六" in problems
    swapped = {**REPORT, **LABEL, "persons": ["李国平", "王建平", "令狐明"]}
    assert devset.check(swapped) == ["persons not in order of first appearance"]


def test_committed_labels_are_well_formed():
    labels = devset.read_labels()
    assert labels, "labels.jsonl is empty"
    assert [lab["id"] for lab in labels] == [f"{i:03d}" for i in range(1, len(labels) + 1)]
    assert len({lab["url"] for lab in labels}) == len(labels)
    for lab in labels:
        assert set(lab) == LABEL_FIELDS, lab["id"]
        assert lab["meeting_type"] in lab["meeting_types"], lab["id"]
        assert set(lab["meeting_types"]) <= set(devset.MEETING_TYPES), lab["id"]
        assert lab["locality"] and lab["province"], lab["id"]


def test_labels_agree_with_texts_when_present():
    if not devset.default_dev_dir().is_dir():
        pytest.skip("development set texts (dev/reports) not present")
    problems = {r["id"]: devset.check(r) for r in devset.load_devset(split="all")}
    assert {k: v for k, v in problems.items() if v} == {}


def test_split_picks_the_label_files(tmp_path, monkeypatch):
    reports, tune = write_set(tmp_path, REPORT, LABEL)
    second = {**REPORT, "id": "002", "url": "http://example.org/b.html"}
    (reports / "002.json").write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
    heldout = tmp_path / "heldout.jsonl"
    label = {**LABEL, "id": "002", "url": second["url"]}
    heldout.write_text(json.dumps(label, ensure_ascii=False) + "\n", encoding="utf-8")
    splits = {"tune": (tune,), "heldout": (heldout,), "all": (tune, heldout)}
    monkeypatch.setattr(devset, "SPLITS", splits)
    ids = {split: [r["id"] for r in devset.load_devset(reports, split=split)] for split in splits}
    assert ids == {"tune": ["001"], "heldout": ["002"], "all": ["001", "002"]}
    assert [r["id"] for r in devset.load_devset(reports)] == ["001", "002"]
    with pytest.raises(ValueError, match="split"):
        devset.load_devset(reports, split="test")


def test_missing_heldout_text_names_its_label_file(tmp_path, monkeypatch):
    reports, tune = write_set(tmp_path, REPORT, LABEL)
    heldout = tmp_path / "heldout.jsonl"
    label = {**LABEL, "id": "002", "url": "http://example.org/b.html"}
    heldout.write_text(json.dumps(label, ensure_ascii=False) + "\n", encoding="utf-8")
    monkeypatch.setattr(devset, "SPLITS", {"heldout": (heldout,)})
    with pytest.raises(FileNotFoundError, match="missing: 002.*heldout.jsonl"):
        devset.load_devset(reports, split="heldout")


def test_heldout_labels_are_well_formed_and_new():
    """Each held-out set continues the ids of the sets before it and reuses no url."""
    labels = devset.read_labels(devset.LABELS)
    for name, path in devset.HELDOUTS.items():
        if not path.exists():
            continue
        heldout = devset.read_labels(path)
        assert heldout, f"{name} is empty"
        first = len(labels) + 1
        assert [lab["id"] for lab in heldout] == [
            f"{i:03d}" for i in range(first, first + len(heldout))
        ], name
        labels += heldout
        for lab in heldout:
            assert set(lab) == LABEL_FIELDS, lab["id"]
            assert lab["meeting_type"] in lab["meeting_types"], lab["id"]
            assert set(lab["meeting_types"]) <= set(devset.MEETING_TYPES), lab["id"]
            assert lab["locality"] and lab["province"], lab["id"]
    urls = [lab["url"] for lab in labels]
    assert len(set(urls)) == len(urls), "a held-out report reuses a url"
    assert len(labels) >= 661


def test_a_split_not_yet_collected_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(devset, "SPLITS", {"later": (tmp_path / "later.jsonl",)})
    with pytest.raises(FileNotFoundError, match="'later' has no labels yet"):
        devset.split_labels("later")
