import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():  # noqa: ANN202
    """Login throttling lives in the cache: each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()
