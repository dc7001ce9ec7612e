"""Engine choice: settings.SEARCH_ENGINE ("database" or "elasticsearch")."""

from __future__ import annotations

from django.conf import settings

from search.engines.base import Engine

_engines: dict[tuple, Engine] = {}


def get_engine() -> Engine:
    name = getattr(settings, "SEARCH_ENGINE", "database")
    if name == "elasticsearch":
        url = getattr(settings, "ELASTICSEARCH_URL", "")
        alias = getattr(settings, "ELASTICSEARCH_INDEX_ALIAS", "")
        cache_key = (name, url, alias)
        if cache_key not in _engines:
            # Imported lazily: the embedded default never loads the ES client.
            from search.engines.elasticsearch import ElasticsearchEngine

            _engines[cache_key] = ElasticsearchEngine(url=url, alias=alias or None)
        return _engines[cache_key]
    if name != "database":
        raise ValueError(f"Unknown SEARCH_ENGINE {name!r}")
    from search.engines.embedded import EmbeddedEngine

    return EmbeddedEngine()


__all__ = ["Engine", "get_engine"]
