"""English queries: the built-in English-Chinese map of talent-service terms.

Foreign talents search in English ("work permit", "housing subsidy"); the
hall's documents are mostly Chinese. At query time (both engines read the same
QueryPlan) each mapped English phrase becomes one term whose alternatives are
the English words themselves (an English page still matches) and the Chinese
terms, with their own synonyms. The map is data/english.tsv.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

ENGLISH_PATH = Path(__file__).resolve().parent / "data" / "english.tsv"
# Letters and digits only, as the index's tokens are (search.analysis cuts
# "high-level" into "high" and "level" too).
_WORD = re.compile(r"[a-z0-9]+")
_SPLIT = re.compile(r"[,，、;；]+")


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(phrase.lower()))


@functools.cache
def english_map(path: Path = ENGLISH_PATH) -> dict[tuple[str, ...], list[str]]:
    """{('work', 'permit'): ['工作许可', '外国人工作许可'], ...}."""
    mapping: dict[tuple[str, ...], list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        english, _tab, chinese = line.partition("\t")
        key = _key(english)
        words = [w.strip() for w in _SPLIT.split(chinese) if w.strip()]
        if key and words:
            known = mapping.setdefault(key, [])
            known.extend(w for w in words if w not in known)
    return mapping


@functools.cache
def english_stopwords() -> frozenset[str]:
    """stopwords-iso's English list: how a question is asked, not what about."""
    import stopwordsiso

    return frozenset(w for w in stopwordsiso.stopwords("en") if _WORD.fullmatch(w)) - {
        phrase[0] for phrase in english_map() if len(phrase) == 1
    }


def translate(text: str) -> tuple[list[tuple[str, list[str]]], str]:
    """The mapped phrases of a (normalized, lower-case) query, longest match
    first, as (the words typed, the Chinese terms), and the text without them.
    Words are one phrase only when nothing but spaces or hyphens stand between
    them."""
    mapping = english_map()
    longest = max((len(key) for key in mapping), default=0)
    matches = list(_WORD.finditer(text))
    found: list[tuple[str, list[str]]] = []
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(matches):
        for size in range(min(longest, len(matches) - index), 0, -1):
            window = matches[index : index + size]
            joined = all(
                not text[a.end() : b.start()].strip(" -")
                for a, b in zip(window, window[1:], strict=False)
            )
            key = tuple(m.group() for m in window)
            if joined and key in mapping:
                found.append((" ".join(key), mapping[key]))
                spans.append((window[0].start(), window[-1].end()))
                index += size
                break
        else:
            index += 1
    for start, end in reversed(spans):
        text = f"{text[:start]} {text[end:]}"
    return found, text
