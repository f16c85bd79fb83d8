"""Named SPARQL queries: one ``.rq`` file each in this folder, with a header the registry reads.

Header lines start with ``#+``::

    #+ title: Recommendations without actions
    #+ description: Recommendations that no action responds to.
    #+ param: council iri gg:Council -- The council, by name or IRI; every council when omitted.
    #+ column: council_name -- The council.

Parameter kinds are ``iri CLASS`` (given as an IRI, or as a name looked up among the labels of that class),
``date``, ``string`` and ``integer``. Values are parsed into RDF terms and joined in through a ``VALUES`` block at
the start of the WHERE clause (written from the parsed terms, never from the text typed), so a value like
``x" } DROP ALL #`` is only ever a string, and a query's filters can test whether a parameter was given
(``!BOUND(?recommendation)``). The same block works against any SPARQL 1.1 endpoint.

Writing queries for pyoxigraph: absence is tested with ``MINUS`` rather than ``FILTER NOT EXISTS`` (for two-hop
patterns it measured about 30 times faster), and ``BIND`` goes at the end of a group, since a ``BIND`` in the
middle splits the pattern into parts joined slowly (``make bench`` prints the query times). The default graph is
the union of the documents' graphs, and a fact several documents state (a council's name) comes back once per
document: use ``DISTINCT`` or ``GROUP BY``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from govgraph.ontology import PREFIXES, XSD
from govgraph.queries.store import GraphStore, SelectResult, Term

HERE = Path(__file__).resolve().parent
PREFIX_BLOCK = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


class QueryError(Exception):
    """A named query or its parameters are wrong; the message lists what is valid."""


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # iri | date | string | integer
    cls: str | None = None  # for iri parameters: the class whose labels a name is looked up in (CURIE)
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    path: Path | None = None
    parameters: tuple[Parameter, ...] = ()
    columns: tuple[tuple[str, str], ...] = field(default=())  # (variable, description)
    requires: tuple[str, ...] = ()  # at least one of these parameters must be given
    transform: str | None = None  # a function of queries/similarity.py that turns the rows into the answer
    # (given, reached, property): a parameter that stands for the things reaching it by a property, e.g.
    # ("recommendation", "action", "gg:respondsTo"): the query runs once over every action answering it
    expand: tuple[str, str, str] | None = None

    @property
    def sparql(self) -> str:
        """The query with govgraph's prefixes declared."""
        return PREFIX_BLOCK + self.text

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        valid = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r}; its parameters: {valid}")


def parse_query(text: str, *, name: str, path: Path | None = None) -> NamedQuery:
    """Read a query file's header. :raises QueryError: for a header line that cannot be read."""
    meta: dict[str, str] = {}
    params: list[Parameter] = []
    columns: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#+"):
            continue
        key, _, value = line[2:].partition(":")
        key, value = key.strip(), value.strip()
        if key == "param":
            m = re.fullmatch(r"(\w+)\s+(iri|date|string|integer|decimal)(?:\s+(\S+:\S+))?\s*(?:--\s*(.*))?", value)
            if not m:
                raise QueryError(f"{path or name}:{number}: cannot read parameter line {value!r}")
            params.append(Parameter(m[1], m[2], m[3], m[4] or ""))
        elif key in ("requires", "transform"):
            meta[key] = value
        elif key == "column":
            col, _, desc = value.partition("--")
            columns.append((col.strip(), desc.strip()))
        else:
            meta[key] = value
    requires = tuple(p.strip() for p in meta.get("requires", "").split("|") if p.strip())
    return NamedQuery(name=name, title=meta.get("title", name), description=meta.get("description", ""),
                      text=text, path=path, parameters=tuple(params), columns=tuple(columns), requires=requires,
                      transform=meta.get("transform"), expand=_expand_line(meta.get("expand"), path or name))


def _expand_line(value: str | None, where) -> tuple[str, str, str] | None:
    """``#+ expand: recommendation -> action by gg:respondsTo``."""
    if not value:
        return None
    m = re.fullmatch(r"(\w+)\s*->\s*(\w+)\s+by\s+(\S+:\S+)", value.strip())
    if not m:
        raise QueryError(f"{where}: cannot read expand line {value!r}")
    return m[1], m[2], m[3]


@lru_cache(maxsize=1)
def catalogue() -> dict[str, NamedQuery]:
    """The named queries shipped with govgraph, by name (the file name without ``.rq``)."""
    return {p.stem: parse_query(p.read_text(encoding="utf-8"), name=p.stem, path=p)
            for p in sorted(HERE.glob("*.rq"))}


def get_query(name_or_file: str) -> NamedQuery:
    """A named query, or a query read from a ``.rq`` file path.

    :raises QueryError: unknown name (the message lists the known ones) or unreadable file.
    """
    queries = catalogue()
    if name_or_file in queries:
        return queries[name_or_file]
    path = Path(name_or_file)
    if path.suffix in (".rq", ".sparql") or path.exists():
        try:
            return parse_query(path.read_text(encoding="utf-8"), name=path.stem, path=path)
        except OSError as exc:
            raise QueryError(f"{path}: cannot read the query file: {exc.strerror or exc}") from exc
    raise QueryError(f"no query named {name_or_file!r}; known queries: {', '.join(queries)}")


def bind(store: GraphStore, query: NamedQuery, values: dict[str, str]) -> dict[str, Term]:
    """Turn ``name=value`` strings into RDF terms for the query's parameters.

    :raises QueryError: unknown parameter, a value of the wrong form, or a name that matches nothing.
    """
    if query.requires and not set(query.requires) & set(values):
        raise QueryError(f"query {query.name!r} needs one of the parameters: {', '.join(query.requires)}")
    bound: dict[str, Term] = {}
    for name, raw in values.items():
        param = query.parameter(name)
        bound[name] = resolve_term(store, param, raw)
    return bound


def resolve_term(store: GraphStore, param: Parameter, raw: str) -> Term:
    """One parameter value as an RDF term: a date, a whole number, a decimal, a string, or an IRI (given, or found by a name
    among the labels of ``param.cls``). :raises QueryError: a value of the wrong form or a name matching none or
    several."""
    if param.kind == "date":
        try:
            return Literal(date.fromisoformat(raw).isoformat(), datatype=XSD.date)
        except ValueError as exc:
            raise QueryError(f"parameter {param.name!r} must be a date as YYYY-MM-DD, not {raw!r}") from exc
    if param.kind == "integer":
        if not re.fullmatch(r"-?\d+", raw.strip()):
            raise QueryError(f"parameter {param.name!r} must be a whole number, not {raw!r}")
        return Literal(raw.strip(), datatype=XSD.integer)
    if param.kind == "decimal":
        if not re.fullmatch(r"-?(?:\d+\.?\d*|\.\d+)", raw.strip()):
            raise QueryError(f"parameter {param.name!r} must be a number such as 0.7, not {raw!r}")
        return Literal(raw.strip(), datatype=XSD.decimal)
    if param.kind == "string":
        return Literal(raw)
    if re.match(r"^(https?|urn):", raw):
        try:
            return NamedNode(raw)
        except ValueError as exc:
            raise QueryError(f"parameter {param.name!r}: {raw!r} is not a valid IRI") from exc
    return _lookup(store, param, raw)


LOOKUP = PREFIX_BLOCK + """
SELECT DISTINCT ?node ?class ?wanted WHERE {
  ?node a ?class ; rdfs:label|skos:prefLabel|skos:altLabel|dcterms:identifier ?label .
  FILTER(LCASE(STR(?label)) = LCASE(STR(?wanted)))
}"""
KNOWN = PREFIX_BLOCK + """
SELECT ?class (SAMPLE(?label) AS ?name) WHERE { ?node a ?class ; rdfs:label ?label } GROUP BY ?class ?node
"""


def _lookup(store: GraphStore, param: Parameter, raw: str) -> NamedNode:
    cls = NamedNode(_expand(param.cls or "rdfs:Resource"))
    rows = store.select(LOOKUP, bindings={"class": cls, "wanted": Literal(raw.strip())}).rows
    nodes = sorted({row["node"].value for row in rows})
    if not nodes and param.cls == "gg:Council":
        # a council by any name people write for it ('Leeds', 'RBKC', 'Leeds CC'), as the councils list knows
        # them; a name that could be several councils ('Newcastle') finds those of them the store holds
        from govgraph.loaders.councils import candidates

        named: dict[str, str] = {}
        for council in candidates(raw):
            for row in store.select(LOOKUP, bindings={"class": cls, "wanted": Literal(council.name)}).rows:
                named.setdefault(row["node"].value, council.name)
        nodes = sorted(named)
        if len(nodes) > 1:
            raise QueryError(f"{raw!r} could be {len(nodes)} councils: {'; '.join(sorted(named.values()))}; "
                             "give one of these names")
    if len(nodes) == 1:
        return NamedNode(nodes[0])
    known = sorted({row["name"].value for row in store.select(KNOWN, bindings={"class": cls}).rows})
    if not nodes:
        listing = "; ".join(known[:20]) + (" ..." if len(known) > 20 else "") if known else "none loaded"
        raise QueryError(f"no {param.cls} named {raw!r}; known: {listing}")
    raise QueryError(f"{raw!r} names {len(nodes)} different {param.cls}; give the IRI instead: {', '.join(nodes)}")


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else curie


def query_text(folder: str, name: str) -> str:
    """The text of a query file the service layer runs, ``queries/<folder>/<name>.rq`` (``resources``, ``network``,
    ``summary``, ``compare``), with govgraph's prefixes."""
    return PREFIX_BLOCK + (HERE / folder / f"{name}.rq").read_text(encoding="utf-8")


def with_values(sparql: str, bound: dict[str, Term]) -> str:
    """The query with a VALUES block of the bound terms at the start of its WHERE clause, so the values are joined
    before anything else and its filters can see them. The block is written from parsed RDF terms (their N-Triples
    form), never from the strings the user typed."""
    if not bound:
        return sparql
    names = " ".join(f"?{name}" for name in bound)
    row = " ".join(str(term) for term in bound.values())
    where = re.search(r"\bWHERE\s*\{", sparql, re.I)
    select = sparql.upper().find("SELECT")
    brace = sparql.find("{", select) if select >= 0 else -1
    if where is None and brace < 0:
        raise QueryError("the query has no WHERE clause to bind parameters in")
    at = where.end() if where is not None else brace + 1
    return f"{sparql[:at]}\n  VALUES ({names}) {{ ({row}) }}\n{sparql[at:]}"


def with_rows(sparql: str, names: list[str], rows: list[tuple[Term, ...]]) -> str:
    """The query with a VALUES block of several rows at the start of its WHERE clause (no rows: no answers)."""
    block = " ".join("(" + " ".join(str(t) for t in row) + ")" for row in rows)
    where = re.search(r"\bWHERE\s*\{", sparql, re.I)
    if where is None:
        raise QueryError("the query has no WHERE clause to bind parameters in")
    at = where.end()
    return f"{sparql[:at]}\n  VALUES ({' '.join('?' + n for n in names)}) {{ {block} }}\n{sparql[at:]}"


def run(store: GraphStore, query: NamedQuery, values: dict[str, str] | None = None) -> SelectResult:
    """Run a named query with parameters given as strings.

    :raises QueryError: for parameters that cannot be bound. :raises StoreError: for a failing query.
    """
    bound = bind(store, query, values or {})
    if query.transform:
        from govgraph.queries.similarity import TRANSFORMS

        # the rows are the whole material the transform works on; its parameters are the transform's
        return TRANSFORMS[query.transform](store.select(query.sparql), bound)
    if query.expand and query.expand[0] in bound and query.expand[1] not in bound:
        # a thing given stands for the things reaching it: those are bound first, so the query touches only them
        given, reached, prop = query.expand
        found = store.select(PREFIX_BLOCK + f"SELECT DISTINCT ?g ?t WHERE {{ ?t {prop} ?g }}",
                             bindings={"g": bound[given]})
        rows = [(bound[given], r["t"]) for r in found.rows]
        other = {k: v for k, v in bound.items() if k != given}
        return store.select(with_rows(query.sparql, [given, reached, *other], [(*r, *other.values()) for r in rows]))
    return store.select(with_values(query.sparql, bound))
