"""People council documents name: contacts, councillors, and names written beside a post.

>>> [(p.name, p.role) for p in find_people("Contact – Louise Whitworth / Shona McFarlane")]
[('Louise Whitworth', 'contact'), ('Shona McFarlane', 'contact')]
"""
from __future__ import annotations

import re

from govgraph.loaders.names import collapse
from govgraph.loaders.phrases import FoundPerson
from govgraph.loaders.posts import find_roles

NAME_WORD = r"(?:Mc|Mac|O'|O’|D'|D’)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"  # Kate, McMasters, O'Neil, Spencer-Henshall
NAME = rf"{NAME_WORD}(?: {NAME_WORD}){{1,2}}"
PERSON_PATTERNS = [
    # "Contact – Kate Sadler", "Contact Anne McMasters", "contact - Helen Cerroti / Shona McFarlane"
    (re.compile(rf"\b[Cc]ontact(?: officer)? ?[:–—-]? ?(?P<names>{NAME}(?: ?/ ?{NAME})*)"), "contact"),
    # "Cllr James Lewis", "Councillor Coupar"
    (re.compile(rf"\b(?:Cllr\.?|Councillor) (?P<names>{NAME}|{NAME_WORD})"), "councillor"),
    # "Mr Bond", "Dr Horne": a title and a surname, as minutes list those present
    (re.compile(rf"\b(?P<names>(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.? {NAME_WORD}(?: {NAME_WORD})?)\b"), "attendee"),
]
# 'Jo Bloggs – Head of Audit', 'Charlie Stewart, Executive Director of Resources, presented'
NAME_BEFORE_ROLE = re.compile(rf"(?:^|\t|\n|: |\.\s|,\s|\()(?P<name>{NAME})(?: [–—-] |, )(?=[A-Z])")
# 'the Governance Advisor, Katy Reynolds.', 'Chief Executive Tony Reeves', 'Leader (Cllr Ann Smith)'
ROLE_THEN_NAME = re.compile(rf"(?:, | \(| )(?:Cllr\.? |Councillor )?(?P<name>{NAME})(?=[,.;)]|\s(?:in|at|on|and|who|said|"
                            rf"presented|introduced|explained|confirmed|noted|commented|reported|stated|added)\b|$)")
NOT_NAME_WORDS = {"The", "This", "Council", "Board", "Committee", "Group", "Team", "Plan", "Officer", "Director",
                  "Head", "Chief", "Executive", "Service", "Services", "Strategy", "Policy", "Report", "Review",
                  "Progress", "Action", "Actions", "Appendix", "Member", "Members", "Annual", "Corporate", "Peer",
                  "Challenge", "Audit", "Scrutiny", "Cabinet", "Committees", "Borough", "City", "County", "District",
                  "Government", "Local", "Association", "Commission", "Authority", "Partnership", "Health", "Care",
                  "Children", "Adults", "Resources", "Finance", "Housing", "Improvement", "Governance", "Deputy",
                  "Leader", "Assistant", "Interim", "Acting", "School", "Schools", "Clusters", "Cluster", "Programme",
                  "Project", "Fund", "Centre", "Trust", "Office", "Unit", "Department", "Directorate", "Members"}


def find_people(text: str) -> list[FoundPerson]:
    """Named people: contacts, councillors, and 'Name – Title' lines."""
    found: list[FoundPerson] = []
    for pattern, role in PERSON_PATTERNS:
        for m in pattern.finditer(text):
            start = m.start("names")
            for name in re.split(r"\s?/\s?", m.group("names")):
                if name.split()[0] in NOT_NAME_WORDS or (role == "attendee" and not _personal(name.split()[-1])):
                    continue
                pos = text.find(name, start)
                found.append(FoundPerson(name, role, pos, pos + len(name)))
    for m in NAME_BEFORE_ROLE.finditer(text):
        name = m.group("name")
        if len(name.split()) >= 2 and _personal(name):
            role = find_roles(text[m.end():m.end() + 120])
            if role and role[0].start == 0:
                found.append(FoundPerson(name, role[0].text, m.start("name"), m.end("name")))
    for role in find_roles(text):
        m = ROLE_THEN_NAME.match(text, role.end)
        if m and _personal(m.group("name")):
            found.append(FoundPerson(m.group("name"), role.text, m.start("name"), m.end("name")))
    found += _people_in_role_tables(text)
    return _merge_surnames(sorted(found, key=lambda p: p.start))


def _personal(name: str) -> bool:
    """Whether capitalised words are a person's name: none of them a word of posts, bodies or places."""
    from govgraph.loaders.bodies import find_bodies
    from govgraph.loaders.councils import place_words

    words = name.split()
    if set(words) & NOT_NAME_WORDS or words[0] in place_words():
        return False
    return not find_roles(name) and not find_bodies(name)


def _merge_surnames(found: list[FoundPerson]) -> list[FoundPerson]:
    """A person named by surname alone ('Councillor Davidson') is the person named in full with that surname."""
    full = {p.name.split()[-1]: p for p in found if len(p.name.split()) >= 2 and not re.match(r"(?:Mr|Mrs|Ms|Miss|Dr|Prof)\b", p.name)}
    out = []
    for p in found:
        if len(p.name.split()) == 1 and p.name in full:
            continue
        out.append(p)
    return out


def _people_in_role_tables(text: str) -> list[FoundPerson]:
    """Tables whose header cells are role titles ('Strategic Director', 'Head of Service') list the people who
    hold them: a cell below such a header that is just a personal name is that person."""
    found: list[FoundPerson] = []
    header: dict[int, str] = {}
    offset = 0
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) > 1:
            plain = [collapse(c) for c in cells]
            roles = {i: c for i, c in enumerate(plain) if c and [r.text for r in find_roles(c)] == [c]}
            if roles:
                header = roles
            elif header:
                position = offset
                for i, cell in enumerate(cells):
                    name = collapse(cell)
                    if i in header and re.fullmatch(NAME, name) and not set(name.split()) & NOT_NAME_WORDS:
                        start = text.find(name, position)
                        found.append(FoundPerson(name, header[i], start, start + len(name)))
                    position += len(cell) + 1
        else:
            header = {} if line.strip() else header
        offset += len(line) + 1
    return found


# --- what a document says about itself ---------------------------------------------------------------------------