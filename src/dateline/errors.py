"""Errors dateline raises, each with a stable code and a message that says what to do.

Hierarchy::

    DatelineError
    ├── InputError                 a document cannot be read (per document; the batch goes on)
    │   ├── EmptyInputError        E101  nothing but whitespace
    │   ├── BinaryInputError       E102  looks like a binary file
    │   ├── EncodingError          E103  not valid text in the expected encoding
    │   ├── TooLargeError          E104  larger than the configured limit
    │   ├── MalformedInputError    E105  JSONL line or HTML that cannot be parsed
    │   ├── UnsupportedInputError  E106  a path that is neither file, directory nor '-'
    │   └── TimeLimitError         E107  processing took longer than the per-document limit
    ├── DateError                  E201  no reference date can be found or parsed
    ├── ResourceError              E301  a model, gazetteer or data file is missing
    ├── StoreError                 E401  the database cannot be opened or written
    └── ProcessingError            E501  an unexpected error on one document (a bug to report)
"""

from __future__ import annotations


class DatelineError(Exception):
    """Base class; ``code`` is stable across versions, ``origin`` names the document."""

    code = "E000"

    def __init__(self, message: str, *, origin: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.origin = origin

    def __str__(self) -> str:
        where = f"{self.origin}: " if self.origin else ""
        return f"{where}{self.message} [{self.code}]"


class InputError(DatelineError):
    """A document cannot be read; only that document fails."""

    code = "E100"


class EmptyInputError(InputError):
    code = "E101"


class BinaryInputError(InputError):
    code = "E102"


class EncodingError(InputError):
    code = "E103"


class TooLargeError(InputError):
    code = "E104"


class MalformedInputError(InputError):
    code = "E105"


class UnsupportedInputError(InputError):
    code = "E106"


class TimeLimitError(InputError):
    """The document took longer than ``Settings.time_limit`` seconds; it fails alone."""

    code = "E107"


class DateError(DatelineError):
    code = "E201"


class ResourceError(DatelineError):
    code = "E301"


class StoreError(DatelineError):
    code = "E401"


class ProcessingError(DatelineError):
    """An unexpected exception while processing one document; stored as a failure to retry."""

    code = "E501"
