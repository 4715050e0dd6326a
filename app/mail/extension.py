"""The Flask-Mailman extension object (its own module: the deliverer and init_app share it)."""
from flask_mailman import Mail

mail = Mail()
