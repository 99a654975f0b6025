"""The embeddable chat widget's script and stylesheet, served by the product at fixed addresses.

`/chat/widget.js` and `/chat/widget.css` never change address (sites paste the tag once), so
they are not the hashed static files: they are read from static/chat/ and sent with a short
cache lifetime and a validator, so a new release reaches visitors within minutes.
"""

from __future__ import annotations

import datetime as dt
import os

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

WIDGET_FILES = {
    "widget.js": "text/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
}


def _widget_path(name: str) -> str:
    path = finders.find(f"chat/{name}") if name in WIDGET_FILES else None
    if not path:
        raise Http404(name)
    return path


def _last_modified(request, name: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(os.path.getmtime(_widget_path(name)), tz=dt.UTC)


@require_safe
@cache_control(public=True, max_age=300)
@condition(last_modified_func=_last_modified)
def widget_file(request, name: str):
    response = FileResponse(open(_widget_path(name), "rb"), content_type=WIDGET_FILES[name])  # noqa: SIM115 (FileResponse closes it)
    # Any site may load it, even one that isolates itself (COEP) or reads its stylesheets
    # (audit tools such as axe-core fetch them): it is public, like any file of a CDN.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response
