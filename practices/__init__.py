"""The Practice Exchange domain: models, validation, services and workflow. Never imports Flask."""
