"""The generation tokens of the shared cache (core/tokens.py): a token lives until it is dropped, and a
drop holds again once the transaction commits."""

import pytest
from django.core.cache import cache

from core.tokens import current_tokens, drop_tokens

pytestmark = pytest.mark.django_db

KEYS = ["test-token:a", "test-token:b"]


@pytest.fixture(autouse=True)
def clean_keys():
    cache.delete_many(KEYS)
    yield
    cache.delete_many(KEYS)


def test_a_token_is_the_same_until_it_is_dropped():
    first = current_tokens(KEYS, 60)
    assert current_tokens(KEYS, 60) == first
    assert first[0] != first[1]

    drop_tokens(KEYS[:1])

    after = current_tokens(KEYS, 60)
    assert after[0] != first[0]
    assert after[1] == first[1]


def test_a_token_drawn_before_the_commit_is_dropped_again_at_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        drop_tokens(KEYS)
        # A request that read the data before the change commits draws a token of its own.
        drawn_before_commit = current_tokens(KEYS, 60)

    assert current_tokens(KEYS, 60)[0] != drawn_before_commit[0]


def test_no_keys_drop_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        drop_tokens([])
    assert callbacks == []
