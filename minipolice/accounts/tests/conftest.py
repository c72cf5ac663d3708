import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth remembers used authenticator codes in the cache: start every test clean."""
    cache.clear()
    yield
    cache.clear()
