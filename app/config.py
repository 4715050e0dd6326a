"""Documented configuration defaults. Every key can be set from the environment as FLASK_<KEY>.

Secrets are never committed: SECRET_KEY comes from the environment or instance/config.py
(`make run` writes a random one there on first start).
"""


class DefaultConfig:
    """Defaults for every configuration key; the README's configuration table lists them all."""

    # Database URL (SQLAlchemy form). None means SQLite in the instance folder:
    # sqlite:///<instance>/practice_exchange.db. Production uses PostgreSQL, e.g.
    # postgresql+psycopg://user@host:5432/dbname.
    DATABASE_URL: str | None = None

    # Which encoder embeds practices: "sentence-transformers" (the real multilingual model)
    # or "hashing" (deterministic, offline, for tests and quick development).
    ENCODER = "sentence-transformers"
    # Model id recorded with every stored vector and with the index; a change of id makes
    # `flask search-index rebuild --reembed` necessary.
    EMBEDDING_MODEL = "intfloat/multilingual-e5-small"
    # Local sentence-transformers folder holding that model (built offline by `make model`).
    # None means <instance>/models/multilingual-e5-small.
    EMBEDDING_MODEL_PATH: str | None = None
    # Threads torch may use to encode (0 leaves torch's default: one per core). One, because
    # OpenMP threads spin while waiting: measured on 2 cores with the other core busy, one
    # query took 15 ms with 1 thread and 966 ms with 2. Raise it for a bulk import on an
    # otherwise idle machine (FLASK_EMBEDDING_THREADS=2 flask practices import ...).
    EMBEDDING_THREADS = 1
    # How queries and passages are computed (search_index/cpu_features.py). "auto": queries on
    # ONNX Runtime (3.8x the plain sentence-transformers query, same vectors, no torch in the
    # process); passages under bfloat16 autocast when this CPU has bfloat16 instructions
    # (2.4x), else on ONNX Runtime. Other values: "onnx", "torch-fp32",
    # "sentence-transformers" (the reference library) and, for passages, "torch-bf16".
    # gunicorn.conf.py sets the passage path of web workers to "onnx", so they never import
    # torch.
    EMBEDDING_QUERY_PATH = "auto"
    EMBEDDING_PASSAGE_PATH = "auto"
    # Directory of the on-disk FAISS/keyword cache. None means <instance>/search_index.
    SEARCH_INDEX_DIR: str | None = None
    # Results per page when the request does not say, and the most a request may ask for.
    SEARCH_RESULTS_LIMIT = 10
    SEARCH_MAX_LIMIT = 50
    # How many best dense candidates feed the fusion with keyword hits (per query).
    SEARCH_CANDIDATES = 100
    # Longest query accepted, in characters (longer ones are refused with 400 by the API):
    # a query is encoded on every search, and a pasted page would only cost time.
    SEARCH_MAX_QUERY_CHARS = 1000
    # Remove the language component from every vector (search_index.neutral), so results
    # are not biased towards the query's language. Fitted once per model on the reference
    # text bundled with search_index and cached under SEARCH_INDEX_DIR/neutralizer/.
    SEARCH_NEUTRALIZER = True
    # Seconds a process waits for a change-sequence number it saw skipped (a transaction that
    # took the number but had not committed yet) before giving up on it.
    SEARCH_CHANGE_GAP_SECONDS = 300
    # Days of change-sequence rows kept; `flask search-index rebuild` deletes older ones
    # (safe: every process rebuilds after a rebuild, whatever it had seen).
    SEARCH_CHANGES_KEEP_DAYS = 30
    # Load the encoder and the index in a background thread on the first request, so the
    # first search does not wait for the model (about 10 s for multilingual-e5-small).
    SEARCH_WARM_UP = True

    # Failed sign-in attempts allowed (Flask-Limiter rate strings, ";" between several),
    # per client address and per account address named in the attempt; one more gets 429.
    # Only failures count. Per address, generous: a whole school may share one address.
    LOGIN_RATE_LIMIT_PER_IP = "30 per 5 minutes; 200 per day"
    LOGIN_RATE_LIMIT_PER_ACCOUNT = "5 per 5 minutes; 30 per day"
    # Where the attempt counts are kept. "memory://" counts per process; production with
    # several worker processes shares them in Redis: "redis://127.0.0.1:6379".
    RATELIMIT_STORAGE_URI = "memory://"
    # False switches every rate limit off (the tests do, except those about the limits).
    RATELIMIT_ENABLED = True
    # Where `flask practices seed-demo` writes the demo accounts and their generated passwords
    # (mode 0600), for whoever missed them on the console. None means
    # <instance>/demo_accounts.txt.
    DEMO_ACCOUNTS_FILE: str | None = None

    # Seconds a process reuses a dashboard it computed (app/monitoring/pages.py); 0 computes
    # every request. Who may see it is checked on every request all the same.
    MONITORING_CACHE_SECONDS = 60

    # OAI-PMH (/oai, app/harvesting/oai.py): how the repository names itself to harvesters.
    # Its identifier is the middle of every record's OAI identifier (oai:<id>:practice/<n>):
    # set it to the site's domain name in production, once, so identifiers never change;
    # None uses the host name of each request.
    OAI_REPOSITORY_NAME = "ASPnet Practice Exchange"
    OAI_REPOSITORY_IDENTIFIER: str | None = None
    OAI_ADMIN_EMAIL = "aspnet@unesco.org"
    OAI_PAGE_SIZE = 100  # records or headers per ListRecords/ListIdentifiers response
    # Redis of the background jobs (app/jobs: imports, re-encoding, the neutralizer's fit), e.g.
    # "redis://127.0.0.1:6379/0"; `flask jobs worker` runs them. None: jobs run in a
    # background thread of the process that queued them (the embedded default, `make run`).
    REDIS_URL: str | None = None

    # How many reverse proxies in front of the app may set X-Forwarded-For/-Proto (werkzeug
    # ProxyFix). 0 trusts none; behind one nginx set 1, or every visitor shares the proxy's
    # address and the sign-in rate limit of one blocks all.
    PROXY_FIX_X_FOR = 0

    # Folder of attached files' bytes (content-addressed, practices/blobs.py). None means
    # <instance>/attachments. Back it up with the database.
    ATTACHMENTS_DIR: str | None = None
    # Largest file a school may attach, in bytes (the form states it). Uploads of a file may
    # exceed MAX_CONTENT_LENGTH by this much; an import's upload by IMPORT_MAX_BYTES.
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    # Largest file the Import practices page takes, in bytes (the page states it): a JSON
    # Lines export carries its practices' files in Base64 (4/3 of their size). The upload is
    # held in memory and handed to the job queue; bigger files go through `flask practices
    # import`, which has no limit.
    IMPORT_MAX_BYTES = 64 * 1024 * 1024
    # E-mail (app/mail). Absolute links in messages start with PUBLIC_URL (the address
    # people open the site at; no trailing slash).
    PUBLIC_URL = "http://127.0.0.1:5000"
    # "folder" writes each message as an .eml file to MAIL_OUTBOX_DIR (None means
    # <instance>/outbox; `make run`, listed on /admin/outbox); "smtp" sends through
    # MAIL_SERVER (production); any Flask-Mailman backend name or dotted path works.
    MAIL_BACKEND = "folder"
    MAIL_OUTBOX_DIR: str | None = None
    # Flask-Mailman's SMTP settings.
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_TIMEOUT = 30  # seconds for one SMTP conversation step
    MAIL_DEFAULT_SENDER = "Practice Exchange <no-reply@localhost>"
    # Who sends the outbox: "thread" (a small deliverer thread in each web worker, started
    # by its first request, woken after each commit that queued mail) or "command" (only
    # `flask mail deliver --loop`).
    MAIL_DELIVERY = "thread"
    # The in-process deliverer also wakes this often for retries (seconds).
    MAIL_POLL_SECONDS = 30
    # A failed send is tried again after MAIL_RETRY_SECONDS x 2^(attempts-1); after
    # MAIL_MAX_ATTEMPTS (8: about 2 hours with 60 s) the message is marked failed and logged.
    MAIL_RETRY_SECONDS = 60
    MAIL_MAX_ATTEMPTS = 8
    # How long a deliverer holds a message it is sending before another may take it over.
    MAIL_CLAIM_SECONDS = 300
    # The language of messages to people whose interface language is not known.
    MAIL_DEFAULT_LANGUAGE = "en"
    # How long a password-reset link and an address-confirmation link work (hours).
    MAIL_RESET_HOURS = 2
    MAIL_CONFIRM_HOURS = 72
    # Serve Prometheus metrics at /metrics (app/metrics.py): request and search latency,
    # index lag, job queue depth. Not for the public: the reverse proxy lets only the
    # monitoring host reach it (README, Production).
    METRICS_ENABLED = True

    # Flask's own keys with our defaults.
    SECRET_KEY: str | None = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # bytes; a practice is text, 2 MiB is generous
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # The session cookie: never readable by scripts; not sent with cross-site POSTs (a second
    # line of defence after CSRF tokens). Set SESSION_COOKIE_SECURE = True in production,
    # which is served over HTTPS only: the cookie is then never sent over plain http.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
