"""Pinyin for search keys and slugs, with the readings of place names and of
the hall's own terms.

pypinyin reads a phrase it does not know character by character and picks the
commonest reading: 长泰 came out zhangtai, 调休 diaoxiu, 还款 haikuan. The phrases
below are loaded into pypinyin's phrase dictionary once per process (on import,
and from the core app's ready()), and each phrase is cut out of longer text
before pypinyin segments the rest: 福建省漳州市长泰区 → ...changtaiqu.

Add a phrase here when a search by pinyin or a slug comes out wrong; the test
lists every one of them with the pinyin it must give.
"""

import re

from pypinyin import Style, load_phrases_dict
from pypinyin import lazy_pinyin as _lazy_pinyin

__all__ = ["PHRASES", "Style", "lazy_pinyin", "pinyin_slug_source"]

PHRASES: dict[str, list[list[str]]] = {
    # Place names (the region list, the demo city's neighbours).
    "长泰": [["cháng"], ["tài"]],
    "长治": [["cháng"], ["zhì"]],
    "朝阳区": [["cháo"], ["yáng"], ["qū"]],
    "朝阳市": [["cháo"], ["yáng"], ["shì"]],
    "朝阳县": [["cháo"], ["yáng"], ["xiàn"]],
    "单县": [["shàn"], ["xiàn"]],
    "涡阳": [["guō"], ["yáng"]],
    "曾厝垵": [["zēng"], ["cuò"], ["ān"]],
    # Terms of the hall: holidays, subsidies, loans.
    "调休": [["tiáo"], ["xiū"]],
    "还款": [["huán"], ["kuǎn"]],
    "还本": [["huán"], ["běn"]],
    "还清": [["huán"], ["qīng"]],
}

# Longest first, so that 朝阳区 wins over any shorter phrase inside it.
_PHRASE_PATTERN = re.compile(
    "(" + "|".join(sorted(map(re.escape, PHRASES), key=len, reverse=True)) + ")"
)
_loaded = False


def load() -> None:
    global _loaded
    if not _loaded:
        load_phrases_dict(PHRASES)
        _loaded = True


def lazy_pinyin(text: str, style: Style = Style.NORMAL, **kwargs) -> list[str]:
    """pypinyin's lazy_pinyin, with our phrases cut out first: its own
    segmentation is greedy from the left and would read 漳州市长泰区 as
    市长 (mayor) + 泰区."""
    load()
    pieces = [piece for piece in _PHRASE_PATTERN.split(text) if piece]
    return _lazy_pinyin(pieces, style=style, **kwargs)


def pinyin_slug_source(text: str) -> str:
    """Syllables joined by hyphens, ready for slugify: 长泰区 → chang-tai-qu."""
    return "-".join(lazy_pinyin(text))


load()
