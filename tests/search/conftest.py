import pytest


@pytest.fixture
def reindex(db):
    """Rebuild the configured engine from the database; returns the count."""
    from search.documents import iter_all_documents
    from search.engines import get_engine

    def rebuild() -> int:
        return get_engine().rebuild(iter_all_documents())

    return rebuild


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what index sync queues after commit, as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# The Elasticsearch tests share a fake cluster (tests/search/es_fakes.py).
from tests.search.es_fakes import cluster  # noqa: E402, F401
