"""The FastAPI app: the JSON API, the page and its local assets, and the guard in front.

The guard lets only loopback clients in (unless ``allow_remote``), refuses Host headers that
are not this machine's (DNS rebinding), caps request bodies, and sets security headers.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dateline import __version__
from dateline.errors import DatelineError
from dateline.serve.api import Context, build_router
from dateline.serve.settings import ServeSettings
from dateline.serve.writer import DocumentWriter
from dateline.store import Store

if TYPE_CHECKING:
    from dateline.pipeline import Pipeline

log = logging.getLogger(__name__)

STATIC = Path(str(resources.files("dateline.serve").joinpath("static")))
# The page loads only its own scripts and styles; article text can never become markup.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:{tiles}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(value: str) -> str:
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware: loopback-only access, Host check, body size limit, security headers."""

    def __init__(self, app: ASGIApp, *, settings: ServeSettings) -> None:
        self.app = app
        self.allow_remote = settings.allow_remote
        self.allowed_hosts = {h.lower() for h in settings.allowed_hosts}
        self.max_bytes = settings.max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        client = scope.get("client")
        if not self.allow_remote:
            if not _is_loopback(client[0] if client else None):
                await _problem(send, 403, "this server answers only on this machine (loopback); "
                               "start it with --allow-remote to open it")  # fmt: skip
                return
            host = _host_name(headers.get("host", "")).lower()
            if not (_is_loopback(host) or host in self.allowed_hosts):
                await _problem(send, 421, f"unexpected Host header {host!r}; add it with "
                               "--allowed-host")  # fmt: skip
                return
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _problem(send, 413, f"request body over the {self.max_bytes:,}-byte limit")
            return
        if length is None and scope["method"] in ("POST", "PUT", "PATCH"):
            # A chunked body has no declared length: read it here, up to the limit.
            body = bytearray()
            more = True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    return
                body.extend(message.get("body", b""))
                more = bool(message.get("more_body", False))
                if len(body) > self.max_bytes:
                    await _problem(
                        send, 413, f"request body over the {self.max_bytes:,}-byte limit"
                    )
                    return
            receive = _replay(bytes(body), receive)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def _replay(body: bytes, original: Receive) -> Receive:
    """A receive that hands over the body read already, then waits on the connection."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive


async def _problem(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def create_app(
    settings: ServeSettings | None = None,
    *,
    store: Store | None = None,
    pipeline: Callable[[], Pipeline] | None = None,
) -> FastAPI:
    """The app over one store (opened from ``settings.db_url`` unless given)."""
    settings = settings or ServeSettings()
    store = store or Store(settings.db_url)
    writer = DocumentWriter(store, settings, token=settings.api_token, pipeline=pipeline)
    context = Context(
        store=store,
        writer=writer,
        max_page_size=settings.max_page_size,
        tiles_url=settings.tiles_url,
        max_request_bytes=settings.max_request_bytes,
    )
    app = FastAPI(
        title="dateline",
        version=__version__,
        summary="Geocoded, dated, sourced event records from conflict reporting, with the "
        "character spans they came from.",
        docs_url=None,
        redoc_url=None,
    )
    app.include_router(build_router(context))

    @app.exception_handler(DatelineError)
    async def dateline_error(_request: Request, exc: DatelineError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": exc.message, "code": exc.code})

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # The default handler echoes the input back; a 1 MB body then comes back whole.
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()[:20]
        ]
        return JSONResponse(status_code=422, content={"detail": errors})

    tiles = ""
    if settings.tiles_url:
        from urllib.parse import urlsplit

        parts = urlsplit(settings.tiles_url)
        tiles = f" {parts.scheme}://{parts.netloc.replace('{s}', '*')}"
    csp = PAGE_CSP.format(tiles=tiles)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(
            STATIC / "index.html",
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": csp, "Cache-Control": "no-cache"},
        )

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="dateline API",
            swagger_js_url="/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=1)
    app.add_middleware(Guard, settings=settings)
    app.state.store = store
    app.state.max_page_size = settings.max_page_size
    return app


def vendor_missing() -> list[str]:
    """Front-end files the page needs that ``make web`` has not copied yet."""
    needed = ["leaflet.js", "leaflet.css", "topojson-client.min.js", "countries-10m.json"]
    return [name for name in needed if not (STATIC / "vendor" / name).is_file()]
