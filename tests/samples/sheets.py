"""Sample contexts for the refusals of imported spreadsheets past their limits."""

SAMPLES: dict[str, dict[str, object]] = {
    "sheets/file_too_large": {"name": "ket-qua <dot 1>.xlsx", "size_mb": 12, "limit_mb": 10},
    "sheets/unpacks_too_large": {"name": "ket-qua.xlsx", "limit_mb": 100},
    "sheets/too_many_rows": {"name": "ket-qua.csv", "limit": 50000},
    "sheets/too_many_cells": {"name": "ket-qua.xlsx", "limit": 2000000},
    "sheets/packed_too_tightly": {"name": "ket-qua.xlsx"},
    "sheets/too_costly": {"name": "ket-qua.xlsx", "limit_mb": 512, "seconds": 60},
}
