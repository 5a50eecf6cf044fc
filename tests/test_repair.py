"""Text repair: doubled bold text, justification spaces, joining lines."""

from __future__ import annotations

import re
from functools import cache

from hypothesis import given
from hypothesis import strategies as st

from helpers.repair import (
    display_width,
    halve_doubled,
    join_lines,
    remove_justification_spaces,
    repair_line,
)

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PUNCT = st.sampled_from("，。、；：！？“”《》")
RUN = st.text(alphabet=st.one_of(CJK, PUNCT), min_size=1, max_size=12)


def double(runs: list[str]) -> str:
    return "".join(r + r for r in runs)


def test_real_doubled_lines_are_halved():
    assert (
        halve_doubled("近日近日，，文县政协机关全体党员干部分赴文县政协机关全体党员干部分赴")
        == "近日，文县政协机关全体党员干部分赴"
    )
    assert halve_doubled("通讯员通讯员 吴玉民吴玉民 摄影报道摄影报道") == "通讯员 吴玉民 摄影报道"


def test_ordinary_reduplication_is_kept():
    for text in ["谢谢", "常常", "研究研究", "看看", "常常研究研究", "我们常常研究研究问题"]:
        assert halve_doubled(text) == text


def test_justification_spaces():
    assert remove_justification_spaces("6 月 7 日") == "6月7日"
    assert remove_justification_spaces("6月 5日，") == "6月5日，"
    assert remove_justification_spaces("富 成 效 ，真 正 使 之") == "富成效，真正使之"
    assert remove_justification_spaces("（通讯员高 磊）") == "（通讯员高磊）"
    assert remove_justification_spaces("特困家庭 13 户 14 人") == "特困家庭13户14人"
    assert remove_justification_spaces("Python is great 好") == "Python is great好"


def test_numbers_broken_across_lines_are_joined():
    assert join_lines(["补助 3".replace(" ", ""), "万余元时"]) == "补助3万余元时"
    assert join_lines(["the", "word"]) == "the word"


@given(st.lists(RUN, min_size=1, max_size=6))
def test_halving_inverts_doubling(runs):
    doubled = double(runs)
    halved = halve_doubled(doubled)
    # either it was halved to a text that doubles back to the line, or left alone
    assert halved == doubled or double([halved]) == doubled or len(halved) * 2 == len(doubled)
    if sum(len(r) for r in runs) >= 6 and max(len(r) for r in runs) >= 3:
        assert len(halved) * 2 == len(doubled)


@given(st.text(alphabet=st.one_of(CJK, PUNCT), min_size=8, max_size=40))
def test_halving_never_adds_or_invents(text):
    halved = halve_doubled(text)
    assert halved == text or (len(halved) * 2 == len(text) and set(halved) == set(text))


@given(st.text(alphabet=st.one_of(CJK, PUNCT, st.just(" "), st.sampled_from("0123456789"))))
def test_no_space_survives_next_to_cjk(text):
    out = remove_justification_spaces(text)
    assert not re.search(r"[\u4e00-\u9fff，。]\s|\s[\u4e00-\u9fff，。]", out)
    assert out.replace(" ", "") == text.replace(" ", "")


def is_halving(half: str, full: str) -> bool:
    """Whether ``full`` is ``half`` cut into runs, each printed twice (``double``)."""

    @cache
    def fits(i: int, j: int) -> bool:
        if i == len(full):
            return j == len(half)
        for n in range(1, (len(full) - i) // 2 + 1):
            run = half[j : j + n]
            if len(run) == n and full[i : i + n] == run and full[i + n : i + 2 * n] == run:
                if fits(i + 2 * n, j + n):
                    return True
        return False

    return bool(full) and fits(0, 0)


@given(st.text(alphabet=st.one_of(CJK, PUNCT, st.just(" ")), max_size=30))
def test_repair_keeps_every_visible_character_or_halves(text):
    out = repair_line(text).replace(" ", "")
    visible = text.replace(" ", "")
    assert out == visible or is_halving(out, visible)


@given(st.lists(RUN, min_size=1, max_size=6))
def test_repair_of_a_doubled_line_is_its_half(runs):
    line = double(runs)
    out = repair_line(line)
    assert out == line or is_halving(out, line)
    assert out  # never nothing


@given(st.text(alphabet=CJK, max_size=20))
def test_width_of_cjk_is_its_length(text):
    assert display_width(text) == len(text)
