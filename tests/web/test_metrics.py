"""/metrics: request and search latency histograms and the index lag, in Prometheus' text
format; summed over gunicorn's worker processes (tests/web/test_production_serve.py)."""
from __future__ import annotations

import re

import pytest

from app import create_app


def _value(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(name) and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} {labels} not in /metrics")


def test_metrics_count_requests_and_time_searches(client, add_practice):
    add_practice(title="School garden")
    for _ in range(3):
        assert client.get("/api/v1/search?q=garden").status_code == 200
    client.get("/search?q=garden")
    text = client.get("/metrics").get_data(as_text=True)
    assert _value(text, "practice_exchange_search_seconds_count") == 4
    assert _value(text, "flask_http_request_duration_seconds_count",
                  endpoint="api.search", status="200") == 3
    assert _value(text, "practice_exchange_index_lag_changes") == 0
    assert re.search(r'practice_exchange_search_seconds_bucket\{le="0.005"\}', text)


def test_metrics_can_be_switched_off(app_config):
    app = create_app({**app_config, "METRICS_ENABLED": False})
    assert app.test_client().get("/metrics").status_code == 404
    app.extensions["db_engine"].dispose()


@pytest.mark.redis
def test_metrics_report_the_depth_of_each_job_queue(app_config):
    import redis

    url = "redis://127.0.0.1:6379/12"  # this branch's Redis database
    queues = redis.Redis.from_url(url)
    queues.delete("rq:queues", "rq:queue:imports")
    queues.sadd("rq:queues", "rq:queue:imports")  # how RQ registers a queue and its jobs
    queues.rpush("rq:queue:imports", "job-1", "job-2", "job-3")
    app = create_app({**app_config, "REDIS_URL": url})
    try:
        text = app.test_client().get("/metrics").get_data(as_text=True)
        assert _value(text, "practice_exchange_job_queue_depth", queue="imports") == 3
    finally:
        queues.delete("rq:queues", "rq:queue:imports")
        queues.close()
        app.extensions["db_engine"].dispose()
