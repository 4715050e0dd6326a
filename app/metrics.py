"""Prometheus metrics at /metrics (prometheus-flask-exporter; README, Production).

- `flask_http_request_duration_seconds` (histogram, by endpoint, method and status) and
  `flask_http_request_total`: every request, timed by the exporter;
- `practice_exchange_search_seconds` (histogram): the search itself (catch-up, ranking,
  loading the practices), pages and API alike;
- `practice_exchange_index_lag_changes` (gauge): committed changes this process's index had
  not applied when last checked (at each scrape and /readyz); the largest over live workers;
- `practice_exchange_job_queue_depth{queue}` (gauge): jobs waiting in each RQ queue, when
  REDIS_URL is configured (the background jobs' queue), read at each scrape.

Under gunicorn, workers are separate processes: gunicorn.conf.py sets
PROMETHEUS_MULTIPROC_DIR (emptied at start; a worker's files are marked dead when it exits),
and whichever worker answers /metrics reports the sum over all of them (prometheus_client's
multiprocess mode). Elsewhere each app keeps its own registry. /metrics is not for the public:
let only the monitoring host reach it (the nginx example restricts it) or switch it off with
METRICS_ENABLED.
"""
from __future__ import annotations

import logging
import os

from flask import Flask, current_app, request
from prometheus_client import CollectorRegistry, Gauge, Histogram

log = logging.getLogger(__name__)

PATH = "/metrics"
MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
# Searches take milliseconds to a second: buckets from 5 ms to 5 s.
SEARCH_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


def init_app(app: Flask) -> None:
    """Export the request, search, index-lag and queue-depth metrics at /metrics."""
    if not app.config["METRICS_ENABLED"]:
        return
    from prometheus_flask_exporter import PrometheusMetrics
    from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

    registry = CollectorRegistry()  # one per app: tests make many apps in one process
    exporter = GunicornInternalPrometheusMetrics if os.environ.get(MULTIPROCESS) \
        else PrometheusMetrics
    exporter(app, path=PATH, registry=registry, group_by="endpoint",
             excluded_paths=[PATH], defaults_prefix="flask")
    search = Histogram("practice_exchange_search_seconds", "Time of one search",
                       buckets=SEARCH_BUCKETS, registry=registry)
    lag = Gauge("practice_exchange_index_lag_changes",
                "Committed changes the search index of a process had not applied",
                registry=registry, multiprocess_mode="livemax")
    depth = Gauge("practice_exchange_job_queue_depth", "Jobs waiting in a queue", ["queue"],
                  registry=registry, multiprocess_mode="livemax")
    app.extensions["search"].reader.search_observers.append(search.observe)
    app.extensions["metrics"] = {"index_lag": lag, "job_queue_depth": depth}
    app.before_request(_refresh_on_scrape)


def record_index_lag(changes: int) -> None:
    """Set this process's index lag gauge (called by /readyz and before each scrape)."""
    gauges = current_app.extensions.get("metrics")
    if gauges is not None:
        gauges["index_lag"].set(changes)


def _refresh_on_scrape() -> None:
    if request.path != PATH:
        return
    from sqlalchemy.exc import SQLAlchemyError

    from app.db import get_session
    from app.search import get_search

    session = get_session()
    try:
        lag = get_search().index_lag(session)
    except SQLAlchemyError:
        session.rollback()
        lag = None
    if lag is not None:
        record_index_lag(lag)
    _record_queue_depths(current_app.extensions["metrics"]["job_queue_depth"])


def _record_queue_depths(depth: Gauge) -> None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return
    import redis

    try:
        with redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1) as client:
            for key in client.smembers("rq:queues"):  # RQ's registry of queue keys
                name = key.decode().removeprefix("rq:queue:")
                depth.labels(queue=name).set(client.llen(key))
    except redis.RedisError:
        log.warning("metrics: cannot read the job queues at REDIS_URL")
