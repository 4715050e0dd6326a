"""Domain services: functions taking a Session first; they flush at most, never commit."""
from practices.services.editing import (
    create_practice,
    publish,
    submit,
    transition,
    update_practice,
)
from practices.services.queries import (
    count_practices,
    get_practice,
    get_practices,
    get_public_practice,
    public_practice_ids,
)
from practices.services.transfer import ImportReport, export_records, import_records

__all__ = [
    "ImportReport",
    "count_practices",
    "create_practice",
    "export_records",
    "get_practice",
    "get_practices",
    "get_public_practice",
    "import_records",
    "public_practice_ids",
    "publish",
    "submit",
    "transition",
    "update_practice",
]
