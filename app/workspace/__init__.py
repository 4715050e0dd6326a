"""The school's workspace: writing and editing practices (submit), the school's list and
pages of its practices with their workflow actions (pages)."""
