"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi run``.

A configuration error (see :class:`portal.config.ConfigError`) is printed as one line on
stderr and the process exits with status 4, which gunicorn reads as "App failed to load" and
stops instead of restarting workers; the ``flask`` command exits with it too.
"""

import sys

from portal import create_app
from portal.config import ConfigError

#: Exit status for a configuration error (gunicorn's APP_LOAD_ERROR).
CONFIG_ERROR_STATUS = 4

try:
    app = create_app()
except ConfigError as error:
    print(f"Configuration error: {error}", file=sys.stderr, flush=True)
    raise SystemExit(CONFIG_ERROR_STATUS) from None
