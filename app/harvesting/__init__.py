"""Harvesting and permanent records: OAI-PMH (oai.py), sitemap.xml and robots.txt, and the
citation exports of each public practice (records.py)."""
