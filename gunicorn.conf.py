"""gunicorn settings: `gunicorn -c gunicorn.conf.py` serves wsgi:app (see README, Performance).

Environment: WEB_BIND (default 127.0.0.1:8000; "unix:/path" for a socket), WEB_WORKERS (2),
WEB_THREADS (1; more switches to the gthread worker), WEB_PRELOAD (1: load the app, the
encoder and the index in the master and fork the workers from it; 0: each worker loads its own),
WEB_TIMEOUT (60 s), WEB_LOG_FORMAT (json: one JSON object per line with the request id;
text), WEB_LOG_LEVEL (INFO), PROMETHEUS_MULTIPROC_DIR (where workers keep their metrics;
default a new folder under the temporary directory). Every FLASK_* variable configures the
app as usual.

Why preload (measured by benchmarks/bench_workers.py, in the README): each worker then shares
the model and the index with the master and keeps only what it changes itself, and a worker
(re)started by gunicorn answers at once. Without preload, each worker loads them in
post_worker_init, before it accepts a connection. Either way the server refuses to start
when the language neutralizer is not prepared (`flask search-index prepare`). Web workers
encode passages (a practice saved through the web) on ONNX Runtime, so they never import
torch: FLASK_EMBEDDING_PASSAGE_PATH defaults to "onnx" here. `make serve` (bin/serve) runs
it after `db upgrade` and `search-index prepare` (README, Production).
"""
import os
import shutil
import tempfile

os.environ.setdefault("FLASK_EMBEDDING_PASSAGE_PATH", "onnx")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # no Rust thread pool before fork
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # else numpy's import starts a pool thread

# Prometheus metrics from every worker (app/metrics.py): prometheus_client keeps each
# process's values in files here (set before the app imports prometheus_client), emptied
# once when the master starts, as its documentation asks (not when a reload re-reads this).
METRICS_DIR = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(),
                                             f"practice-exchange-metrics-{os.getpid()}"))
if os.environ.get("PRACTICE_EXCHANGE_METRICS_EMPTIED") != METRICS_DIR:
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    os.makedirs(METRICS_DIR, exist_ok=True)
    os.environ["PRACTICE_EXCHANGE_METRICS_EMPTIED"] = METRICS_DIR

wsgi_app = "wsgi:app"
bind = [os.environ.get("WEB_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "1"))
preload_app = os.environ.get("WEB_PRELOAD", "1") != "0"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
# Logs: one JSON object per line on stderr, with the request id (app/request_log.py), from
# gunicorn and the app alike; WEB_LOG_FORMAT=text keeps gunicorn's plain lines.
if os.environ.get("WEB_LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "app.request_log.RequestIdFilter"}},
        "formatters": {"json": {"()": "app.request_log.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "filters": ["request_id"], "stream": "ext://sys.stderr"}},
        "root": {"level": os.environ.get("WEB_LOG_LEVEL", "INFO"), "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
            # app.requests logs every request with its id and duration: no second line.
            "gunicorn.access": {"level": "WARNING", "handlers": ["stderr"], "propagate": False},
        },
    }
# gunicorn 27's control socket runs a thread in the master: a thread alive at fork time is
# what makes forked workers hang, and the socket would be written to the user's home.
control_socket_disable = True


def when_ready(server):
    """In the master, before the first fork: refuse to serve without the prepared language
    neutralizer (a RuntimeError: gunicorn prints it and exits 1); with preload, warm search
    up so that every worker starts warm."""
    from app.preload import NotPrepared

    try:
        if preload_app:
            from app.preload import warm_before_fork

            warm_before_fork(server.app.wsgi())
        else:
            from app import create_app
            from app.preload import require_prepared

            require_prepared(create_app())  # a throwaway app: the workers load their own
    except NotPrepared:
        shutil.rmtree(METRICS_DIR, ignore_errors=True)  # on_exit is not called then
        raise


def post_worker_init(worker):
    """In a worker that loads its own app (WEB_PRELOAD=0): load the model and the index
    before the worker accepts its first connection, so no request waits on a cold worker."""
    if not preload_app:
        from app.preload import warm_worker

        warm_worker(worker.wsgi)


def post_fork(server, worker):
    """In each new worker: drop the database connections inherited from the master."""
    if preload_app:
        from app.preload import after_fork

        after_fork(server.app.wsgi())


def child_exit(server, worker):
    """In the master, when a worker has exited: its metrics stop counting as live."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """When the master stops: remove this run's metrics files."""
    shutil.rmtree(METRICS_DIR, ignore_errors=True)


def worker_exit(server, worker):
    """In a worker that served: leave without the interpreter's finalisation. ONNX Runtime's
    exit handlers wait for a thread that only the master has (forked children inherit no
    threads), so a forked worker hung at exit until gunicorn killed it after graceful_timeout
    (30 s per restart or shutdown). A worker that loaded its own model (WEB_PRELOAD=0) has
    nothing to finalise either (no background thread: it warmed up in post_worker_init;
    metrics are in shared files already) and spent ~5 s in the model's destructors."""
    if worker.booted:
        import logging
        import sys

        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
