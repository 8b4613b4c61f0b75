"""Batch processing at scale: the relevance filter, the resumable multiprocess ingest, Spark."""

from dateline.batch.relevance import RelevanceFilter, default_filter
from dateline.batch.runner import BatchIngest, BatchOptions, Outcome, Summary, ingest_batch

__all__ = [
    "BatchIngest",
    "BatchOptions",
    "Outcome",
    "RelevanceFilter",
    "Summary",
    "default_filter",
    "ingest_batch",
]
