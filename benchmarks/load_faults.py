"""Load and faults on loopback (issue 8, "Figures"): prints a table, writes JSON.

    .venv/bin/python benchmarks/load_faults.py                 # 5 minutes of load, then faults
    .venv/bin/python benchmarks/load_faults.py --minutes 1 --encoder hashing   # the CI version

Everything it runs is its own and on 127.0.0.1 only: a throwaway PostgreSQL 15 cluster
(initdb/pg_ctl from /usr/lib/postgresql/15/bin, in a temporary folder, as the `postgres` user
when run as root) and a throwaway redis-server (append-only file in the same folder), on the
ports --port-base+10 and +11 (default 51310, 51311); gunicorn (gunicorn.conf.py, 2 workers x 4
threads) on --port-base+20 and one `flask jobs worker`. The shared servers on 5432/6379 are
never touched. Bounded: every wait has a timeout, and everything is stopped and deleted at the
end, also on Ctrl+C.

Phases (every request is timed by the client; gunicorn's access log, with the worker's pid
and the request's time inside the worker, tells which worker answered what):

1. idle: 100 searches, one client, nothing else running (the idle p50/p95);
2. load (--minutes): 8 writers (a school editor's token submits a practice through the API,
   a National Coordinator's token publishes it) and 16 searchers (API searches; one request in
   four a page: home, search page, a practice's page). After each acknowledged publish the
   writer searches its unique title word three times: each check lands on whichever worker
   accepts it and must find the practice;
3. faults, each for --fault-seconds under the same load: kill -9 of a web worker; kill -9 of
   the job worker (and its work horse) in the middle of an import queued with `flask
   practices import --background` (nothing may be written until the retry, which must complete
   it without duplicates, and `flask search-index verify` must pass); PostgreSQL restarted
   (`pg_ctl restart -m fast`); Redis stopped for 10 s (the site must stay up, enqueueing must
   refuse clearly, and jobs must run again once it is back).

At the end every acknowledged write is looked up in the database. Recovery time of a fault:
from the fault to the end of the last request that failed because of it (0 when none did).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
QUERIES = ["school garden", "climate change education", "peace", "intercultural dialogue",
           "water", "compost", "human rights", "girls education", "biodiversity", "recycling",
           "jardin scolaire", "educación para la paz", "الحوار بين الثقافات", "气候变化",
           "sustainable development", "global citizenship", "refugees", "heritage"]
CHECKS_PER_PUBLISH = 3


# --- Servers of our own -------------------------------------------------------------------


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as `postgres` then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1:port (trust authentication)."""

    def __init__(self, root: Path, port: int) -> None:
        self.port = port
        self.base = Path(tempfile.mkdtemp(prefix="px-pg-", dir=root))
        os.chmod(self.base, 0o755)
        self.data = self.base / "data"
        self.log = self.base / "postgres.log"
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/px"

    def init(self) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust",
                                     "-U", "postgres", "--no-sync", "-E", "UTF8"]),
                       check=True, capture_output=True, timeout=120)
        self.start()
        subprocess.run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                        "-U", "postgres", "px"], check=True, capture_output=True, timeout=60)

    def _ctl(self, *args: str) -> None:
        options = (f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 "
                   "-c max_connections=200")
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                                     str(self.log), "-o", options, "-w", "-t", "60", *args]),
                       check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> float:
        started = time.monotonic()
        self._ctl("restart", "-m", "fast")
        return time.monotonic() - started

    def stop(self) -> None:
        try:
            self._ctl("stop", "-m", "immediate")
        except Exception:  # already stopped, or never started
            pass


class Redis:
    """A throwaway redis-server on 127.0.0.1:port, its append-only file in `root`."""

    def __init__(self, root: Path, port: int) -> None:
        self.port = port
        self.dir = root / "redis"
        self.dir.mkdir()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.dir), "--appendonly", "yes", "--save", "", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: self.ping(), 30, "redis-server to answer")

    def ping(self) -> bool:
        result = subprocess.run(["redis-cli", "-p", str(self.port), "ping"],
                                capture_output=True, text=True, timeout=10)
        return result.stdout.strip() == "PONG"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            subprocess.run(["redis-cli", "-p", str(self.port), "shutdown"],
                           capture_output=True, timeout=30)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _wait(condition, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"gave up waiting {timeout:.0f} s for {what}")


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return sorted(found)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _kill_group(process: subprocess.Popen | None, sig=signal.SIGKILL) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- The clients ---------------------------------------------------------------------------


@dataclass
class Sample:
    seq: int
    kind: str  # "search", "page", "submit", "publish", "check"
    started: float
    ended: float
    status: int  # 0: no answer (connection refused, reset, timeout)
    phase: str


@dataclass
class Run:
    """What the clients saw; shared by their threads (appends are atomic in CPython)."""

    port: int
    samples: list[Sample] = field(default_factory=list)
    submitted: list[int] = field(default_factory=list)
    published: list[tuple[int, str, float]] = field(default_factory=list)
    publish_failed: list[int] = field(default_factory=list)  # answered 5xx or not at all
    checks: list[tuple[int, int, bool, int]] = field(default_factory=list)  # id, seq, found, st
    public_ids: list[int] = field(default_factory=list)
    phase: str = "setup"
    seq: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_seq(self) -> int:
        with self.lock:
            self.seq += 1
            return self.seq

    def request(self, kind: str, method: str, path: str, params: dict | None = None,
                body: dict | None = None, token: str | None = None):
        """One request on a new connection; return (status, parsed JSON or None, seq)."""
        seq = self.next_seq()
        query = dict(params or {})
        headers = {"Accept": "application/json" if path.startswith("/api/") else "text/html",
                   "X-Load-Seq": str(seq)}  # in gunicorn's access log: who answered it
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        started = time.monotonic()
        status, parsed = 0, None
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            target = f"{path}?{urlencode(query)}" if query else path
            connection.request(method, target, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            status = response.status
            connection.close()
            if path.startswith("/api/") and raw:
                try:
                    parsed = json.loads(raw)
                except ValueError:
                    parsed = None
        except (OSError, http.client.HTTPException):
            status = 0
        self.samples.append(Sample(seq, kind, started, time.monotonic(), status, self.phase))
        return status, parsed, seq


def _word(number: int) -> str:
    """A word no text contains: letters only, so every tokenizer keeps it whole."""
    letters = ""
    while True:
        number, rest = divmod(number, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[rest]
        if number == 0:
            break
    return f"zqx{letters}vjk"


def writer(run: Run, stop: threading.Event, editor: str, publisher: str, number: int) -> None:
    count = 0
    while not stop.is_set():
        count += 1
        word = _word(number * 1_000_000 + count)
        status, body, _ = run.request("submit", "POST", "/api/v1/practices", body={
            "title": f"Load test practice {word}",
            "summary": "Pupils measure how a school garden changes the canteen's waste.",
            "body": f"Each class keeps a compost diary ({word}).\n\n## What changed\n\n- less "
                    "waste\n- more salad", "language": "en", "themes": ["esd"]}, token=editor)
        if status != 201 or not body:
            time.sleep(0.2)
            continue
        practice_id = body["id"]
        run.submitted.append(practice_id)
        status, _, _ = run.request(
            "publish", "POST", f"/api/v1/practices/{practice_id}/transitions",
            body={"action": "publish", "expected_status": "submitted"}, token=publisher)
        if status != 200:
            if status == 0 or status >= 500:
                run.publish_failed.append(practice_id)
            time.sleep(0.2)
            continue
        run.published.append((practice_id, word, time.monotonic()))
        run.public_ids.append(practice_id)
        for _ in range(CHECKS_PER_PUBLISH):
            status, body, seq = run.request("check", "GET", "/api/v1/search", {"q": word})
            if status == 200:
                found = any(item.get("id") == practice_id for item in body.get("results", []))
                run.checks.append((practice_id, seq, found, status))


def searcher(run: Run, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        roll = rng.random()
        if roll < 0.75:
            run.request("search", "GET", "/api/v1/search", {"q": rng.choice(QUERIES)})
        elif roll < 0.85:
            run.request("page", "GET", "/search", {"q": rng.choice(QUERIES)})
        elif roll < 0.95 and run.public_ids:
            run.request("page", "GET", f"/practices/{rng.choice(run.public_ids)}")
        else:
            run.request("page", "GET", "/")


def _percentiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return (values[0] if values else float("nan"),) * 2
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94]


# --- The run -------------------------------------------------------------------------------


class LoadFaults:
    """Sets everything up, runs the phases, checks, and tears everything down."""

    def __init__(self, args) -> None:
        self.args = args
        self.root = Path(tempfile.mkdtemp(prefix="px-load-faults-"))
        os.chmod(self.root, 0o755)
        self.pg = Postgres(self.root, args.port_base + 10)
        self.redis = Redis(self.root, args.port_base + 11)
        self.web_port = args.port_base + 20
        self.access_log = self.root / "access.log"
        self.web: subprocess.Popen | None = None
        self.jobs: subprocess.Popen | None = None
        self.run = Run(self.web_port)
        self.result: dict = {"config": {k: v for k, v in vars(args).items() if k != "json"}}
        index_dir = REPO / "instance" / "load_faults" / args.encoder / "search_index"
        index_dir.mkdir(parents=True, exist_ok=True)  # kept: the neutralizer is fitted once
        self.env = {
            **os.environ, "FLASK_DATABASE_URL": self.pg.url, "FLASK_REDIS_URL": self.redis.url,
            "FLASK_SECRET_KEY": "load-faults-" + os.urandom(8).hex(),
            "FLASK_SEARCH_INDEX_DIR": str(index_dir), "FLASK_ENCODER": args.encoder,
            "FLASK_DEMO_ACCOUNTS_FILE": str(self.root / "demo_accounts.txt"),
            "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
            "WEB_BIND": f"127.0.0.1:{self.web_port}", "WEB_WORKERS": "2", "WEB_THREADS": "4",
            # gunicorn's own access lines (not JSON logs): the script reads which worker
            # answered each request, and its time inside the worker, from them.
            "WEB_LOG_FORMAT": "text",
            "PYTHONUNBUFFERED": "1",
        }

    def flask(self, *args: str, timeout: float = 900, check: bool = True):
        return subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=REPO,
                              env=self.env, capture_output=True, text=True, timeout=timeout,
                              check=check)

    # set-up
    def setup(self) -> None:
        self.pg.init()
        self.redis.start()
        self.flask("db", "upgrade")
        self.flask("practices", "seed-demo")
        self.flask("search-index", "prepare", timeout=1800)
        self.tokens = self._accounts()
        self.start_web()
        self.start_jobs()

    def _accounts(self) -> dict:
        script = (
            "import json\n"
            "from app import create_app\n"
            "from app.db import get_session\n"
            "from practices.models import Practice\n"
            "from practices.permissions import SYSTEM\n"
            "from practices.services import create_institution, create_token, create_user\n"
            "from practices.validation import InstitutionData\n"
            "from practices.roles import Membership\n"
            "from sqlalchemy import select\n"
            "app = create_app()\n"
            "with app.app_context():\n"
            "    s = get_session()\n"
            "    editors = []\n"
            f"    for i in range({self.args.writers}):\n"
            "        inst = create_institution(s, InstitutionData(name=f'Load school {i}', "
            "country='FR', city='Lyon'), actor=SYSTEM, membership=Membership.MEMBER)\n"
            "        u = create_user(s, f'editor{i}@load.example', 'school_editor', "
            "password='load-test-password-1', institution_id=inst.id, actor=SYSTEM)\n"
            "        editors.append(create_token(s, 'load', actor=u)[1])\n"
            "    nc = create_user(s, 'nc@load.example', 'national_coordinator', "
            "password='load-test-password-1', country='FR', actor=SYSTEM)\n"
            "    publisher = create_token(s, 'load', actor=nc)[1]\n"
            "    public = list(s.scalars(select(Practice.id).where(Practice.status == "
            "'published')))\n"
            "    s.commit()\n"
            "print(json.dumps({'editors': editors, 'publisher': publisher, 'public': public}))\n"
        )
        out = subprocess.run([str(VENV_BIN / "python"), "-c", script], cwd=REPO, env=self.env,
                             capture_output=True, text=True, timeout=300, check=True)
        tokens = json.loads(out.stdout.strip().splitlines()[-1])
        self.run.public_ids.extend(tokens["public"])
        return tokens

    def start_web(self) -> None:
        with open(self.root / "gunicorn.log", "ab") as log:
            self.web = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--access-logfile",
                 str(self.access_log), "--access-logformat", "%(p)s %(s)s %(L)s %({x-load-seq}i)s"],
                cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        started = time.monotonic()
        _wait(lambda: self.run.request("setup", "GET", "/api/v1/search", {"q": "school"})[0]
              == 200, 600, "gunicorn to answer a search")
        self.result["web_first_answer_s"] = round(time.monotonic() - started, 1)
        _wait(lambda: len(_children(self.web.pid)) >= 2, 120, "two gunicorn workers")

    def start_jobs(self) -> subprocess.Popen:
        with open(self.root / "jobs.log", "ab") as log:
            self.jobs = subprocess.Popen(
                [str(VENV_BIN / "flask"), "--app", "wsgi", "jobs", "worker"], cwd=REPO,
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self.jobs

    def teardown(self) -> None:
        _kill_group(self.jobs)
        _kill_group(self.web, signal.SIGTERM)
        self.redis.stop()
        self.pg.stop()
        if not self.args.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    # load
    def under_load(self, phase: str, seconds: float, during=None):
        """Run the 8 writers and 16 searchers for `seconds`; call during() in this thread
        meanwhile (a fault); return its value."""
        self.run.phase = phase
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(
            self.run, stop, self.tokens["editors"][i % len(self.tokens["editors"])],
            self.tokens["publisher"], i), daemon=True) for i in range(self.args.writers)]
        threads += [threading.Thread(target=searcher, args=(self.run, stop, i), daemon=True)
                    for i in range(self.args.searchers)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        value = during() if during is not None else None
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        self.run.phase = "between"
        return value

    def idle(self) -> None:
        self.run.phase = "idle"
        for i in range(100):
            self.run.request("search", "GET", "/api/v1/search", {"q": QUERIES[i % len(QUERIES)]})
        self.run.phase = "between"

    # faults
    def kill_web_worker(self) -> dict:
        time.sleep(5)
        before = _children(self.web.pid)
        victim = before[0]
        at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        new = _wait(lambda: [p for p in _children(self.web.pid) if p not in before], 120,
                    "gunicorn to replace the killed worker")
        return {"at": at, "victim": victim, "replacement": new[0]}

    def kill_job_worker(self) -> dict:
        time.sleep(2)
        records = self.root / "import.jsonl"
        with open(records, "w", encoding="utf-8") as out:
            for i in range(self.args.import_records):
                out.write(json.dumps({
                    "external_id": f"lf-import-{i}", "title": f"Imported practice {i}",
                    "summary": "A practice imported while the site is under load.",
                    "body": "Pupils plant trees along the river and measure the shade. " * 12,
                    "language": "en", "themes": ["esd"],
                    "institution": {"name": "Imported school", "country": "KE"}}) + "\n")
        queued = self.flask("practices", "import", str(records), "--publish", "--background")
        job_id = re.search(r"queued job (\S+)", queued.stdout).group(1)
        from redis import Redis as Client
        from rq.job import Job

        client = Client.from_url(self.redis.url)

        def meta():
            job = Job.fetch(job_id, connection=client)
            return job.get_meta(refresh=True), job.get_status(refresh=True)

        busy = _wait(lambda: (lambda m: m if m[0].get("done", 0) > 0
                              and m[0].get("stage") in ("encoding", "writing") else None)(meta()),
                     600, "the import to be under way", 0.05)[0]
        at = time.monotonic()
        os.kill(int(busy["pid"]), signal.SIGKILL)  # the work horse running the import
        _kill_group(self.jobs)  # and the worker
        written = self._count_imported()
        self.start_jobs()
        done = _wait(lambda: (lambda m: m if str(m[1]) in ("JobStatus.FINISHED", "finished",
                                                          "JobStatus.FAILED", "failed")
                              else None)(meta()), 1200, "the retried import to end", 1.0)
        finished_after = time.monotonic() - at
        status = self.flask("jobs", "status", job_id, "--json", check=False)
        info = json.loads(status.stdout.strip().splitlines()[-1]) if status.stdout else {}
        return {"at": at, "killed_at": {"stage": busy.get("stage"), "done": busy.get("done"),
                                        "total": busy.get("total")},
                "written_after_kill": written, "state": info.get("state", str(done[1])),
                "attempt": info.get("attempt"), "result": info.get("result"),
                "finished_after_s": round(finished_after, 1),
                "rows_after": self._count_imported()}

    def _count_imported(self) -> int:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.pg.port} user=postgres dbname=px") as c:
            return c.execute("SELECT count(*) FROM practices WHERE external_id LIKE "
                             "'lf-import-%'").fetchone()[0]

    def restart_postgres(self) -> dict:
        time.sleep(5)
        at = time.monotonic()
        took = self.pg.restart()
        return {"at": at, "restart_s": round(took, 1)}

    def stop_redis(self) -> dict:
        time.sleep(5)
        at = time.monotonic()
        self.redis.stop()
        refused = self.flask("practices", "import", str(self.root / "import.jsonl"),
                             "--background", check=False)
        outage = {"enqueue_exit_code": refused.returncode,
                  "enqueue_message": (refused.stderr.strip().splitlines() or [""])[-1][:160]}
        time.sleep(max(0.0, 10 - (time.monotonic() - at)))
        self.redis.start()
        back = time.monotonic()
        small = self.root / "small.jsonl"
        small.write_text(json.dumps({"external_id": "lf-after-redis", "title": "After Redis",
                                     "body": "Back again.", "language": "en",
                                     "themes": ["esd"]}) + "\n", encoding="utf-8")
        queued = self.flask("practices", "import", str(small), "--background")
        job_id = re.search(r"queued job (\S+)", queued.stdout).group(1)
        status = self.flask("jobs", "status", job_id, "--wait", check=False, timeout=600)
        outage.update(at=at, redis_down_s=round(back - at, 1),
                      job_after_restart=("finished" if status.returncode == 0 else "failed"),
                      job_done_after_restart_s=round(time.monotonic() - back, 1))
        return outage

    # checks
    def acknowledged_missing(self) -> dict:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.pg.port} user=postgres dbname=px") as c:
            rows = dict(c.execute("SELECT id, status FROM practices").fetchall())
        submitted_missing = [i for i in self.run.submitted if i not in rows]
        published_missing = [i for i, _, _ in self.run.published
                             if rows.get(i) not in ("published", "promising",
                                                    "flagged_for_policy")]
        committed_anyway = [i for i in self.run.publish_failed
                            if rows.get(i) in ("published", "promising", "flagged_for_policy")]
        return {"submitted": len(self.run.submitted), "published": len(self.run.published),
                "publish_failed": len(self.run.publish_failed),
                "publish_failed_but_committed": len(committed_anyway),
                "submitted_missing": len(submitted_missing),
                "published_missing": len(published_missing)}

    def served_by(self) -> dict[int, tuple[int, float]]:
        """seq -> (worker pid, seconds inside the worker), from gunicorn's access log."""
        found = {}
        pattern = re.compile(r"^<?(\d+)>? (\d+) ([\d.]+) (\d+)$")
        for line in self.access_log.read_text(errors="replace").splitlines():
            match = pattern.match(line)
            if match:
                found[int(match.group(4))] = (int(match.group(1)), float(match.group(3)))
        return found

    # report
    def summarise(self, faults: dict) -> None:
        served = self.served_by()
        samples = self.run.samples

        def phase_stats(phase: str) -> dict:
            mine = [s for s in samples if s.phase == phase]
            searches = [s for s in mine if s.kind == "search" and s.status == 200]
            client = [1000 * (s.ended - s.started) for s in searches]
            inside = [1000 * served[s.seq][1] for s in searches if s.seq in served]
            p50, p95 = _percentiles(client)
            i50, i95 = _percentiles(inside)
            span = (max(s.ended for s in mine) - min(s.started for s in mine)) if mine else 0
            return {"requests": len(mine), "5xx": sum(s.status >= 500 for s in mine),
                    "no_answer": sum(s.status == 0 for s in mine),
                    "4xx": sum(400 <= s.status < 500 for s in mine),
                    "searches": len(searches), "search_p50_ms": round(p50, 1),
                    "search_p95_ms": round(p95, 1), "inside_p50_ms": round(i50, 1),
                    "inside_p95_ms": round(i95, 1),
                    "requests_per_s": round(len(mine) / span, 1) if span else 0}

        self.result["idle"] = phase_stats("idle")
        self.result["load"] = phase_stats("load")
        checks = self.run.checks
        by_practice: dict[int, set[int]] = {}
        for practice_id, seq, found, _ in checks:
            if found and seq in served:
                by_practice.setdefault(practice_id, set()).add(served[seq][0])
        self.result["visibility"] = {
            "published_checked": len({c[0] for c in checks}),
            "checks": len(checks), "not_found": sum(not c[2] for c in checks),
            "found_on_two_workers": sum(len(p) >= 2 for p in by_practice.values())}
        for name, fault in faults.items():
            stats = phase_stats(name)
            at = fault.get("at")
            failed = [s for s in samples if s.phase == name and (s.status == 0 or s.status >= 500)
                      and at is not None and s.ended >= at]
            stats["recovery_s"] = round(max((s.ended - at for s in failed), default=0.0), 1)
            stats["errors_by_status"] = {str(k): sum(s.status == k for s in failed)
                                         for k in sorted({s.status for s in failed})}
            stats.update({k: v for k, v in fault.items() if k != "at"})
            if "replacement" in fault:  # the new worker's first answer, from the access log
                firsts = [s.ended - at for s in samples if s.seq in served
                          and served[s.seq][0] == fault["replacement"] and 200 <= s.status < 500]
                stats["replacement_first_answer_s"] = round(min(firsts), 1) if firsts else None
            self.result[name] = stats
        self.result["acknowledged"] = self.acknowledged_missing()
        # Drift is what stays: a write still being committed when the check starts is not
        # drift, so the check is made again (up to 3 times, 5 s apart) before it counts.
        attempt = 0
        while True:
            attempt += 1
            verified = self.flask("search-index", "verify", check=False, timeout=1200)
            if verified.returncode == 0 or attempt == 3:
                break
            time.sleep(5)
        self.result["verify"] = verified.returncode == 0
        self.result["verify_attempts"] = attempt
        self.result["verify_output"] = ((verified.stdout or "")[-2000:]
                                        + (verified.stderr or "")[-2000:])

    def table(self) -> str:
        r = self.result
        idle, load, vis, ack = r["idle"], r["load"], r["visibility"], r["acknowledged"]
        rows = [
            ("load: requests (per s)", f"{load['requests']} ({load['requests_per_s']}/s), "
             f"{self.args.writers} writers + {self.args.searchers} searchers, "
             f"{self.args.minutes:g} min"),
            ("load: responses 5xx / no answer", f"{load['5xx']} / {load['no_answer']}"),
            ("acknowledged writes missing", f"{ack['submitted_missing']} of {ack['submitted']} "
             f"submits, {ack['published_missing']} of {ack['published']} publishes (whole run)"),
            ("publishes answered 5xx / not at all, yet committed",
             f"{ack['publish_failed_but_committed']} of {ack['publish_failed']}"),
            ("published, then not found by a search", f"{vis['not_found']} of {vis['checks']} "
             f"checks ({vis['published_checked']} practices; {vis['found_on_two_workers']} "
             "found on both workers)"),
            ("search p50 / p95, client (idle)", f"{idle['search_p50_ms']} / "
             f"{idle['search_p95_ms']} ms"),
            ("search p50 / p95, client (load)", f"{load['search_p50_ms']} / "
             f"{load['search_p95_ms']} ms"),
            ("search p50 / p95, inside the worker (idle / load)",
             f"{idle['inside_p50_ms']} / {idle['inside_p95_ms']} ms; {load['inside_p50_ms']} / "
             f"{load['inside_p95_ms']} ms"),
            ("web workers RSS", ", ".join(f"{mb:.0f} MB" for mb in r.get("worker_rss_mb", []))),
            ("first answer after gunicorn starts", f"{r['web_first_answer_s']} s"),
        ]
        for name, label in (("kill_web_worker", "kill -9 of a web worker"),
                            ("kill_job_worker", "kill -9 of the job worker mid-import"),
                            ("restart_postgres", "PostgreSQL restarted"),
                            ("stop_redis", "Redis stopped 10 s")):
            f = r.get(name)
            if f is None:
                continue
            text = (f"{f['5xx']} 5xx, {f['no_answer']} no answer of {f['requests']}; "
                    f"recovered {f['recovery_s']} s")
            if name == "kill_web_worker":
                text += f"; the new worker answered {f['replacement_first_answer_s']} s after"
            if name == "kill_job_worker":
                text += (f"; killed while {f['killed_at']['stage']} "
                         f"{f['killed_at']['done']}/{f['killed_at']['total']}, rows written "
                         f"then {f['written_after_kill']}, job {f['state']} on attempt "
                         f"{f['attempt']} after {f['finished_after_s']} s, rows "
                         f"{f['rows_after']}/{self.args.import_records}")
            if name == "restart_postgres":
                text += f"; restart took {f['restart_s']} s; by status {f['errors_by_status']}"
            if name == "stop_redis":
                text += (f"; enqueue during outage exit {f['enqueue_exit_code']}; a job queued "
                         f"after restart {f['job_after_restart']} in "
                         f"{f['job_done_after_restart_s']} s")
            rows.append((label, text))
        rows.append(("`search-index verify` at the end", "OK" if r["verify"] else "DRIFT"))
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)

    def main(self) -> int:
        faults = {}
        try:
            self.setup()
            self.idle()
            self.under_load("load", self.args.minutes * 60)
            self.result["worker_rss_mb"] = [round(_rss_mb(p), 0) for p in _children(self.web.pid)]
            steps = {"kill_web_worker": self.kill_web_worker,
                     "kill_job_worker": self.kill_job_worker,
                     "restart_postgres": self.restart_postgres,
                     "stop_redis": self.stop_redis}
            for name in self.args.faults:
                faults[name] = self.under_load(name, self.args.fault_seconds, steps[name])
            time.sleep(2)
            self.summarise(faults)
        finally:
            self.teardown()
        print(self.table())
        if self.args.json:
            Path(self.args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(self.args.json).write_text(json.dumps(self.result, indent=2, default=str))
        return 0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="steady load (default 5)")
    parser.add_argument("--fault-seconds", type=float, default=40.0,
                        help="load around each fault (default 40)")
    parser.add_argument("--encoder", default="sentence-transformers",
                        choices=["sentence-transformers", "hashing"])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--searchers", type=int, default=16)
    parser.add_argument("--import-records", type=int, default=300,
                        help="records of the import killed mid-way (more than one encoding "
                             "batch of 256, so that it is killed while encoding)")
    parser.add_argument("--faults", nargs="*", default=["kill_web_worker", "kill_job_worker",
                                                        "restart_postgres", "stop_redis"])
    parser.add_argument("--port-base", type=int, default=51300)
    parser.add_argument("--json", default=str(REPO / "benchmarks" / "results" /
                                              "load_faults.json"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def _exit_on_sigterm(_signum, _frame):
    raise SystemExit(143)  # so that `finally` stops and deletes everything started


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    sys.exit(LoadFaults(parse_args()).main())
