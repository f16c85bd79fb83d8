"""Work in progress: this reader is being written."""
from __future__ import annotations


class TableReader:
    name = "tables"

    def read(self, doc):
        return None
