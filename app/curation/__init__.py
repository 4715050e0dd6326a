"""Curation, for curators: the promotion queue, promoting with a dossier, flagging for policy,
archiving (pages, forms), and the list of promising practices with its exports (curated)."""
