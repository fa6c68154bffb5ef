"""The progress feature: blueprint `progress` (its routes are in ``views``, which
:func:`portal.create_app` imports before registering it, so importing a module of this
package never imports every view)."""

from flask import Blueprint

bp = Blueprint("progress", __name__)
