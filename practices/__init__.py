"""The Practice Exchange domain: models, validation, services and workflow. Never imports Flask.

The names below are the public API the web app, the CLI and the tests use.
"""
from practices.demo import seed_demo
from practices.records import ImportFailed, RecordError, detect_format, read_records, write_records
from practices.rendering import plain_text, render_markdown
from practices.search_text import SearchText, search_text
from practices.services import (
    ImportReport,
    count_practices,
    create_practice,
    export_records,
    get_practice,
    get_practices,
    get_public_practice,
    import_records,
    public_practice_ids,
    publish,
    submit,
    transition,
    update_practice,
)
from practices.validation import InstitutionData, PracticeData, validate_practice
from practices.workflow import PUBLIC_STATUSES, Status

__all__ = [
    "ImportFailed",
    "ImportReport",
    "InstitutionData",
    "PUBLIC_STATUSES",
    "PracticeData",
    "RecordError",
    "SearchText",
    "Status",
    "count_practices",
    "create_practice",
    "detect_format",
    "export_records",
    "get_practice",
    "get_practices",
    "get_public_practice",
    "import_records",
    "plain_text",
    "public_practice_ids",
    "publish",
    "read_records",
    "render_markdown",
    "search_text",
    "seed_demo",
    "submit",
    "transition",
    "update_practice",
    "validate_practice",
    "write_records",
]
