"""What the text of a SPARQL query says, read without parsing it whole, and binding values into it.

A small tokenizer steps over comments, strings, IRIs, variables and prefixed names, so that braces and keywords
inside them are never taken for the query's own: it finds the query's form, the brace that opens its outermost
WHERE clause (where :func:`with_bindings` puts a ``VALUES`` block built from parsed terms), the dataset its own
``FROM`` clauses name, and whether it writes relative IRIs. Used by the SPARQL server store
(:mod:`govgraph.queries.remote`) and the endpoint that forwards to it (:mod:`govgraph.queries.forwarded`).

>>> print(with_bindings('SELECT ?x WHERE { ?x ?p "{ WHERE" }', {"p": NamedNode("http://example.org/p")}))
SELECT ?x WHERE { VALUES (?p) { (<http://example.org/p>) }  ?x ?p "{ WHERE" }
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from pyoxigraph import Literal, NamedNode

from govgraph.queries.store import StoreError, Term

# One token at a time: what may hide a brace or the word WHERE (comments, strings, IRIs, variables, prefixed names)
# is consumed whole; a '<' that is a comparison cannot match IRIREF (no spaces or braces in an IRI).
_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<variable>[?$]\w+)
  | (?P<pname>(?:[A-Za-z][\w.-]*)?:[\w.:%-]*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<open>\{)
  | (?P<close>\})
""", re.VERBOSE)
_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


def where_brace(query: str) -> int:
    """The offset just after the ``{`` that opens the query's outermost WHERE clause (the keyword is optional for
    SELECT, ASK and DESCRIBE). Braces and keywords inside strings, IRIs, comments and nested groups are skipped.

    :raises StoreError: the query has no such clause (a short-form ``CONSTRUCT WHERE``, a DESCRIBE of IRIs alone,
        or not a query).

    >>> q = 'CONSTRUCT { ?s ?p "}" } WHERE { ?s ?p ?o }'
    >>> q[where_brace(q):]
    ' ?s ?p ?o }'
    """
    depth = 0
    form = None
    seen_where = False
    for token in _TOKEN.finditer(query):
        kind = token.lastgroup
        if kind == "open":
            if depth == 0 and form is not None and (seen_where or form != "CONSTRUCT"):
                return token.end()
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "word" and depth == 0:
            word = token.group().upper()
            if form is None and word in _FORMS:
                form = word
            elif form is not None and word == "WHERE":
                if form == "CONSTRUCT" and not _template_seen(query, token.start()):
                    raise StoreError("bindings cannot be joined into a short-form CONSTRUCT WHERE query; write "
                                     "the template and the WHERE clause apart")
                seen_where = True
    raise StoreError("the query has no WHERE clause to bind values in")


def query_form(query: str) -> str | None:
    """The query's form, ``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK`` (its first such keyword outside strings,
    IRIs, comments and braces), or None.

    >>> query_form('PREFIX s: <http://x/SELECT> CONSTRUCT { ?s ?p "ASK" } WHERE { ?s ?p ?o }')
    'CONSTRUCT'
    """
    depth = 0
    for token in _TOKEN.finditer(query):
        kind = token.lastgroup
        depth += 1 if kind == "open" else -1 if kind == "close" else 0
        if depth == 0 and kind == "word" and token.group().upper() in _FORMS:
            return token.group().upper()
    return None


def _template_seen(query: str, before: int) -> bool:
    return "}" in _TOKEN.sub(lambda m: "}" if m.lastgroup == "close" else " ", query[:before])


def dataset_clause(query: str) -> tuple[list[str], list[str]] | None:
    """The graphs the query's own ``FROM`` and ``FROM NAMED`` clauses name (default graphs, named graphs), or None
    when it has none. A server that shows the union of its graphs as the default graph (Oxigraph server with
    ``--union-default-graph``) applies the union even over a query's FROM; sent as the protocol's
    ``default-graph-uri`` and ``named-graph-uri`` the query's dataset stands, as on the embedded store.

    >>> dataset_clause("PREFIX d: <http://example.org/> SELECT * FROM d:one WHERE { ?s ?p ?o }")
    (['http://example.org/one'], [])
    >>> dataset_clause("SELECT * WHERE { ?s <http://example.org/from> ?o }") is None
    True
    """
    depth = 0
    for token in _TOKEN.finditer(query):
        kind = token.lastgroup
        depth += 1 if kind == "open" else -1 if kind == "close" else 0
        if depth == 0 and kind == "word" and token.group().upper() == "FROM":
            break
    else:
        return None
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        clauses = translateQuery(parseQuery(query)).algebra.get("datasetClause") or []
    except Exception:  # noqa: BLE001 - rdflib raises a bare Exception for an unknown prefix; the server
        return None  # then says what is wrong with the query
    defaults = [str(c["default"]) for c in clauses if "default" in c]
    named = [str(c["named"]) for c in clauses if "named" in c]
    return (defaults, named) if clauses else None


def has_relative_iri(query: str) -> bool:
    """Whether the query writes an IRI without a scheme (``<data1>``), which resolves against a base IRI.

    >>> has_relative_iri('SELECT * WHERE { <a> ?p "<b>" }'), has_relative_iri("ASK { <http://a/> ?p ?o }")
    (True, False)
    """
    return any(m.lastgroup == "iri" and not re.match(r"<[A-Za-z][\w+.-]*:", m.group())
               for m in _TOKEN.finditer(query))


def with_bindings(query: str, bindings: Mapping[str, Term] | None) -> str:
    """``query`` with a one-row ``VALUES`` block of ``bindings`` (variable name to RDF term) at the start of its
    outermost WHERE clause, written from the terms' N-Triples form.

    :raises StoreError: a blank node or triple term is bound (``VALUES`` cannot hold them), a variable name is not
        one, or the query has no WHERE clause (see :func:`where_brace`).
    """
    if not bindings:
        return query
    names, values = [], []
    for name, term in bindings.items():
        if not re.fullmatch(r"\w+", name):
            raise StoreError(f"{name!r} is not a variable name")
        if not isinstance(term, NamedNode | Literal):
            raise StoreError(f"?{name}: only IRIs and literals can be bound on a remote store, not {term!r}")
        names.append(f"?{name}")
        values.append(str(term))
    at = where_brace(query)
    return f"{query[:at]} VALUES ({' '.join(names)}) {{ ({' '.join(values)}) }} {query[at:]}"


def without_lateral(query: str) -> str:
    """``query`` with each ``LATERAL { OPTIONAL { P } }`` written as ``OPTIONAL { P }`` (and any other
    ``LATERAL { P }`` as the group ``{ P }``), for SPARQL 1.1 servers that do not know LATERAL (a SPARQL 1.2
    draft that Oxigraph and Jena run). govgraph's named queries use it only around OPTIONALs whose shared variables
    are bound on the left, where both forms give the same rows: LATERAL only makes Oxigraph look them up per row.

    >>> without_lateral('SELECT * WHERE { ?a ?b ?c LATERAL { OPTIONAL { ?c ?d "LATERAL {" } } }')
    'SELECT * WHERE { ?a ?b ?c OPTIONAL { ?c ?d "LATERAL {" } }'
    """
    tokens = list(_TOKEN.finditer(query))
    out, at, i = [], 0, 0
    while i < len(tokens):
        token = tokens[i]
        if (token.lastgroup == "word" and token.group().upper() == "LATERAL" and i + 1 < len(tokens)
                and tokens[i + 1].lastgroup == "open"):
            opening = tokens[i + 1]
            depth, j = 0, i + 1
            while j < len(tokens):  # the brace that closes LATERAL's group
                depth += 1 if tokens[j].lastgroup == "open" else -1 if tokens[j].lastgroup == "close" else 0
                if depth == 0:
                    break
                j += 1
            closing = tokens[j]
            inner = without_lateral(query[opening.end():closing.start()])
            single_optional = re.fullmatch(r"\s*OPTIONAL\s*\{.*\}\s*", inner, re.DOTALL | re.IGNORECASE) and \
                _one_group(inner)
            out.append(query[at:token.start()] + (inner.strip() if single_optional else "{" + inner + "}"))
            at = closing.end()
            i = j + 1
            continue
        i += 1
    return "".join(out) + query[at:]


def _one_group(text: str) -> bool:
    """Whether ``text`` (``OPTIONAL { ... }``) is one group: its first brace closes at its end."""
    depth = 0
    for token in _TOKEN.finditer(text):
        if token.lastgroup == "open":
            depth += 1
        elif token.lastgroup == "close":
            depth -= 1
            if depth == 0:
                return not text[token.end():].strip()
    return False
