"""Readers that turn files, directories and stdin into ``RawDocument`` values.

Each input yields either a ``RawDocument`` or a ``Rejected`` saying why it could not be
read, so one bad file never stops a batch.
"""

from dateline.ingest.readers import (
    clean_text,
    iter_inputs,
    prepare,
    read_bytes,
    read_html,
    read_jsonl,
    read_text,
)

__all__ = [
    "clean_text",
    "iter_inputs",
    "prepare",
    "read_bytes",
    "read_html",
    "read_jsonl",
    "read_text",
]
