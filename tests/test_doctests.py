"""The examples in docstrings run."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["govgraph.ontology", "govgraph.loaders.dates", "govgraph.loaders.names", "govgraph.loaders.genre", "govgraph.loaders.phrases", "govgraph.loaders.sentences", "govgraph.loaders.numbering", "govgraph.loaders.councils", "govgraph.loaders.confidence", "govgraph.loaders.text", "govgraph.loaders.vocabulary",
           "govgraph.queries.store", "govgraph.queries.similarity", "govgraph.queries.bounded", "govgraph.queries.syntax",
           "govgraph.visualise.maps", "govgraph.visualise.cells", "govgraph.visualise.results",
           "govgraph.visualise.bar_chart", "govgraph.server.sessions", "govgraph.server.loading",
           "govgraph.server.tables"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
