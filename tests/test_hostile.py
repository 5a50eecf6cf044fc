"""Hostile and unlucky input: every bad entry in seeds/ ends in a clear reason, every damaged
cache file heals, random bytes never raise, concurrent loads and killed builds leave no mess.

The pages here are composed for the tests in the paper's style (no published text)."""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings
from pathlib import Path

import opencc
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import helpers.corpus as corpus
from helpers import load_corpus, mentions, read_page
from helpers.read import MAX_PAGE_BYTES

SRC = Path(corpus.__file__).resolve().parents[1]

PAGE = """本报临洮讯（通讯员王立新）10月12

日，临洮县政协召开十届二十次常委会

议，听取县政府关于农村饮水安全工作

情况的通报，围绕提升供水保障能力协

商议政。

县政协主席李建华主持会议并讲话。

他强调，要坚持问题导向，深入乡镇村

社开展调研，形成有分量的意见建议，

助推民生实事落地见效。（张国强）

临洮县政协召开常委会议

本报康乐讯（通讯员马晓燕）10月15

日，康乐县政协组织部分委员赴景古镇

视察乡村振兴重点项目建设情况。

委员们实地察看了中药材种植基地和

农产品加工车间，详细了解项目进展、

带动群众增收等情况。大家认为，项目

建设有序推进，成效初步显现。

康乐县政协视察乡村振兴项目
"""
GOOD = "2024-10-18_p2.txt"
# other counties of the same prefecture, to make pages that differ
COUNTIES = ["渭源", "漳县", "岷县", "陇西", "通渭"]


def variant(n: int) -> str:
    """The composed page with its first county replaced: a different page, same shape."""
    return PAGE.replace("临洮", COUNTIES[n])


@pytest.fixture(scope="module")
def parsed_pages(tmp_path_factory) -> Path:
    """A cache whose page files hold the good page, so each case parses only its own file."""
    seeds = tmp_path_factory.mktemp("base-seeds")
    (seeds / GOOD).write_text(PAGE, encoding="utf-8")
    cache = tmp_path_factory.mktemp("base-cache")
    load_corpus(seeds, cache_dir=cache)
    return cache / "pages"


@pytest.fixture()
def folders(tmp_path, parsed_pages) -> tuple[Path, Path]:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / GOOD).write_text(PAGE, encoding="utf-8")
    cache = tmp_path / "cache"
    shutil.copytree(parsed_pages, cache / "pages")
    return seeds, cache


def load(seeds: Path, cache: Path) -> tuple[pd.DataFrame, list[str]]:
    """load_corpus, with the warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = load_corpus(seeds, cache_dir=cache)
    return df, [str(w.message) for w in caught]


# --------------------------------------------------------------------------- bad entries


def _mkdir(seeds: Path) -> None:
    (seeds / "x.txt").mkdir()


def _dir_link(seeds: Path) -> None:
    target = seeds.parent / "elsewhere"
    target.mkdir()
    (seeds / "x.txt").symlink_to(target, target_is_directory=True)


def _broken_link(seeds: Path) -> None:
    (seeds / "x.txt").symlink_to(seeds.parent / "no-such-file.txt")


def _fifo(seeds: Path) -> None:
    os.mkfifo(seeds / "x.txt")


def _huge(seeds: Path) -> None:
    line = ("政协委员围绕乡村振兴建言献策。" * 20 + "\n").encode("utf-8")
    (seeds / "x.txt").write_bytes(line * (MAX_PAGE_BYTES // len(line) + 1))


def _binary(seeds: Path) -> None:
    (seeds / "x.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def _csv(seeds: Path) -> None:
    (seeds / "x.txt").write_bytes(b"id,name,value\n1,alpha,3\n2,beta,4\n" * 20)


def _contents(seeds: Path) -> None:
    (seeds / "x.txt").write_text("目录\n\n要闻\n\n视察调研\n\n委员风采\n\n" * 10, encoding="utf-8")


def _garbage_in_many_bytes(seeds: Path) -> None:
    (seeds / "x.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)


def _pdf_without_support(seeds: Path) -> None:
    (seeds / "x.PDF").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    sys.modules["helpers.pdf"] = None  # type: ignore[assignment]  # import fails


def _scanned_pdf(seeds: Path) -> None:
    import types

    from helpers.read import PageError

    def pdf_pages(path):
        raise PageError("a scanned PDF: no text layer")

    (seeds / "x.pdf").write_bytes(b"%PDF-1.7\n")
    sys.modules["helpers.pdf"] = types.SimpleNamespace(pdf_pages=pdf_pages)


BAD_ENTRIES = [
    ("empty", lambda s: (s / "x.txt").write_bytes(b""), "x.txt", "empty file"),
    ("blank", lambda s: (s / "x.txt").write_bytes(b" \n\n \r\n"), "x.txt", "empty file"),
    ("folder named x.txt", _mkdir, "x.txt", "a folder, not a page file"),
    ("link to a folder", _dir_link, "x.txt", "a folder, not a page file"),
    ("broken link", _broken_link, "x.txt", "a broken link"),
    ("named pipe", _fifo, "x.txt", "not a regular file (a pipe, socket or device)"),
    (
        "over the size limit",
        _huge,
        "x.txt",
        f"not a newspaper page: {MAX_PAGE_BYTES / 2**20:.1f} MB, more than a page holds "
        f"(limit {MAX_PAGE_BYTES / 2**20:g} MB)",
    ),
    ("binary", _binary, "x.txt", "binary file (NUL bytes), not a text page"),
    ("csv", _csv, "x.txt", "not a newspaper page: 0 Chinese characters of 600 visible"),
    ("contents page", _contents, "x.txt", "no articles found on the page"),
    ("high bytes", _garbage_in_many_bytes, "x.txt", "not text in any encoding"),
    ("PDF, no helpers.pdf", _pdf_without_support, "x.PDF", "PDF support not installed"),
    ("scanned PDF", _scanned_pdf, "x.pdf", "a scanned PDF: no text layer"),
]


@pytest.mark.parametrize(
    ("make", "name", "reason"),
    [case[1:] for case in BAD_ENTRIES],
    ids=[case[0] for case in BAD_ENTRIES],
)
def test_a_bad_entry_is_skipped_with_its_reason(folders, monkeypatch, make, name, reason):
    seeds, cache = folders
    monkeypatch.setitem(sys.modules, "helpers.pdf", sys.modules.get("helpers.pdf"))
    make(seeds)
    df, said = load(seeds, cache)
    assert sorted(df["issue"].unique()) == [Path(GOOD).stem]  # the rest loads
    assert [s["file"] for s in df.attrs["skipped"]] == [str(seeds / name)]
    assert df.attrs["skipped"][0]["reason"].startswith(reason)
    assert any(str(seeds / name) in w and reason in w for w in said)
    assert df.attrs["changes"]["skipped"] == [name]
    assert len(mentions(df)) > 0


def test_an_unreadable_file_is_skipped(folders, monkeypatch):
    seeds, cache = folders
    (seeds / "x.txt").write_text(variant(0), encoding="utf-8")
    real = corpus._read_bytes

    def refuse(path):
        if path.name == "x.txt":  # as root, chmod 000 does not stop a read: say it did
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(corpus, "_read_bytes", refuse)
    df, _ = load(seeds, cache)
    assert df.attrs["skipped"] == [
        {"file": str(seeds / "x.txt"), "reason": "cannot read file (Permission denied)"}
    ]


# --------------------------------------------------------------------------- odd files that load


def _headlines(df: pd.DataFrame, issue: str) -> list[str]:
    return df.loc[df["issue"] == issue, "headline"].tolist()


def test_upper_case_suffix_is_read(folders):
    seeds, cache = folders
    (seeds / "2024-10-25_p1.TXT").write_text(variant(1), encoding="utf-8")
    df, _ = load(seeds, cache)
    assert _headlines(df, "2024-10-25_p1")[0] == "漳县县政协召开常委会议"
    assert df.loc[df["issue"] == "2024-10-25_p1", "page"].iloc[0] == 1


def test_same_name_in_a_subfolder_is_a_page_of_its_own(folders):
    seeds, cache = folders
    (seeds / "more").mkdir()
    (seeds / "more" / GOOD).write_text(variant(2), encoding="utf-8")
    df, _ = load(seeds, cache)
    issues = sorted(df["issue"].unique())
    assert issues == ["2024-10-18_p2", "more/2024-10-18_p2"]
    sub = df[df["issue"] == "more/2024-10-18_p2"]
    assert sub["source"].unique().tolist() == [str(seeds / "more" / GOOD)]
    assert "岷县" in sub["headline"].iloc[0]
    assert sub["issue_date"].iloc[0] == pd.Timestamp("2024-10-18")
    table = mentions(df)
    assert len(table) > 0 and set(table["issue"]) == set(issues)


def test_the_same_page_twice_counts_once(folders):
    seeds, cache = folders
    # the same text in another encoding, with other line breaks: a duplicate all the same
    (seeds / "copy.txt").write_bytes(PAGE.replace("\n\n", "\r\n").encode("gb18030"))
    df, said = load(seeds, cache)
    assert df["issue"].unique().tolist() == [Path(GOOD).stem]
    assert df.attrs["duplicates"] == [
        {"file": str(seeds / "copy.txt"), "same_as": str(seeds / GOOD)}
    ]
    assert df.attrs["changes"]["duplicates"] == ["copy.txt"]
    assert any("copy.txt" in w and "counted once" in w for w in said)


def test_a_pdf_and_its_text_count_once_and_pages_are_named(folders, monkeypatch):
    import types

    seeds, cache = folders
    pages = [types.SimpleNamespace(number=n, text=variant(n), boxes=[]) for n in (1, 2)]
    pages.append(types.SimpleNamespace(number=3, text="", boxes=[]))  # a scanned page
    monkeypatch.setitem(
        sys.modules, "helpers.pdf", types.SimpleNamespace(pdf_pages=lambda path: pages)
    )
    (seeds / "2024-11-01.pdf").write_bytes(b"%PDF-1.7\n")
    (seeds / "2024-11-01_p2.txt").write_text(variant(2), encoding="utf-8")  # pdf2txt of p. 2
    with (
        cf.ThreadPoolExecutor(1) as pool,  # three small pages: no need for a process pool
        pytest.warns(UserWarning) as caught,
    ):
        df = load_corpus(seeds, cache_dir=cache, executor=pool)
    said = [str(w.message) for w in caught]
    assert any(re.search(r"2024-11-01_p2.txt: the same text as .*counted once", w) for w in said)
    assert any(w.endswith(".pdf#page=3: no text on this PDF page (a scan?)") for w in said)
    pdf = str(seeds / "2024-11-01.pdf")
    by_issue = df.groupby("issue")["source"].first().to_dict()
    # the PDF's page 2 and the text file share a name and a text: one page under that name
    assert by_issue == {
        "2024-10-18_p2": str(seeds / GOOD),
        "2024-11-01_p1": f"{pdf}#page=1",
        "2024-11-01_p2": f"{pdf}#page=2",
    }
    assert df.loc[df["issue"] == "2024-11-01_p2", "page"].tolist() == [2, 2]
    assert df.attrs["duplicates"] == [
        {"file": str(seeds / "2024-11-01_p2.txt"), "same_as": f"{pdf}#page=2"}
    ]
    assert df.attrs["skipped"] == [
        {"file": f"{pdf}#page=3", "reason": "no text on this PDF page (a scan?)"}
    ]
    assert read_page(f"{pdf}#page=2") == variant(2)  # what notebooks show beside a row


def _with_bad_bytes(text: str) -> tuple[bytes, int]:
    """The page as UTF-8 with two bytes no UTF-8 text has, and where they start."""
    data = text.encode("utf-8")
    cut = data.index("视察".encode())  # a character boundary
    return data[:cut] + b"\xff\xfe" + data[cut:], cut


ODD_PAGES = [
    # (name, bytes, script, a warning that must be given)
    ("utf-16 with BOM", variant(3).encode("utf-16"), "simplified", None),
    ("utf-16le, no BOM", variant(3).encode("utf-16-le"), "simplified", None),
    ("utf-16be, no BOM", variant(3).encode("utf-16-be"), "simplified", None),
    ("gb18030", variant(3).encode("gb18030"), "simplified", None),
    (
        "big5",
        opencc.OpenCC("s2tw").convert(variant(3)).encode("big5"),
        "traditional",
        "Traditional characters converted",
    ),
    (
        "traditional utf-8",
        opencc.OpenCC("s2t").convert(variant(3)).encode("utf-8"),
        "traditional",
        "Traditional characters converted",
    ),
    (
        "bad bytes",
        _with_bad_bytes(variant(3))[0],
        "simplified",
        "2 undecodable utf-8 bytes replaced by \ufffd (at byte "
        f"{_with_bad_bytes(variant(3))[1]}, {_with_bad_bytes(variant(3))[1] + 1})",
    ),
    (
        "NUL bytes",
        variant(3).encode("utf-8").replace("。".encode(), "。".encode() + b"\x00", 3),
        "simplified",
        "3 NUL bytes dropped",
    ),
]


@pytest.mark.parametrize(
    ("data", "script", "warning"), [c[1:] for c in ODD_PAGES], ids=[c[0] for c in ODD_PAGES]
)
def test_encodings_and_damaged_text_load(folders, data, script, warning):
    seeds, cache = folders
    (seeds / "2024-10-25_p4.txt").write_bytes(data)
    df, said = load(seeds, cache)
    rows = df[df["issue"] == "2024-10-25_p4"]
    assert rows["headline"].tolist() == ["陇西县政协召开常委会议", "康乐县政协视察乡村振兴项目"]
    assert rows["locality"].tolist() == ["陇西县", "康乐县"]
    assert set(rows["script"]) == {script}
    assert df.attrs["skipped"] == []
    if warning:
        assert any(str(seeds / "2024-10-25_p4.txt") in w and warning in w for w in said), said


def test_an_impossible_date_in_a_name_warns_and_loads_undated(folders):
    seeds, cache = folders
    (seeds / "2023-13-45_p0.txt").write_text(variant(4), encoding="utf-8")
    df, said = load(seeds, cache)
    rows = df[df["issue"] == "2023-13-45_p0"]
    assert len(rows) == 2 and rows["issue_date"].isna().all()
    assert any("2023-13-45_p0.txt" in w and "no such date as 2023-13-45" in w for w in said)


def test_an_empty_folder_gives_an_empty_table_with_the_columns(tmp_path, folders):
    seeds, cache = folders
    full, _ = load(seeds, cache)
    empty = tmp_path / "empty"
    empty.mkdir()
    df, said = load(empty, tmp_path / "empty-cache")
    assert df.empty and list(df.columns) == list(full.columns)
    assert df.dtypes.to_dict() == full.dtypes.to_dict()
    assert any("no page files" in w and str(empty) in w for w in said)
    assert mentions(df).empty


def test_changes_since_the_last_load(folders):
    seeds, cache = folders
    (seeds / "2024-10-25_p1.txt").write_text(variant(1), encoding="utf-8")
    first, _ = load(seeds, cache)
    assert first.attrs["changes"]["new"] == [GOOD, "2024-10-25_p1.txt"]
    (seeds / "2024-10-25_p1.txt").unlink()
    (seeds / GOOD).write_text(variant(2), encoding="utf-8")
    (seeds / "2024-10-26_p1.txt").write_text(variant(3), encoding="utf-8")
    second, _ = load(seeds, cache)
    assert second.attrs["changes"] == {
        "new": ["2024-10-26_p1.txt"],
        "changed": [GOOD],
        "removed": ["2024-10-25_p1.txt"],
        "skipped": [],
        "duplicates": [],
    }
    third, _ = load(seeds, cache)
    assert third.attrs["changes"]["new"] == third.attrs["changes"]["changed"] == []


# --------------------------------------------------------------------------- damaged cache


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(b ^ 0xFF for b in data[middle : middle + 64])
    path.write_bytes(bytes(data))


def _part(cache: Path) -> Path:
    return next((cache / "details").glob("part-*.arrow"))


def _page_file(cache: Path) -> Path:
    (cache / "corpus.json").unlink()  # so the table is rebuilt from the page files
    return sorted((cache / "pages").glob("*.json"))[0]


CACHE_FAULTS = [
    ("corpus.json truncated", lambda c: c / "corpus.json", _truncate),
    ("corpus.json garbled", lambda c: c / "corpus.json", _garble),
    ("corpus.json empty", lambda c: c / "corpus.json", lambda p: p.write_bytes(b"")),
    ("corpus.parquet truncated", lambda c: c / "corpus.parquet", _truncate),
    ("corpus.parquet garbled", lambda c: c / "corpus.parquet", _garble),
    ("corpus.parquet deleted", lambda c: c / "corpus.parquet", Path.unlink),
    ("details part truncated", _part, _truncate),
    ("details part garbled", _part, _garble),
    ("details part deleted", _part, Path.unlink),
    ("page file garbled", _page_file, _garble),
    ("page file truncated", _page_file, _truncate),
]


@pytest.mark.parametrize(
    ("target", "damage"), [c[1:] for c in CACHE_FAULTS], ids=[c[0] for c in CACHE_FAULTS]
)
def test_a_damaged_cache_heals(folders, target, damage):
    seeds, cache = folders
    (seeds / "2024-10-25_p1.txt").write_text(variant(1), encoding="utf-8")
    clean, _ = load(seeds, cache)
    clean_mentions = mentions(clean)
    corpus._LAST.clear()  # as a new process would: read the files
    path = target(cache)
    damage(path)
    healed, said = load(seeds, cache)
    pd.testing.assert_frame_equal(healed, clean)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pd.testing.assert_frame_equal(mentions(healed), clean_mentions)
    said += [str(w.message) for w in caught]
    assert any(str(path) in w for w in said), said
    corpus._LAST.clear()
    again, said = load(seeds, cache)  # healed for good: no more warnings
    pd.testing.assert_frame_equal(again, clean)
    assert said == []


def test_a_table_loaded_before_two_later_builds_still_finds_its_mentions(folders):
    seeds, cache = folders
    old, _ = load(seeds, cache)
    expected = mentions(old)
    for n in (1, 2, 3):  # each build appends a part and drops the parts of two builds ago
        (seeds / f"2024-10-2{n}_p1.txt").write_text(variant(n), encoding="utf-8")
        load(seeds, cache)
        corpus._LAST.clear()
    pd.testing.assert_frame_equal(mentions(old), expected)


# --------------------------------------------------------------------------- random input

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PAGE_TEXT = st.text(
    alphabet=st.one_of(CJK, st.sampled_from("，。、：（）“”《》\n 0123456789")), max_size=400
)
ANY_FILE = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    PAGE_TEXT.map(lambda t: t.encode("utf-8")),
    PAGE_TEXT.map(lambda t: t.encode("gb18030")),
    PAGE_TEXT.map(lambda t: t.encode("utf-16")),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(ANY_FILE, min_size=1, max_size=2))  # two parse in this process
def test_random_files_never_raise(files):
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        for n, data in enumerate(files):
            (seeds / f"2024-01-0{n + 1}_p{n + 1}.txt").write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = load_corpus(seeds, cache_dir=Path(tmp) / "cache")
        loaded = {p["source"] for p in df.attrs["pages"]}
        skipped = {s["file"] for s in df.attrs["skipped"]}
        repeated = {d["file"] for d in df.attrs["duplicates"]}
        assert len(loaded) + len(skipped) + len(repeated) == len(files)
        assert all(s["reason"] for s in df.attrs["skipped"])
        assert set(df["source"]) <= loaded


# --------------------------------------------------------------------------- processes

LOADER = textwrap.dedent(
    """
    import json, sys, warnings
    warnings.simplefilter("ignore")
    import helpers
    df = helpers.load_corpus(sys.argv[1], cache_dir=sys.argv[2])
    table = helpers.mentions(df)
    print(json.dumps({"rows": len(df), "issues": sorted(set(df["issue"])),
                      "mentions": len(table)}))
    """
)


def _run_together(seeds: Path, cache: Path, n: int = 2) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", LOADER, str(seeds), str(cache)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(n)
    ]
    outs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outs.append(json.loads(out))
    return outs


@pytest.mark.slow  # two new processes: 4–9 s here
def test_two_processes_loading_at_once_both_get_the_full_table(folders):
    seeds, cache = folders
    load(seeds, cache)
    (seeds / "2024-10-25_p1.txt").write_text(variant(1), encoding="utf-8")
    expected, _ = load(seeds, seeds.parent / "fresh")
    want = {
        "rows": len(expected),
        "issues": sorted(set(expected["issue"])),
        "mentions": len(mentions(expected)),
    }
    assert _run_together(seeds, cache) == [want, want]


@pytest.mark.slow
def test_concurrent_loads_repeatedly(folders):
    seeds, cache = folders
    for n in range(1, 5):
        (seeds / f"2024-10-2{n}_p1.txt").write_text(variant(n), encoding="utf-8")
        outs = _run_together(seeds, cache, n=3)
        assert outs[0] == outs[1] == outs[2] and len(outs[0]["issues"]) == n + 1


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


BUILDER = textwrap.dedent(
    """
    import sys
    import helpers
    if __name__ == "__main__":
        print("building", flush=True)
        helpers.load_corpus(sys.argv[1], cache_dir=sys.argv[2])
        print("done", flush=True)
    """
)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_their_owner_is_killed(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n in range(40):  # enough work that the build is still running when it is killed
        text = variant(n % len(COUNTIES)).replace("10月12", f"{n % 9 + 1}月12")
        (seeds / f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}_p{n}.txt").write_text(
            text * 6, encoding="utf-8"
        )
    script = tmp_path / "build.py"  # a file, so the pool uses the forkserver
    script.write_text(BUILDER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(seeds), str(tmp_path / "cache")],
        stdout=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout.readline() == b"building\n"
    deadline = time.monotonic() + 60
    family: set[int] = set()
    while time.monotonic() < deadline and len(family) < 4:  # tracker, server, 2 workers
        family |= _descendants(proc.pid)
        time.sleep(0.2)
    assert len(family) >= 3, "no worker pool started"
    time.sleep(1)  # workers busy parsing
    family |= _descendants(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(p) for p in family):
        time.sleep(0.2)
    assert not [p for p in family if _alive(p)]
    # nothing holds the killed build's stdout open any more: a pipeline reading it ends
    ready, _, _ = select.select([proc.stdout], [], [], 10)
    assert ready and proc.stdout.read() is not None
    proc.stdout.close()


def test_a_moved_folder_and_cache_give_sources_in_the_new_place(folders, tmp_path):
    seeds, cache = folders
    load(seeds, cache)
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.move(seeds, moved / "seeds")
    shutil.move(cache, moved / "cache")
    corpus._LAST.clear()
    df, _ = load(moved / "seeds", moved / "cache")
    assert df.attrs["parsed"] == []  # from the cache
    assert set(df["source"]) == {str(moved / "seeds" / GOOD)}


def test_a_page_the_parser_fails_on_is_skipped(folders, monkeypatch):
    seeds, cache = folders
    (seeds / "x.txt").write_text(variant(1), encoding="utf-8")
    real = corpus.parse_page

    def fragile(text, source=""):
        if "漳县" in text:
            raise IndexError("list index out of range")
        return real(text, source)

    monkeypatch.setattr(corpus, "parse_page", fragile)
    with (
        cf.ThreadPoolExecutor(1) as pool,  # in this process, where the patch is
        pytest.warns(UserWarning, match="x.txt: the parser failed on this page"),
    ):
        df = load_corpus(seeds, cache_dir=cache, executor=pool)
    assert df["issue"].unique().tolist() == [Path(GOOD).stem]
    assert df.attrs["skipped"] == [
        {
            "file": str(seeds / "x.txt"),
            "reason": "the parser failed on this page (IndexError: list index out of range)",
        }
    ]


def test_odd_names_and_a_cache_path_that_is_a_file(folders, tmp_path):
    seeds, cache = folders
    (seeds / "bom-only.txt").write_bytes(b"\xef\xbb\xbf\r\n\r\n")
    bad_name = os.fsdecode(b"\xff\xfe-page.txt")
    (seeds / bad_name).write_text(variant(1), encoding="utf-8")
    (seeds / "line\nbreak.txt").write_text(variant(2), encoding="utf-8")
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("not a folder")
    with pytest.warns(UserWarning) as caught, cf.ThreadPoolExecutor(1) as pool:
        df = load_corpus(seeds, cache_dir=not_a_folder, executor=pool)
    said = [str(w.message) for w in caught]
    assert any(w.startswith("cannot use the cache folder") for w in said)
    assert df.attrs["cache"]["folder"] != str(not_a_folder)
    assert sorted(df["issue"].unique()) == [Path(GOOD).stem, "line\nbreak"]
    reasons = {s["file"].rsplit("/", 1)[-1]: s["reason"] for s in df.attrs["skipped"]}
    assert reasons == {
        "bom-only.txt": "empty file",
        "\\xff\\xfe-page.txt": "the file name is not UTF-8: rename it",
    }
    assert len(mentions(df)) > 0
    shutil.rmtree(df.attrs["cache"]["folder"])


@pytest.mark.parametrize(
    "spoil",
    [
        lambda c: (c / "corpus.json").unlink() or (c / "corpus.json").mkdir(),
        lambda c: shutil.rmtree(c / "pages") or (c / "pages").write_text("not a folder"),
        lambda c: shutil.rmtree(c / "details") or (c / "details").write_text("not a folder"),
    ],
    ids=["corpus.json a folder", "pages a file", "details a file"],
)
def test_a_cache_with_folders_and_files_swapped_still_loads(folders, spoil):
    seeds, cache = folders
    clean, _ = load(seeds, cache)
    corpus._LAST.clear()
    spoil(cache)
    (seeds / "2024-10-25_p1.txt").write_text(variant(1), encoding="utf-8")
    df, said = load(seeds, cache)
    assert sorted(df["issue"].unique()) == ["2024-10-18_p2", "2024-10-25_p1"]
    with warnings.catch_warnings(record=True):  # the old table's details may need a rebuild
        warnings.simplefilter("always")
        assert len(mentions(df)) > len(mentions(clean)) > 0
    folder = df.attrs["cache"]["folder"]
    if folder != str(cache):  # fell back to a temporary folder, and said so
        assert any(w.startswith(f"cannot use the cache folder {cache}") for w in said)
        shutil.rmtree(folder)


def test_a_page_that_kills_its_worker_is_skipped(folders, monkeypatch):
    import multiprocessing

    seeds, cache = folders
    for n in (1, 2, 3):
        (seeds / f"2024-10-2{n}_p1.txt").write_text(variant(n), encoding="utf-8")
    real = corpus._page_rows

    def deadly(data, source, issue):
        if "漳县".encode() in data:  # as if this page took all the memory
            os._exit(9)
        return real(data, source, issue)

    # forked workers inherit the patch (a forkserver's would import the module afresh)
    corpus.shutdown_workers()
    monkeypatch.setattr(corpus, "_page_rows", deadly)
    monkeypatch.setattr(corpus, "_pool_context", lambda: multiprocessing.get_context("fork"))
    try:
        df, _ = load(seeds, cache)
    finally:
        corpus.shutdown_workers()
    assert sorted(df["issue"].unique()) == ["2024-10-18_p2", "2024-10-22_p1", "2024-10-23_p1"]
    assert df.attrs["skipped"] == [
        {
            "file": str(seeds / "2024-10-21_p1.txt"),  # variant(1): 漳县
            "reason": "the parsing worker died on this page (out of memory?)",
        }
    ]


def test_a_copy_in_a_subfolder_is_a_duplicate_under_the_plain_name(folders):
    seeds, cache = folders
    (seeds / "backup").mkdir()
    (seeds / "backup" / GOOD).write_bytes(PAGE.encode("utf-16"))  # same text, other bytes
    df, _ = load(seeds, cache)
    assert df["issue"].unique().tolist() == [Path(GOOD).stem]
    assert df["source"].unique().tolist() == [str(seeds / GOOD)]
    assert df.attrs["duplicates"] == [
        {"file": str(seeds / "backup" / GOOD), "same_as": str(seeds / GOOD)}
    ]
