import datetime

from core.rate_limit import within_limit
from tests.clock import on_today


def test_the_limit_counts_each_key_of_each_scope_apart():
    assert [within_limit("mail", "123456789", 2, 3600) for _ in range(3)] == [True, True, False]
    assert within_limit("mail", "111111111", 2, 3600)
    assert within_limit("autre", "123456789", 2, 3600)


@on_today
def test_the_count_starts_again_once_the_window_is_over(time_machine):
    for _ in range(3):
        within_limit("mail", "123456789", 2, 3600)
    time_machine.shift(datetime.timedelta(minutes=59))
    assert not within_limit("mail", "123456789", 2, 3600)
    time_machine.shift(datetime.timedelta(minutes=2))
    assert within_limit("mail", "123456789", 2, 3600)


def test_the_cache_holds_no_identifiant():
    from django.core.cache import cache

    within_limit("mail", "123456789", 2, 3600)
    assert not any("123456789" in key for key in cache._cache)
