"""The auth feature: blueprint `auth` (its routes are in ``views``, which
:func:`portal.create_app` imports before registering it, so importing a module of this
package never imports every view)."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
