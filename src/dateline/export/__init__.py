"""Writers for records and events: JSON, JSONL, CSV, GeoJSON and ACLED-style CSV."""
