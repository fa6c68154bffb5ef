"""The bare Flask app the HTTP benchmark compares the portal with: one route answering
``ok``. Served by gunicorn with the same settings as the portal (``bench/bench_http.py``)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The whole app."""
    return "ok"
