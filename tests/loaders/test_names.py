"""Post and body names resolve to one identity across spellings and abbreviations."""
from __future__ import annotations

import pytest

from govgraph.loaders.names import body_key, body_kind, expands_to, first_sentence, post_key, slug


@pytest.mark.parametrize("a, b", [
    ("Director of Resources and Housing", "Director Resources and Housing"),
    ("Director of Resources & Housing", "director of resources and housing"),
    ("Chief Officer (Human Resources)", "Chief Officer Human Resources"),
    ("<p>Head of Internal Audit</p>", "Head of Internal Audit"),
])
def test_spellings_of_one_post(a, b):
    assert post_key(a) == post_key(b)


def test_different_posts_stay_different():
    assert post_key("Director of Resources") != post_key("Director of Resources and Housing")


def test_body_word_order_does_not_matter():
    assert body_key("Scrutiny Board (Strategy and Resources)") == body_key("Strategy and Resources Scrutiny Board")


@pytest.mark.parametrize("name, kind", [
    ("Strategy and Resources Scrutiny Board", "scrutiny"),
    ("Executive Board", "executive"),
    ("Cabinet", "executive"),
    ("Full Council", "full-council"),
    ("Corporate Governance and Audit Committee", "committee"),
    ("Corporate Improvement Board", "board"),
    ("Chief Officer Group", "officer-group"),
    ("Director of Resources", None),
])
def test_body_kinds(name, kind):
    assert body_kind(name) == kind


def test_abbreviations():
    assert expands_to("CGAC", "Corporate Governance and Audit Committee")
    assert expands_to("S&R", "Strategy and Resources")
    assert not expands_to("Cgac", "Corporate Governance and Audit Committee")
    assert not expands_to("CGA", "Corporate Governance and Audit Committee")


def test_slug_and_first_sentence():
    assert slug("Leeds City Council") == "leeds-city-council"
    assert slug("  ") == "unnamed"
    assert first_sentence("One. Two.") == "One."
    assert first_sentence("x " * 200, 20).endswith("\u2026")
