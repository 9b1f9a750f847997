"""`make test` runs the suite in parallel processes: each gets a Redis database of its own for the cache."""

import pytest

from tests.parallel import redis_url_for_process


@pytest.mark.parametrize(("url", "worker", "expected"), [
    ("rediscache://127.0.0.1:6379/1", "gw0", "rediscache://127.0.0.1:6379/1"),
    ("rediscache://127.0.0.1:6379/1", "gw1", "rediscache://127.0.0.1:6379/2"),
    ("redis://cache:6379", "gw2", "redis://cache:6379/2"),
    ("rediscache://127.0.0.1:6379/15", "gw1", "rediscache://127.0.0.1:6379/0"),
    ("rediss://user:pw@host:6380/3?ssl_cert_reqs=none", "gw4", "rediss://user:pw@host:6380/7?ssl_cert_reqs=none"),
])
def test_each_test_process_gets_its_own_redis_database(url, worker, expected):
    assert redis_url_for_process(url, worker) == expected


def test_an_address_it_cannot_read_stops_the_run():
    with pytest.raises(pytest.UsageError):
        redis_url_for_process("rediscache://host:6379/one", "gw1")
