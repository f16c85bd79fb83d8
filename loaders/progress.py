"""Work in progress: this reader is being written."""
from __future__ import annotations


class ProgressReader:
    name = "progress"

    def read(self, doc):
        return None
