"""Where the app keeps attached files' bytes: practices.blobs.BlobStore in ATTACHMENTS_DIR."""
from __future__ import annotations

from flask import current_app

from practices.blobs import BlobStore


def blob_store() -> BlobStore:
    """Return the blob store of the current app (ATTACHMENTS_DIR, default
    <instance>/attachments)."""
    return BlobStore(current_app.config["ATTACHMENTS_DIR"])
