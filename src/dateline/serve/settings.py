"""Options of the web app, on top of the run settings (``DATELINE_*`` variables too)."""

from __future__ import annotations

from pydantic import Field, SecretStr

from dateline.settings import Settings


class ServeSettings(Settings):
    """Run settings plus who may read and write through ``dateline serve``."""

    api_token: SecretStr | None = Field(
        default=None,
        description="token POST /documents requires (Authorization: Bearer ...); "
        "writes are refused when unset",
    )
    allow_remote: bool = Field(
        default=False,
        description="serve the read API and page to clients other than this machine (loopback)",
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="extra Host header names accepted besides localhost and loopback addresses",
    )
    max_request_bytes: int = Field(
        default=2_000_000, description="larger request bodies are refused with 413"
    )
    max_page_size: int = Field(default=500, description="largest ?limit= a list endpoint accepts")
    tiles_url: str | None = Field(
        default=None,
        description="online map tiles (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png); "
        "the offline country outlines are used when unset",
    )
