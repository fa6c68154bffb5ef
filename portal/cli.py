"""Flask CLI commands: ``flask content ...``, ``flask users ...``, ``flask demo ...``.

Each feature exposes a ``register_cli(app)`` hook (if it has commands); this module calls
them so ``create_app`` stays free of side effects.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Attach every feature's CLI commands to ``app``.

    A feature module that does not exist is skipped; an import error raised from inside
    one (a missing dependency) propagates.
    """
    import importlib

    for name in ("portal.auth.cli", "portal.courses.cli", "portal.demo"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register_cli(app)
