"""Work in progress: this reader is being written."""
from __future__ import annotations


class ProseReader:
    name = "prose"

    def read(self, doc):
        return None
