"""The prose reader on small plans written here: other label wordings, numbered recommendations, split blocks."""
from __future__ import annotations

from pathlib import Path

from govgraph.loaders.prose import ProseReader
from govgraph.loaders.text import TextDocument


def read(text: str):
    return ProseReader().read(TextDocument(Path("plan.md"), "0" * 64, text))


PLAN = """# Audit recommendations: our response

The external auditor made the following recommendations:

1. Strengthen the monitoring of savings plans.
2. Review the terms of reference of the Audit Committee.

## Recommendation 1

*1. Strengthen the monitoring of savings plans.*

### Response

We agree.

### Proposed actions

Introduce a monthly savings tracker reported to the Cabinet. The tracker will be owned by finance.

Responsible officer: Director of Finance

Timescale: by end of March 2024

## Recommendation 2

*2. Review the terms of reference of the Audit Committee.*

### Our response

Work has started.

### Agreed actions

1. Benchmark the terms of reference against CIPFA guidance by December 2023.
2. Propose revised terms to the Audit Committee for approval in February 2024.

Lead officer - Monitoring Officer

By when: dates as above

## Workforce capacity

The auditor also observed that capacity in the finance team is stretched.

### Response

We accept this.

### Proposed actions

Recruit two accountants.

Officer lead: Head of Finance and Head of HR

By when: ongoing
"""


def test_recommendations_actions_leads_and_dates():
    reading = read(PLAN)
    assert [(r.number, r.text) for r in reading.recommendations] == [
        ("1", "Strengthen the monitoring of savings plans."),
        ("2", "Review the terms of reference of the Audit Committee."),
        (None, "The auditor also observed that capacity in the finance team is stretched."),
    ]
    rows = [(a.text, a.responds_to, [o.text for o in a.owners], [d.text for d in a.due], [b.text for b in a.oversight])
            for a in reading.actions]
    assert rows == [
        ("Introduce a monthly savings tracker reported to the Cabinet.", ["r1"], ["Director of Finance"],
         ["end of March 2024"], ["Cabinet"]),
        # 'dates as above': one action per numbered item, each with its own dates
        ("Benchmark the terms of reference against CIPFA guidance by December 2023.", ["r2"], ["Monitoring Officer"],
         ["December 2023"], []),
        ("Propose revised terms to the Audit Committee for approval in February 2024.", ["r2"],
         ["Monitoring Officer"], ["February 2024"], ["Audit Committee"]),
        ("Recruit two accountants.", ["s3"], ["Head of Finance", "Head of HR"], ["ongoing"], []),
    ]
    assert [a.number for a in reading.actions] == [None, "1", "2", None]


def test_documents_without_labelled_leads_are_not_this_genre():
    assert read("# Report\n\nSome text.\n\nBy when: soon\n") is None
