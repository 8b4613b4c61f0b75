"""``dateline eval``: scoring the pipeline on gold sets written by others."""
