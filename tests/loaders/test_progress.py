"""The progress reader on a small progress report written here."""
from __future__ import annotations

from pathlib import Path

from govgraph.loaders.progress import ProgressReader
from govgraph.loaders.text import TextDocument


def read(text: str):
    return ProgressReader().read(TextDocument(Path("update.txt"), "0" * 64, text))


REPORT = """GOVERNANCE COMMITTEE 12 March 2024

Improvement Plan - March 2024 update

- 3.1 The Improvement Plan (IP) contains 24 actions and is monitored by the Governance Committee.
- 3.2 The following actions have been completed:
 - Adopt a new code of corporate governance (1.2)
 - Publish the annual governance statement on time (1.4).
- 3.3 The following actions are on track for completion by the end of April:
 - Refresh the risk management strategy (2.1)
- 3.4 There is one area of slippage:
 - Complete the asset review by December 2023 (3.2) - valuations were delayed; a report will go to Cabinet in May.
- 3.5 Revised timescales are proposed for the following:
 - Review member training by January 2024 (4.1) - revised from January to June 2024 following the elections.
 - Launch the new intranet (4.3) - it is proposed this is deferred until September 2024.
"""


def test_statuses_dates_and_revisions_from_the_report():
    reading = read(REPORT)
    rows = [(a.number, a.text, a.status.printed, [d.text for d in a.due]) for a in reading.actions]
    assert rows == [
        ("1.2", "Adopt a new code of corporate governance", "completed", []),
        ("1.4", "Publish the annual governance statement on time", "completed", []),
        ("2.1", "Refresh the risk management strategy", "on track", ["end of April"]),
        ("3.2", "Complete the asset review by December 2023", "slippage", ["December 2023"]),
        ("4.1", "Review member training by January 2024", "revised timescale", ["January 2024"]),
        ("4.3", "Launch the new intranet", "revised timescale", []),
    ]
    slipped, revised, deferred = reading.actions[3], reading.actions[4], reading.actions[5]
    assert slipped.status.progress == "valuations were delayed; a report will go to Cabinet in May."
    assert [o.text for o in slipped.oversight] == ["Cabinet"]
    assert [m.text for m in revised.status.revised_from] == ["January"]
    assert [m.text for m in revised.status.revised_to] == ["June 2024"]
    assert [m.text for m in deferred.status.revised_to] == ["September 2024"]


def test_a_report_without_cited_actions_is_not_this_genre():
    assert read("- 1.1 The plan was approved.\n- 1.2 Nothing else.\n") is None
