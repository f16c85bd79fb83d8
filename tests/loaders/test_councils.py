"""The list of UK principal councils and the council a document is by, however it writes its name."""
from __future__ import annotations

import pytest

from govgraph.loaders.councils import candidates, councils, find_council, resolve


def test_the_list_covers_every_nation_and_kind():
    current = [c for c in councils() if c.abolished is None]
    by_nation = {n: sum(1 for c in current if c.nation == n) for n in ("England", "Wales", "Scotland", "Northern Ireland")}
    assert by_nation == {"England": 317, "Wales": 22, "Scotland": 32, "Northern Ireland": 11}
    assert len({c.name for c in councils()}) == len(councils())


@pytest.mark.parametrize("written, name", [
    ("City of York", "City of York Council"), ("york", "City of York Council"),
    ("Kensington & Chelsea", "Royal Borough of Kensington and Chelsea"), ("the Highland Council", "The Highland Council"),
    ("Cyngor Caerdydd", "Cardiff Council"), ("Mid Devon", "Mid Devon District Council"),
    ("Southwark Council", "London Borough of Southwark"),
])
def test_common_forms_resolve(written, name):
    assert resolve(written).name == name


def test_an_ambiguous_name_lists_the_candidates():
    assert resolve("Newcastle") is None
    assert len(candidates("Newcastle")) >= 2


@pytest.mark.parametrize("text, council", [
    ("LONDON BOROUGH OF TOWER HAMLETS\nCabinet decisions", "London Borough of Tower Hamlets"),
    ("Report to Torfaen County Borough Council. Torfaen's plan.", "Torfaen County Borough Council"),
    ("Across Calderdale we will... Calderdale partners agree.", "Calderdale Council"),
    ("Reading the report, members agreed. Reading it again.", None),  # the verb, not the town
    ("Reading Borough Council will publish it.", "Reading Borough Council"),
    ("Venue: Council Chamber, County Hall, Maidstone.", None),  # one passing mention of a place
    ("Ashcombe Parish Council met. Ashcombe Parish Council agreed.", "Ashcombe Parish Council"),
    # a council the document works with or compares itself with is not the one it is by
    ("Wakefield's plan, shared with Sheffield City Council; Wakefield members agreed.", "Wakefield Council"),
    ("Our costs are lower than the London Borough of Camden. Islington will report; Islington agreed.", "London Borough of Islington"),
])
def test_the_council_a_document_is_by(text, council):
    assert find_council(text) == council
