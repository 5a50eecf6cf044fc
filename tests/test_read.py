"""Bad input: clear errors that name the file, or handled; one broken file never stops the rest."""

from __future__ import annotations

import shutil

import pytest

from helpers import PageError, load_corpus, parse_page, read_page
from helpers.read import decode_page_full, parse_page_name

from .conftest import REAL_PAGE


@pytest.fixture()
def real_bytes() -> bytes:
    return REAL_PAGE.read_bytes()


def _articles(path) -> list[str]:
    return [a.headline for a in parse_page(read_page(path), str(path)).articles]


def test_gb18030_and_gbk_files_are_decoded(tmp_path, real_bytes):
    expected = _articles(REAL_PAGE)
    text = real_bytes.decode("utf-8")
    for codec in ("gb18030", "gbk"):
        path = tmp_path / f"page_{codec}.txt"
        path.write_bytes(text.encode(codec))
        assert _articles(path) == expected


def test_bom_and_crlf_are_handled(tmp_path, real_bytes):
    path = tmp_path / "bom_crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + real_bytes.replace(b"\n", b"\r\n"))
    text = read_page(path)
    assert "\r" not in text and not text.startswith("\ufeff")
    assert _articles(path) == _articles(REAL_PAGE)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b"   \n\n  \n", "empty file"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "binary file (NUL bytes), not a text page",
        ),
        (
            b"id,name,value\n1,alpha,3\n2,beta,4\n" * 20,
            "not a newspaper page: 0 Chinese characters of 600 visible",
        ),
        # a UTF-16 BOM before bytes that decode to a few stray characters
        (
            b"\xff\xfe\xfa\xfb\x81\x30\x81" * 10,
            "not a newspaper page: 10 Chinese characters of 34 visible",
        ),
        (bytes(range(0x80, 0x100)) * 8, "not text in any encoding charset-normalizer knows"),
        (b"\x00\x01\x02binary", "binary file (NUL bytes), not a text page"),
    ],
)
def test_bad_files_raise_an_error_naming_file_and_problem(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(PageError) as info:
        read_page(path)
    assert str(info.value) == f"{path}: {problem}" and info.value.problem == problem


def test_a_file_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    path.write_bytes(REAL_PAGE.read_bytes() * 4)
    monkeypatch.setattr("helpers.read.MAX_PAGE_BYTES", 2**20 // 16)  # the page is ~18 KB
    with pytest.raises(PageError) as info:
        read_page(path)
    assert info.value.problem == (
        "not a newspaper page: 0.1 MB, more than a page holds (limit 0.0625 MB)"
    )


def test_page_error_with_a_problem_only():
    err = PageError("a scanned PDF: no text layer")
    assert (err.source, err.problem, str(err)) == ("", "a scanned PDF: no text layer", err.problem)


def test_a_page_with_no_articles_keeps_everything_in_residue():
    text = "目录\n\n要闻\n\n视察调研\n\n基层协商\n\n委员风采\n\n文史天地\n\n" * 3
    page = parse_page(text, "contents.txt")
    assert page.articles == []
    assert "".join(r.text for r in page.residue).count("目录") == 3


def test_load_corpus_skips_broken_files_and_says_why(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(REAL_PAGE, seeds / "2023-06-08_p3.txt")
    (seeds / "2023-06-09_p1.txt").write_bytes(b"")
    (seeds / "2023-06-09_p2.txt").write_bytes(b"\x00\x01\x02binary")
    (seeds / "2023-06-09_p4.txt").write_text("目录\n\n要闻\n\n视察调研\n\n" * 10, encoding="utf-8")
    (seeds / "notes.txt").write_text("just some English notes, not a page\n" * 5)
    with pytest.warns(UserWarning, match="skipped"):
        df = load_corpus(seeds, cache_dir=tmp_path / "cache")
    assert len(df) == 11 and set(df["issue"]) == {"2023-06-08_p3"}
    reasons = {s["file"].rsplit("/", 1)[-1]: s["reason"] for s in df.attrs["skipped"]}
    assert reasons == {
        "2023-06-09_p1.txt": "empty file",
        "2023-06-09_p2.txt": "binary file (NUL bytes), not a text page",
        "2023-06-09_p4.txt": "no articles found on the page",
        "notes.txt": "not a newspaper page: 0 Chinese characters of 145 visible",
    }


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no-such-folder"):
        load_corpus(tmp_path / "no-such-folder", cache_dir=tmp_path / "cache")


def test_page_names():
    name = parse_page_name("seeds/2023-06-08_p3.txt")
    assert (name.issue, str(name.issue_date.date()), name.page) == (
        "2023-06-08_p3",
        "2023-06-08",
        3,
    )
    name = parse_page_name("000_c54ca6b4301f026a.txt")
    assert (name.issue, name.issue_date, name.page) == ("000_c54ca6b4301f026a", None, None)
    assert parse_page_name("20230608_page2.txt").page == 2


def test_impossible_dates_in_names_are_reported():
    name = parse_page_name("2023-13-45_p0.txt")
    assert (name.issue_date, name.page) == (None, 0)
    assert name.problem == "no such date as 2023-13-45 in the file name; the page loads undated"
    assert parse_page_name("2023-02-29_p1.txt").problem.startswith("no such date as 2023-02-29")
    assert parse_page_name("2024-02-29_p1.txt").problem == ""


def test_traditional_pages_are_converted_and_the_original_kept():
    import opencc

    text = REAL_PAGE.read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2tw").convert(text)
    for codec in ("utf-8", "big5"):
        data = traditional.encode(codec, "replace")  # Big5 lacks a character or two
        decoded = decode_page_full(data, "trad.txt")
        assert decoded.script == "traditional"
        assert decoded.original == data.decode("cp950" if codec == "big5" else codec)
        assert len(decoded.text) == len(decoded.original)  # offsets hold in both
        same = sum(a == b for a, b in zip(decoded.text, text, strict=True))
        assert same / len(text) > 0.99
    assert decode_page_full(text.encode("utf-8")).script == "simplified"


def test_read_page_refuses_folders_and_pipes(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block for ever
    for path in (tmp_path / "pipe.txt", tmp_path):
        with pytest.raises(PageError) as info:
            read_page(path)
        assert str(info.value) == f"{path}: not a regular file"
