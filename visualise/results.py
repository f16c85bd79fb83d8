"""SPARQL SELECT results read for a bar chart or a network: which columns hold labels, numbers and IRIs, and the
bars, or the nodes and edges, they give.

Pure functions over the SPARQL 1.1 JSON results format: ``columns`` is ``head.vars`` and ``rows`` holds, for each
row, one cell per column, either ``None`` (unbound) or a term as that format writes it (``{"type": "uri",
"value": ...}``, ``{"type": "literal", "value": "22", "datatype": XSD + "integer"}``, ``{"type": "bnode", ...}``).
Nothing here reads a store; the page draws the bars with :mod:`govgraph.visualise.bar_chart` and the network with
the same vis-network the accountability network uses.

>>> XSD_INT = "http://www.w3.org/2001/XMLSchema#integer"
>>> rows = [[{"type": "literal", "value": "Leeds"}, {"type": "literal", "value": "21", "datatype": XSD_INT}]]
>>> chart = bar_chart(["name", "actions"], rows)
>>> chart.label_column, chart.value_column, [(b.label, b.value) for b in chart.bars]
('name', 'actions', [('Leeds', 21.0)])
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

XSD = "http://www.w3.org/2001/XMLSchema#"
#: The XML Schema datatypes whose literals are numbers (what COUNT, SUM and AVG give, and every type derived from
#: xsd:decimal).
NUMERIC_DATATYPES = frozenset(XSD + name for name in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte"))
#: How a column names the thing in another column ``x``: Wikidata's ``xLabel``, and the ``x_name`` and ``x_text``
#: of govgraph's named queries.
LABEL_SUFFIXES = ("Label", "_label", "_name", "_text")
#: The most bars one chart draws; the rest of the rows stay in the table.
MAX_BARS = 500

Cell = Mapping[str, str] | None


def number(cell: Cell) -> float | None:
    """The value of a literal typed as a number, or None for anything else: an unbound cell, an IRI, a literal
    without a numeric datatype (``"22"`` as a plain string is text), a lexical form that is no number
    (``"many"^^xsd:integer``), and NaN and infinities, which have no length to draw.

    >>> number({"type": "literal", "value": "2.5", "datatype": XSD + "decimal"}), number({"type": "literal", "value": "2"})
    (2.5, None)
    """
    if not cell or cell.get("type") not in ("literal", "typed-literal") or cell.get("datatype") not in NUMERIC_DATATYPES:
        return None
    try:
        value = float(cell["value"].strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _numeric_typed(cell: Mapping[str, str]) -> bool:
    return cell.get("type") in ("literal", "typed-literal") and cell.get("datatype") in NUMERIC_DATATYPES


def column_kinds(columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> dict[str, str]:
    """Each column's kind: ``number`` (every value a literal with a numeric datatype), ``iri`` (every value an
    IRI), ``empty`` (no values), ``text`` (anything else, mixes included). Unbound cells do not count."""
    kinds = {}
    for i, column in enumerate(columns):
        cells = [row[i] for row in rows if row[i]]
        if not cells:
            kinds[column] = "empty"
        elif all(_numeric_typed(c) for c in cells):
            kinds[column] = "number"
        elif all(c.get("type") == "uri" for c in cells):
            kinds[column] = "iri"
        else:
            kinds[column] = "text"
    return kinds


def label_column_of(column: str, columns: Sequence[str]) -> str | None:
    """The column naming the things of ``column`` (``councilLabel``, ``council_label``, ``council_name`` or
    ``council_text`` for ``council``), if the results have one."""
    return next((column + s for s in LABEL_SUFFIXES if column + s in columns), None)


def local_name(iri: str) -> str:
    """The last part of an IRI, after its last ``#`` or ``/`` (the whole IRI when that part is empty).

    >>> local_name("https://w3id.org/govgraph/def#Action"), local_name("https://w3id.org/govgraph/id/council/leeds")
    ('Action', 'leeds')
    """
    tail = iri.rstrip("/#")
    for mark in ("#", "/"):
        tail = tail.rsplit(mark, 1)[-1]
    return tail or iri


def _text(cell: Cell) -> str:
    return cell["value"] if cell else ""


def _named(cell: Cell, name_cell: Cell) -> str:
    """What a cell shows as a label: its name column's value, else an IRI's local name, else its value."""
    if name_cell and name_cell.get("value", "").strip():
        return " ".join(name_cell["value"].split())
    if cell and cell.get("type") == "uri":
        return local_name(cell["value"])
    return " ".join(_text(cell).split())


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f"?{c}" for c in columns)


def _rows_phrase(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


# --- bar chart ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as the bar is labelled with it


@dataclass
class BarChart:
    """Bars from SELECT results. ``problem`` says why there are none (no numeric column, no rows); ``notes`` say
    which columns were used and what was left out."""

    label_column: str | None = None
    value_column: str | None = None
    bars: list[Bar] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem: str | None = None


def number_text(value: float) -> str:
    """A number as a bar's label: whole numbers with thousands separators, others to six significant digits.

    >>> number_text(1234.0), number_text(0.125), number_text(-3.0)
    ('1,234', '0.125', '-3')
    """
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}"


def _label_column(columns: Sequence[str], rows: Sequence[Sequence[Cell]], kinds: dict[str, str]) -> str | None:
    """The first text column whose values tell the rows apart, else the first text column, else the first IRI
    column: a label that repeats on every bar (a council's name on each of its statuses) says nothing."""
    texts = [c for c in columns if kinds[c] == "text"]
    for column in texts:
        values = [_text(row[columns.index(column)]) for row in rows]
        if len(set(values)) == len(values):
            return column
    return texts[0] if texts else next((c for c in columns if kinds[c] == "iri"), None)


def bar_chart(columns: Sequence[str], rows: Sequence[Sequence[Cell]], *, max_bars: int = MAX_BARS) -> BarChart:
    """One bar per row: its length the first numeric column, its label the first text column that tells the rows
    apart (else the first text column; an IRI column when there is no text column, named by its label column or
    the IRI's local name; the row's number when there is neither). Rows with no number in that column are left out and counted in the notes; at most ``max_bars``
    bars are drawn."""
    kinds = column_kinds(columns, rows)
    value_column = next((c for c in columns if kinds[c] == "number"), None)
    if not rows:
        return BarChart(problem="There are no rows to draw.")
    if value_column is None:
        shown = ", ".join(f"?{c} ({kinds[c] if kinds[c] != 'iri' else 'IRIs'})" for c in columns)
        return BarChart(problem=f"These results have no numeric column, so there is nothing to draw as bars. A bar "
                                f"chart needs a column of numbers typed as such (xsd:integer, xsd:decimal, "
                                f"xsd:double, ...), as COUNT, SUM and AVG give. The columns: {shown}.")
    label_column = _label_column(columns, rows, kinds)
    v = columns.index(value_column)
    name = None
    if label_column is not None:
        at = columns.index(label_column)
        named_by = label_column_of(label_column, columns) if kinds[label_column] == "iri" else None
        name = columns.index(named_by) if named_by else None
    bars, blank = [], 0
    for n, row in enumerate(rows, 1):
        value = number(row[v])
        if value is None:
            blank += 1
            continue
        if label_column is None:
            label = f"row {n}"
        else:
            label = _named(row[at], row[name] if name is not None else None) or "(no value)"
        bars.append(Bar(label, value, number_text(value)))
    if label_column is None:
        notes = [(f"Bars: ?{value_column}, one per row, labelled by the row's number (the results have no column "
                  "of text or IRIs for labels).")]
    else:
        naming = f" (named by ?{columns[name]})" if name is not None else (
            " (named by the end of each IRI)" if kinds[label_column] == "iri" else "")
        which = "IRIs" if kinds[label_column] == "iri" else "text"
        if kinds[label_column] == "text" and label_column != next(c for c in columns if kinds[c] == "text"):
            which = "text whose values tell the rows apart"
        notes = [(f"Bars: ?{value_column} for each ?{label_column}{naming}: the first numeric column and the "
                  f"first column of {which}.")]
    if blank:
        notes.append(f"{_rows_phrase(blank)} with no number in ?{value_column} are not drawn.")
    if len(bars) > max_bars:
        notes.append(f"The first {max_bars:,} of {len(bars):,} bars are drawn; every row is in the table.")
        bars = bars[:max_bars]
    return BarChart(label_column, value_column, bars, notes)


# --- network -----------------------------------------------------------------------------------------------------

#: role -> (colour, vis-network shape, legend label): a node seen only as a source, only as a target, or as both.
#: Okabe–Ito colours, and a shape each so that colour is never the only cue.
ROLE_STYLES = {"source": ("#0072B2", "dot", "source"), "target": ("#E69F00", "square", "target"),
               "both": ("#009E73", "diamond", "source and target")}
_LABEL_CHARS = 40
_EDGE_LABELS_UP_TO = 300


@dataclass
class ResultNetwork:
    """Nodes and edges from SELECT results, as vis-network takes them. ``problem`` says why there are none;
    ``notes`` say which columns were used and what was left out."""

    source: str | None = None
    target: str | None = None
    relation: str | None = None
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem: str | None = None

    def legend(self) -> list[dict]:
        """The roles the nodes have, each with its colour, shape, label and count."""
        counts = {role: sum(n["role"] == role for n in self.nodes) for role in ROLE_STYLES}
        return [{"role": role, "colour": colour, "shape": shape, "label": label, "count": counts[role]}
                for role, (colour, shape, label) in ROLE_STYLES.items() if counts[role]]


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1].rstrip() + "…"


def result_network(columns: Sequence[str], rows: Sequence[Sequence[Cell]], *, max_nodes: int,
                   link: Callable[[str], str]) -> ResultNetwork:
    """A node per IRI of the first two IRI columns (source and target), an edge from source to target for each
    pair that a row links, labelled by the first other column that is not one of theirs (each of its values for
    the pair, once).
    Nodes are named by the columns' label columns (``sourceLabel``, ``source_name``, ...) or the IRI's local
    name, and link to ``link(iri)``. Rows are taken in order while the nodes stay within ``max_nodes``; the notes
    say how many rows that is when it is not all of them.

    >>> iri = lambda x: {"type": "uri", "value": "https://example.org/" + x}
    >>> net = result_network(["a", "b"], [[iri("x"), iri("y")], [iri("y"), None]], max_nodes=10, link=str)
    >>> [n["label"] for n in net.nodes], [(e["from"], e["to"]) for e in net.edges]
    (['x', 'y'], [('https://example.org/x', 'https://example.org/y')])
    """
    kinds = column_kinds(columns, rows)
    iris = [c for c in columns if kinds[c] == "iri"]
    if not rows:
        return ResultNetwork(problem="There are no rows to draw.")
    if len(iris) < 2:
        have = f"only ?{iris[0]} holds IRIs" if iris else "no column holds only IRIs"
        return ResultNetwork(problem=f"A network needs two columns of IRIs, the first for where each link starts "
                                     f"and the second for where it ends; in these results {have}. Select a second "
                                     f"column of IRIs (such as ?s ?o from ?s ?p ?o).")
    source, target = iris[:2]
    names = {c: label_column_of(c, columns) for c in (source, target)}
    taken = {source, target, *filter(None, names.values())}
    relation = next((c for c in columns if c not in taken and kinds[c] != "empty"), None)
    at = {c: columns.index(c) for c in columns}

    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str], dict] = {}
    used = 0
    for row in rows:
        ends = {}
        for column, role in ((source, "source"), (target, "target")):
            cell = row[at[column]]
            if cell:
                ends[role] = cell
        new = {c["value"] for c in ends.values()} - nodes.keys()
        if len(nodes) + len(new) > max_nodes:
            break
        used += 1
        for role, cell in ends.items():
            iri = cell["value"]
            column = source if role == "source" else target
            node = nodes.get(iri)
            if node is None:
                name_cell = row[at[names[column]]] if names[column] else None
                label = _named(cell, name_cell)
                node = nodes[iri] = {"id": iri, "label": _short(label), "title": f"{label}\n{iri}",
                                     "url": link(iri), "role": role}
            elif node["role"] != role:
                node["role"] = "both"
        if len(ends) == 2:
            key = (ends["source"]["value"], ends["target"]["value"])
            edge = edges.setdefault(key, {"from": key[0], "to": key[1], "texts": []})
            text = _named(row[at[relation]], None) if relation else ""
            if text and text not in edge["texts"]:
                edge["texts"].append(text)
    # one edge per pair of nodes, however many rows link them, labelled with each of their texts
    for edge in edges.values():
        texts = edge.pop("texts")
        if texts:
            edge["title"] = "\n".join(texts)
            if len(edges) <= _EDGE_LABELS_UP_TO:
                edge["label"] = _short(", ".join(texts))
    for node in nodes.values():
        colour, shape, _ = ROLE_STYLES[node["role"]]
        node.update(color=colour, shape=shape, size=12, font={"size": 16})

    naming = "; nodes named by " + _quoted([n for n in names.values() if n]) if any(names.values()) else \
        "; nodes named by the end of each IRI"
    notes = [f"Links from ?{source} to ?{target}, the first two columns of IRIs"
             + (f", labelled by ?{relation}" if relation else "") + naming + "."]
    if used < len(rows):
        notes.append(f"The network shows at most {max_nodes:,} nodes, so only the first {_rows_phrase(used)} of "
                     f"{len(rows):,} are drawn ({len(nodes):,} nodes); every row is in the table. Narrow the query "
                     f"(FILTER, LIMIT) to see the rest as a network.")
    return ResultNetwork(source, target, relation, list(nodes.values()), list(edges.values()), notes)


__all__ = [
    "NUMERIC_DATATYPES",
    "ROLE_STYLES",
    "Bar",
    "BarChart",
    "ResultNetwork",
    "bar_chart",
    "column_kinds",
    "label_column_of",
    "local_name",
    "number",
    "number_text",
    "result_network",
]
