"""Every AppTest gets a store of its own (a fresh SQLite file), so pages never share saved data."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_store(own_store):
    yield
