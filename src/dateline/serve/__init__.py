"""``dateline serve``: a JSON API and a page with the map, the timeline and the evidence."""

from dateline.serve.app import create_app
from dateline.serve.settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]
