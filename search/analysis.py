"""Chinese analysis shared by every engine: segmentation, synonyms, pinyin.

Both engines index and query the tokens made here, so they see the same words.
The jieba tokenizer is private to this module (never jieba's global one, which
other code could load other words into) and carries the project dictionary: the
built-in policy terms below, the admin-managed SearchTerm rows and every synonym.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import jieba

from cms.core.pinyin import Style, lazy_pinyin
from search.english import english_stopwords, translate
from search.stopwords import (
    HALL_STOPWORDS,
    KEEP_FROM_STOPWORDS,
    OPTIONAL_WORDS,
    QUESTION_PHRASES,
)

MAX_QUERY_LENGTH = 100
MAX_QUERY_TERMS = 8

# Words of the talent-policy domain that jieba's general dictionary splits apart
# or does not know. Administrators add more as SearchTerm rows.
BUILTIN_TERMS = [
    "高层次人才",
    "人才认定",
    "港湾计划",
    "子女入学",
    "住房补贴",
    "购房补贴",
    "租房补贴",
    "安家补助",
    "安家费",
    "人才绿卡",
    "人才公寓",
    "配偶就业",
    "配偶安置",
    "户口迁入",
    "入户",
    "落户",
    "外国人",
    "外籍人才",
    "工作许可",
    "人才引进",
    "引才",
    "博士后",
    "创业扶持",
    "创业补贴",
    "生活补贴",
    "科研经费",
    "项目资助",
    "人才驿站",
    "一站式",
    "一次性告知",
    "服务专窗",
    "绿色通道",
    "医疗保健",
    "社会保险",
    "住房公积金",
    "人才津贴",
    "办事指南",
    "领军人才",
    "青年人才",
    "技能人才",
    "团队引进",
    # Found in the demo corpus: words jieba splits or merges with a neighbour
    # (周转 房, 健康 体检工作), which left their pinyin and homophones unknown.
    "周转房",
    "健康体检",
    "疗养休假",
    "限价房",
    "出入境",
]

# Seed groups of equivalent words, applied at query time. Administrators keep
# more (or switch these off by adding the same words in an inactive group: no,
# simply edit them) as SynonymGroup rows.
BUILTIN_SYNONYMS = [
    ["落户", "户口迁入", "入户"],
    ["补贴", "补助", "资助"],
    ["子女", "小孩", "孩子"],
    ["配偶", "爱人", "家属"],
    ["外籍", "外国人", "境外"],
    ["入学", "上学", "就读"],
    ["安家补助", "安家费"],
    ["社会保险", "社保"],
    ["住房公积金", "公积金"],
    ["申请", "申报"],
    ["就医", "看病", "医疗"],
    ["人才绿卡", "人才卡"],
]

# The everyday-to-official lexicon of talent services: one group per line, the
# official word first. Migration 0008 seeds its groups as SynonymGroup rows
# marked LEXICON_NOTE, so that administrators see, edit and switch off each one
# like their own groups; the file is the source a new installation starts from.
LEXICON_PATH = Path(__file__).resolve().parent / "data" / "lexicon.tsv"
LEXICON_NOTE = "built-in lexicon"


def lexicon_groups(path: Path = LEXICON_PATH) -> list[tuple[list[str], list[str]]]:
    """The lexicon's groups as (equivalent words, narrower words): the official
    word first, then the everyday ones; see parse_synonym_line."""
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words, narrower = parse_synonym_line(line)  # tabs and commas separate
        if len(words) + len(narrower) > 1:
            groups.append((words, narrower))
    return groups


def _iso_stopwords() -> frozenset[str]:
    import stopwordsiso

    return frozenset(
        normalize(word)
        for word in stopwordsiso.stopwords("zh")
        if _CJK_RUN.fullmatch(normalize(word))
    )


_QUESTION_PHRASE = re.compile("|".join(QUESTION_PHRASES))

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_PINYIN_TOKEN = re.compile(r"^[a-z]{2,40}$")
PINYIN_INITIALS_MIN = 3  # initials this long stand for a dictionary term
MAX_PINYIN_TERMS = 4  # terms one pinyin word may stand for
_SPLIT_SYNONYMS = re.compile(r"[,，/、;；\s]+")


DICTIONARY_VERSION_KEY = "harbor_search:dictionary_version"
_VERSION_CHECK_SECONDS = 1.0


def normalize(text: str) -> str:
    """Full-width letters and digits become ASCII, letters lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


STOPWORDS = HALL_STOPWORDS | (_iso_stopwords() - KEEP_FROM_STOPWORDS)


_ALNUM_RUN = re.compile(r"[^\W_]+")


def _clean_tokens(tokens) -> list[str]:
    """Drop punctuation and whitespace; 'qz-rc-0001' or '3.5' become their
    letter/digit runs, so every engine's own tokenizer sees the same words."""
    cleaned: list[str] = []
    for token in tokens:
        token = token.strip()
        if not token:
            continue
        if token.isalnum():
            cleaned.append(token)
        else:
            cleaned.extend(_ALNUM_RUN.findall(token))
    return cleaned


def split_synonym_line(line: str) -> list[str]:
    """'落户, 户口迁入/入户' -> ['落户', '户口迁入', '入户'] (normalized, unique)."""
    words: list[str] = []
    for word in _SPLIT_SYNONYMS.split(normalize(line)):
        if word and word not in words:
            words.append(word)
    return words


def parse_synonym_line(line: str) -> tuple[list[str], list[str]]:
    """'住房补贴, 安居补贴 > 购房补贴, 租房补贴' -> (['住房补贴', '安居补贴'],
    ['购房补贴', '租房补贴']): the words before '>' are equivalent; the words
    after it are narrower, found by a search for the broader words but not the
    other way round (a search for 购房补贴 is not about renting)."""
    broader, _sep, narrower = normalize(line).partition(">")
    words = split_synonym_line(broader)
    return words, [w for w in split_synonym_line(narrower) if w not in words]


def format_synonym_line(words: list[str], narrower: list[str]) -> str:
    line = ", ".join(words)
    return f"{line} > {', '.join(narrower)}" if narrower else line


class _Dictionary:
    """The tokenizer and the word lists it was loaded with."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tokenizer: jieba.Tokenizer | None = None
        self.custom: set[str] = set()  # every word added to jieba
        self.terms: set[str] = set()  # the policy terms (built-in and admin)
        self.terms_by_first: dict[str, list[str]] = {}
        self.synonyms: dict[str, list[str]] = {}
        self.narrower: dict[str, list[str]] = {}
        self.homophones: dict[str, list[str]] = {}
        self.by_pinyin: dict[str, list[str]] = {}  # 'zfbt' -> ['住房补贴']
        self.version: object = object()  # never equal to a cache value
        self.stale = True
        self.checked_at = 0.0

    def _admin_rows(self) -> tuple[list[str], list[tuple[list[str], list[str]]]]:
        """Terms and synonym groups from the admin; empty before migrations ran."""
        from django.db import DatabaseError

        try:
            from search.models import SearchTerm, SynonymGroup

            terms = [
                normalize(t) for t in SearchTerm.objects.values_list("term", flat=True)
            ]
            groups = [
                parse_synonym_line(line)
                for line in SynonymGroup.objects.filter(is_active=True).values_list(
                    "terms", flat=True
                )
            ]
        except DatabaseError:
            return [], []
        return [t for t in terms if t], [
            (words, narrower)
            for words, narrower in groups
            if len(words) + len(narrower) > 1
        ]

    def _current_version(self) -> object:
        from django.core.cache import cache

        return cache.get(DICTIONARY_VERSION_KEY)

    def ensure(self) -> _Dictionary:
        now = time.monotonic()
        if not self.stale and now - self.checked_at < _VERSION_CHECK_SECONDS:
            return self
        with self.lock:
            version = self._current_version()
            self.checked_at = now
            if self.stale or version != self.version or self.tokenizer is None:
                self._load(version)
        return self

    def _load(self, version: object) -> None:
        if self.tokenizer is None:
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            self.tokenizer = tokenizer
        admin_terms, admin_groups = self._admin_rows()
        groups = [list(g) for g in BUILTIN_SYNONYMS] + [w for w, _n in admin_groups]
        narrower_of = [(w, n) for w, n in admin_groups if n]
        wanted = set(BUILTIN_TERMS) | set(admin_terms)
        wanted |= {word for group in groups for word in group if len(word) > 1}
        wanted |= {word for _w, n in narrower_of for word in n if len(word) > 1}
        wanted = {w for w in wanted if w and " " not in w}
        for word in self.custom - wanted:
            self.tokenizer.del_word(word)
        for word in sorted(wanted - self.custom):
            # A high frequency makes jieba prefer the whole term over its parts.
            self.tokenizer.add_word(word, freq=50000)
        self.custom = wanted
        self.terms = {normalize(t) for t in BUILTIN_TERMS} | set(admin_terms)
        by_first: dict[str, list[str]] = {}
        for term in sorted(self.terms, key=len, reverse=True):
            if len(term) > 1:
                by_first.setdefault(term[0], []).append(term)
        self.terms_by_first = by_first
        synonyms: dict[str, list[str]] = {}
        for group in groups:
            for word in group:
                others = synonyms.setdefault(word, [])
                others.extend(w for w in group if w != word and w not in others)
        for words, narrower in narrower_of:
            for word in words:
                others = synonyms.setdefault(word, [])
                others.extend(w for w in narrower if w != word and w not in others)
        self.synonyms = synonyms
        homophones: dict[str, list[str]] = {}
        by_pinyin: dict[str, list[str]] = {}
        for word in sorted(wanted):
            if _CJK_RUN.fullmatch(word) and len(word) >= 2:
                homophones.setdefault(_full_pinyin(word), []).append(word)
                for key in _pinyin_pair(word):
                    # Two initials name too many words to stand for one.
                    if len(key) >= PINYIN_INITIALS_MIN or key == _full_pinyin(word):
                        by_pinyin.setdefault(key, []).append(word)
        self.homophones = homophones
        self.by_pinyin = by_pinyin
        self.version = version
        self.stale = False

    @property
    def jieba(self) -> jieba.Tokenizer:
        """The loaded tokenizer: ensure() loads it before _state() hands the
        dictionary out, and nothing unloads it."""
        assert self.tokenizer is not None, "the dictionary is not loaded"
        return self.tokenizer

    def is_known(self, word: str) -> bool:
        return word in self.custom or bool(self.jieba.FREQ.get(word))


_dictionary = _Dictionary()


def _state() -> _Dictionary:
    return _dictionary.ensure()


def mark_dictionary_changed() -> None:
    """Called when SearchTerm or SynonymGroup rows change: every process reloads."""
    import uuid

    from django.core.cache import cache

    cache.set(DICTIONARY_VERSION_KEY, uuid.uuid4().hex, None)
    _dictionary.stale = True


def reload_dictionary() -> None:
    """Reload now (tests, and after bulk changes in this process); the title
    words are read again when next needed."""
    _dictionary.stale = True
    _dictionary.ensure()
    _title_words.forget()


def synonyms_of(word: str) -> list[str]:
    return list(_state().synonyms.get(normalize(word), []))


def segment(text: str) -> list[str]:
    """jieba search-mode tokens of the text, lower case, without punctuation."""
    if not text:
        return []
    state = _state()
    text = normalize(text)
    with state.lock:
        tokens = _clean_tokens(state.jieba.cut_for_search(text))
    # Terms that overlap the words jieba chose (高层次人才认定 -> 人才认定) are
    # still indexed whole: search mode only adds parts of the chosen words.
    seen = set(tokens)
    by_first = state.terms_by_first
    for index, char in enumerate(text):
        for term in by_first.get(char, ()):
            if term not in seen and text.startswith(term, index):
                tokens.append(term)
                seen.add(term)
    return tokens


def segmented(text: str) -> str:
    return " ".join(segment(text))


def char_bigrams(text: str) -> list[str]:
    """Every two adjacent Chinese characters of the text, in order: the recall
    safety net beside the segmented words, which finds a name jieba cuts
    differently in the text than in the query (a programme's or a card's own
    name). A lone character between non-Chinese text yields nothing (a single
    character is no evidence on its own)."""
    grams: list[str] = []
    for run in _CJK_RUN.findall(normalize(text or "")):
        grams.extend(run[index : index + 2] for index in range(len(run) - 1))
    return grams


def query_bigrams(word: str) -> list[str]:
    """The bigram phrase a typed word is also searched as, or [] when it is not
    a Chinese word of two characters or more."""
    word = normalize(word)
    if len(word) < 2 or not _CJK_RUN.fullmatch(word):
        return []
    return char_bigrams(word)


def _words(text: str) -> list[str]:
    """Precise-mode words (one reading of the text, no overlapping parts)."""
    state = _state()
    with state.lock:
        return _clean_tokens(state.jieba.cut(normalize(text)))


def _han(text: str) -> str:
    return "".join(_CJK.findall(text))


@functools.lru_cache(maxsize=8192)
def _full_pinyin(text: str) -> str:
    return "".join(lazy_pinyin(_han(text))).lower()


@functools.lru_cache(maxsize=4096)
def _pinyin_pair(text: str) -> list[str]:
    han = _han(text)
    if len(han) < 2:
        return []
    full = "".join(lazy_pinyin(han)).lower()
    initials = "".join(lazy_pinyin(han, style=Style.FIRST_LETTER)).lower()
    return [k for k in (full, initials) if k.isascii() and k.isalpha()]


PAIR_MAX_HAN = 6


def pinyin_keys(text: str) -> list[str]:
    """Full pinyin and initials of the text, of its words and of the dictionary
    terms in it: '住房补贴' -> ['zhufangbutie', 'zfbt']; and the full pinyin of
    two adjacent words, since talents type a phrase whole ('周转 房' ->
    'zhouzhuanfang')."""
    keys: list[str] = []
    if len(_han(text)) <= 8:  # a short title typed whole, e.g. rencailvka
        keys.extend(_pinyin_pair(text))
    terms = _state().terms
    words = _words(text)
    for word in itertools.chain(words, (t for t in segment(text) if t in terms)):
        keys.extend(_pinyin_pair(word))
    for first, second in itertools.pairwise(words):
        pair = first + second
        if _CJK_RUN.fullmatch(pair) and len(pair) <= PAIR_MAX_HAN:
            keys.extend(_pinyin_pair(pair)[:1])  # full pinyin only
    return list(dict.fromkeys(keys))


def term_pinyin_keys(text: str, tokens: list[str] | None = None) -> list[str]:
    """Pinyin keys only for the dictionary terms found in a (long) text; pass
    its ``segment()`` tokens if they are at hand, to segment only once."""
    terms = _state().terms
    tokens = segment(text) if tokens is None else tokens
    keys: list[str] = []
    for term in dict.fromkeys(t for t in tokens if t in terms):
        keys.extend(_pinyin_pair(term))
    return list(dict.fromkeys(keys))


@dataclass
class QueryPlan:
    """What a query means to the engines.

    ``terms``: each inner list is one query term and its alternatives, the first
    being what the user typed. An alternative with spaces is a sequence of index
    tokens that must all occur. ``pinyin``: the ASCII tokens that may be pinyin.
    ``optional``: indexes of terms that add to the score but need not match (a
    single character beside longer words: 带, 住, 发 say little on their own).
    """

    raw: str
    terms: list[list[str]] = field(default_factory=list)
    optional: list[int] = field(default_factory=list)
    pinyin: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    # English words typed and the Chinese terms they were read as.
    translations: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def tokens(self) -> list[str]:
        """Every token any alternative asks for, longest first (for highlighting)."""
        found = {tok for term in self.terms for alt in term for tok in alt.split()}
        return sorted(found, key=lambda t: (-len(t), t))


class _TitleWords:
    """The words of the searchable documents' titles by full pinyin, so that a
    wrong homophone of a programme's or a card's own name (英材卡, 海燕计话),
    which no curated term covers, is read as the name. Built on first need, and
    again when the titles may have changed (search.documents.titles_fingerprint)
    or after TITLE_WORDS_SECONDS; the titles come from the content, so every
    engine reads a query the same way."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_pinyin: dict[str, list[str]] = {}
        self.fingerprint: object = object()
        self.checked_at: float = -TITLE_WORDS_SECONDS
        self.built_at: float = -TITLE_WORDS_SECONDS

    def forget(self) -> None:
        with self.lock:
            self.fingerprint = object()
            self.checked_at = self.built_at = -TITLE_WORDS_SECONDS

    def get(self, state: _Dictionary) -> dict[str, list[str]]:
        from django.db import DatabaseError

        from search.documents import searchable_titles, titles_fingerprint

        now = time.monotonic()
        with self.lock:
            if now - self.checked_at < _VERSION_CHECK_SECONDS:
                return self.by_pinyin
            self.checked_at = now
            try:
                fingerprint = titles_fingerprint()
                fresh = now - self.built_at < TITLE_WORDS_SECONDS
                if fingerprint == self.fingerprint and fresh:
                    return self.by_pinyin
                words: set[str] = set()
                for title in searchable_titles():
                    with state.lock:
                        cut = list(state.jieba.cut(normalize(title)))
                    words.update(cut)
                    # A name typed whole may be two words of the title (英才 卡).
                    words.update(map("".join, itertools.pairwise(cut)))
            except DatabaseError:
                return self.by_pinyin
            by_pinyin: dict[str, list[str]] = {}
            for word in sorted(words):
                if 2 <= len(word) <= 6 and _CJK_RUN.fullmatch(word):
                    by_pinyin.setdefault(_full_pinyin(word), []).append(word)
            self.by_pinyin = by_pinyin
            self.fingerprint = fingerprint
            self.built_at = now
            return by_pinyin


TITLE_WORDS_SECONDS = 300
_title_words = _TitleWords()


def _homophone_targets(window: str, state: _Dictionary) -> list[str]:
    """The curated terms that sound like the window; failing those, the title
    words that do."""
    key = _full_pinyin(window)
    return state.homophones.get(key) or _title_words.get(state).get(key, [])


def _corrections(text: str, state: _Dictionary) -> dict[str, str]:
    """Typed words that sound like a dictionary term (or a word of a title) but
    are unknown words: '住房补帖' -> {'住房补帖': '住房补贴'}. Only unknown words
    are corrected, and only to a single target, so that real words never drift
    to others."""
    found: dict[str, str] = {}
    for run in _CJK_RUN.findall(text):
        # A window never cuts a word in two (人才政策: 人才政 is not 人才证).
        with state.lock:
            lengths = [len(word) for word in state.jieba.cut(run)]
        edges = {0, *itertools.accumulate(lengths)}
        start = 0
        while start < len(run):
            for size in range(min(6, len(run) - start), 1, -1):
                window = run[start : start + size]
                if start not in edges or start + size not in edges:
                    continue
                if state.is_known(window):
                    continue
                targets = _homophone_targets(window, state)
                if window in targets or not targets:
                    continue
                if len(targets) == 1:
                    found[window] = targets[0]
                    start += size - 1
                    break
            start += 1
    return found


def _starts(word: str, part: str) -> list[int]:
    return [i for i in range(len(word)) if word.startswith(part, i)]


def _alternatives(word: str, state: _Dictionary) -> list[str]:
    """The word, its synonyms and, for a longer Chinese word, its parts (as one
    sequence: where the text was segmented into the parts, not the whole)."""
    alternatives = [word, *state.synonyms.get(word, [])]
    if len(word) >= 3 and _CJK_RUN.fullmatch(word):
        with state.lock:
            parts = [p for p in state.jieba.cut_for_search(word) if p != word]
        parts = list(dict.fromkeys(p for p in parts if len(p) >= 2))
        # Only parts that cover the word stand for it: 人才 alone is not 人才卡.
        if parts and len(_covered(word, parts)) == len(word):
            # A part inside the others (房补 of 住房补贴) would only narrow.
            for part in list(parts):
                others = [p for p in parts if p != part]
                if len(_covered(word, others)) == len(word):
                    parts = others
            alternatives.append(" ".join(parts))
    return alternatives


def _covered(word: str, parts: list[str]) -> set[int]:
    return {i for p in parts for s in _starts(word, p) for i in range(s, s + len(p))}


def plan_query(query: str) -> QueryPlan:
    raw = normalize(query).strip()[:MAX_QUERY_LENGTH]
    plan = QueryPlan(raw=raw)
    if not raw:
        return plan
    state = _state()
    asked = _QUESTION_PHRASE.sub(" ", raw).strip() or raw
    corrections = _corrections(asked, state)
    text = asked
    for typed, correct in corrections.items():
        text = text.replace(typed, f" {correct} ")
    typed_for = {correct: typed for typed, correct in corrections.items()}
    english, text = translate(text)
    for typed, chinese in english[:MAX_QUERY_TERMS]:
        # What was typed (an English page has it), then the Chinese terms.
        alternatives: list[str] = [typed]
        for word in chinese:
            alternatives.extend(_alternatives(normalize(word), state))
        plan.terms.append(list(dict.fromkeys(alternatives)))
        plan.translations[typed] = chinese
    words = list(dict.fromkeys(_words(text)))
    meaningful = [
        w for w in words if w not in STOPWORDS and w not in english_stopwords()
    ]
    if english and not meaningful:
        words = []
    words = (meaningful or words)[: MAX_QUERY_TERMS - len(plan.terms)]
    for word in words:
        alternatives = []
        if word in typed_for:
            alternatives.append(" ".join(_words(typed_for[word])) or typed_for[word])
        alternatives.extend(_alternatives(word, state))
        if _PINYIN_TOKEN.match(word):
            plan.pinyin.append(word)
            # Pinyin of a known term also finds the term in the text, not only
            # in the titles and terms that carry pinyin keys: zfbt -> 住房补贴.
            for term in state.by_pinyin.get(word, [])[:MAX_PINYIN_TERMS]:
                alternatives.extend(_alternatives(term, state))
        plan.terms.append(list(dict.fromkeys(alternatives)))
    weak = [
        index
        for index, term in enumerate(plan.terms)
        if (len(term[0]) == 1 and _CJK.fullmatch(term[0]) and len(term) == 1)
        or term[0] in OPTIONAL_WORDS
        or plan.translations.get(term[0], [""])[0] in OPTIONAL_WORDS
    ]
    if len(weak) < len(plan.terms):  # never every term
        plan.optional = weak
    plan.corrections = corrections
    return plan
