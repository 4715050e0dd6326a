"""Public pages, for anyone signed in or not: the start page and search results (find), a
practice's page (catalog), the Atom feeds (feeds)."""
