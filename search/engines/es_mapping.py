"""The Elasticsearch index: one elasticsearch-dsl Document for every content type.

Policies, service guides, service items and news share one index (behind an
alias) because they are searched together: one ranked list, one set of facets,
and BM25 statistics that are only comparable inside one index. They have the
same shape (a SearchDocument), and ``type`` is a keyword to filter and count by.

Chinese is segmented in Python (search.analysis, jieba with the project
dictionary) so that this engine and the embedded one see the same tokens: the
``*_tokens`` fields only split on whitespace. The raw title and body add a CJK
bigram subfield (built-in ``cjk_bigram`` filter) that finds a word however jieba
cut it, and serves highlighting on the original text. Pinyin keys are computed
in Python as well. No analysis plugin is needed (no IK, no pinyin plugin).
"""

from __future__ import annotations

import datetime

from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Text,
    analyzer,
)

# Pre-segmented text: jieba already cut it, so whitespace is the word boundary.
segmented_analyzer = analyzer(
    "harbor_segmented", tokenizer="whitespace", filter=["lowercase"]
)
# Overlapping pairs of Han characters of the raw text (the built-in `cjk` analyzer
# without its English stop words).
bigram_analyzer = analyzer(
    "harbor_bigram",
    tokenizer="standard",
    filter=["cjk_width", "lowercase", "cjk_bigram"],
)
# Single Han characters of the raw text (the standard tokenizer emits one token
# per character): a one-character query (房, 税) never equals a bigram.
unigram_analyzer = analyzer(
    "harbor_unigram", tokenizer="standard", filter=["cjk_width", "lowercase"]
)
# Pinyin keys made in Python ("zhufangbutie zfbt ..."), one token each.
pinyin_analyzer = analyzer(
    "harbor_pinyin", tokenizer="whitespace", filter=["lowercase"]
)


def _bigram() -> Text:
    # Offsets in the postings let the unified highlighter skip re-analysis.
    return Text(analyzer=bigram_analyzer, index_options="offsets")


def _ngrams() -> dict:
    """The n-gram subfields of a raw text: the recall safety net beside the
    segmented words (pairs for words, single characters for one-character
    queries)."""
    return {"bigram": _bigram(), "unigram": Text(analyzer=unigram_analyzer)}


class ContentDocument(Document):
    """One searchable piece of public content. ``dynamic: strict`` refuses any
    field not listed here, so nothing else (no personal data) can slip in."""

    key = Keyword()
    type = Keyword()
    object_id = Integer()
    title = Text(index=False, fields=_ngrams())
    title_tokens = Text(analyzer=segmented_analyzer)
    body = Text(index=False, fields=_ngrams())
    body_tokens = Text(analyzer=segmented_analyzer)
    pinyin = Text(
        analyzer=pinyin_analyzer,
        # Prefix queries for suggestions while typing pinyin ("zhouzh").
        index_prefixes={"min_chars": 1, "max_chars": 10},
    )
    url = Keyword(index=False)
    department = Keyword()
    department_id = Integer()
    category = Keyword()
    category_id = Integer()
    tiers = Keyword()
    status = Keyword()
    # Repealed documents sort after all others (issue item 5).
    repealed = Boolean()
    issued_on = Date(format="strict_date")
    year = Integer()
    doc_number = Keyword()

    class Meta:
        dynamic = MetaField("strict")


INDEX_SETTINGS = {
    # One shard: the corpus is small (tens of thousands of documents at most),
    # and term statistics of a single shard make scores exact and repeatable.
    "number_of_shards": 1,
}


def build_index(name: str) -> Index:
    """The physical index `name` with our settings, analyzers and mapping."""
    index = Index(name)
    index.settings(**INDEX_SETTINGS)
    index.document(ContentDocument)
    return index


def _or_none(value):
    return value if value not in ("", None) else None


def source_of(doc) -> dict:
    """The stored JSON of a SearchDocument: public fields only."""
    issued_on = doc.issued_on
    if isinstance(issued_on, datetime.datetime):
        issued_on = issued_on.date()
    return {
        "key": doc.key,
        "type": doc.type,
        "object_id": doc.object_id,
        "title": doc.title,
        "title_tokens": doc.title_tokens,
        "body": doc.body,
        "body_tokens": doc.body_tokens,
        "pinyin": doc.pinyin,
        "url": doc.url,
        "department": _or_none(doc.department),
        "department_id": doc.department_id,
        "category": _or_none(doc.category),
        "category_id": doc.category_id,
        "tiers": list(doc.tiers),
        "status": _or_none(doc.status),
        "repealed": doc.status == "repealed",
        "issued_on": issued_on.isoformat() if issued_on else None,
        "year": doc.year,
        "doc_number": _or_none(doc.doc_number),
    }
