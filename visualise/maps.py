"""The accountability network as one offline, interactive HTML page (vis-network, drawn in the browser).

Rendering only, no I/O beyond reading the vis-network files pyvis ships: :func:`render_network` takes the
networkx graph of :func:`govgraph.visualise.network.build_network` and returns a complete HTML document that loads
nothing from outside. pyvis builds the vis-network node and edge dicts; the page itself comes from our own template
(``templates/network.html``), because pyvis's template links Bootstrap from a CDN and inserts its heading and
tooltips as raw HTML. Every text that came from a document is either escaped by Jinja2 or travels as JSON (with
``<``, ``>`` and ``&`` escaped) and reaches the page only as ``textContent`` or canvas text.

The map is layered by default: council, oversight bodies, officer posts, actions and recommendations each in
their own column (:data:`LEVELS`, vis-network's hierarchical layout), every edge drawn along the layers and named
for what it says (:data:`RELATION_WORDS`); ``layout="force"`` lays it out by simulation instead. Graphs larger than
``max_nodes`` are shown as their aggregate (:func:`aggregate`: officer posts and oversight bodies linked by how many
actions name both, with the same counts as a table), so the browser never has to lay out more than that many nodes.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from math import sqrt
from pathlib import Path

import jinja2
import networkx as nx
from markupsafe import Markup

#: kind -> (colour, vis-network shape, legend label). Okabe–Ito colours, distinguishable with the common forms of
#: colour blindness; every kind also has its own shape so colour is never the only cue.
KIND_STYLES: dict[str, tuple[str, str, str]] = {
    "recommendation": ("#CC79A7", "diamond", "Recommendation"),
    "action": ("#56B4E9", "square", "Action"),
    "post": ("#E69F00", "triangle", "Officer post"),
    "person": ("#009E73", "dot", "Person"),
    "body": ("#0072B2", "hexagon", "Oversight body"),
    "council": ("#D55E00", "star", "Council"),
}
#: The style of a node whose kind is not in :data:`KIND_STYLES`.
DEFAULT_STYLE: tuple[str, str, str] = ("#999999", "dot", "Other")

_SIZES = {"council": 28, "body": 18, "post": 18, "person": 14, "recommendation": 13, "action": 11}
# Bigger text for the few nodes that matter most when zoomed out: vis-network skips labels drawn below 7px.
_FONT_SIZES = {"council": 24, "body": 17, "post": 17, "person": 15, "recommendation": 12, "action": 12}
_COLLAPSED = ("action", "recommendation")
_LABEL_CHARS = 40  # longer labels are shortened on the canvas; the tooltip and the list carry the whole text
_IMPROVED_LAYOUT_UP_TO = 200  # vis-network's improvedLayout (Kamada–Kawai on clusters) is slow on big graphs
_VIS_DIR = ("lib", "vis-9.1.2")

#: The layouts a map can have: layers (the default) or a force simulation.
LAYOUTS = ("layered", "force")
#: kind -> column of the layered map, read left to right: who answers for what, down to what was asked. A person
#: stands in the column of the posts they hold; kinds not listed here go after the recommendations.
LEVELS: dict[str, int] = {"council": 0, "body": 1, "post": 2, "person": 2, "action": 3, "recommendation": 4}
_OTHER_LEVEL = 5
#: A relation as stored (source -> target) -> (the words on its edge, whether the edge reads target -> source).
#: "action overseen by body" is drawn "body oversees action", so the edges of the layered map read along its
#: columns; the arrow points the way the words read.
RELATION_WORDS: dict[str, tuple[str, bool]] = {
    "overseen by": ("oversees", True),
    "accountable post": ("accountable for", True),
    "answered by": ("answers", True),
    "held by": ("held by", False),
    "committed by": ("committed by", False),
    "made to": ("made to", False),
}
#: The kinds whose document number leads their label ("2.2 Refresh the appraisal…").
NUMBERED = ("recommendation", "action")
_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _kind(graph: nx.DiGraph, node) -> str:
    return str(graph.nodes[node].get("kind") or "")


def aggregate(graph: nx.DiGraph, *, max_nodes: int = 1500) -> tuple[nx.DiGraph, str]:
    """A smaller network that keeps posts, oversight bodies, people and councils, and a sentence saying what was
    summarised.

    Action and recommendation nodes are removed. Each pair of an accountable post and an oversight body named on
    the same action becomes one edge post -> body with ``weight`` = the number of such actions and ``relation`` =
    "N actions"; each post or body gets an edge to its council (``weight`` = actions there). Edges between kept
    nodes (such as post -> person, "held by") stay as they are. Nodes of unknown kinds are kept. If more than
    ``max_nodes`` nodes remain, only the ``max_nodes`` of highest degree are kept (ties by id) and the sentence
    says how many were left out.

    Takes a graph shaped like :func:`~govgraph.visualise.network.build_network`'s; does not change it. Returns
    ``(reduced graph, sentence)``; the sentence is empty when nothing was summarised or left out.

    >>> g = nx.DiGraph()
    >>> g.add_node("a", kind="action", label="A", council="c"); g.add_node("p", kind="post", label="P", council="c")
    >>> g.add_node("b", kind="body", label="B", council="c"); g.add_edge("a", "p"); g.add_edge("a", "b")
    >>> reduced, note = aggregate(g)
    >>> reduced.edges["p", "b"]["weight"], note.split(" are ")[0]
    (1, '1 action')
    """
    reduced = nx.DiGraph()
    reduced.add_nodes_from((n, d) for n, d in graph.nodes(data=True) if d.get("kind") not in _COLLAPSED)
    reduced.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u in reduced and v in reduced)

    collapsed = Counter(d.get("kind") for _, d in graph.nodes(data=True) if d.get("kind") in _COLLAPSED)
    pairs: Counter = Counter()
    in_council: Counter = Counter()
    unpaired = 0
    for action, data in graph.nodes(data=True):
        if data.get("kind") != "action":
            continue
        targets = list(graph.successors(action))
        posts = [t for t in targets if _kind(graph, t) == "post"]
        bodies = [t for t in targets if _kind(graph, t) == "body"]
        councils = {t for t in targets if _kind(graph, t) == "council"}
        if not councils and data.get("council") in reduced:
            councils = {data["council"]}
        pairs.update((p, b) for p in posts for b in bodies)
        in_council.update((x, c) for x in posts + bodies for c in councils)
        unpaired += not (posts and bodies)
    for (post, body), n in pairs.items():
        reduced.add_edge(post, body, relation=_plural(n, "action"), weight=n)
    for (node, council), n in in_council.items():
        if not reduced.has_edge(node, council):
            relation = "post in" if _kind(graph, node) == "post" else "body of"
            reduced.add_edge(node, council, relation=relation, weight=n)
    # A post or body that no action links to a council still belongs to the council it was found in.
    for node, data in list(reduced.nodes(data=True)):
        council = data.get("council")
        if data.get("kind") in ("post", "body") and council in reduced and council != node \
                and not any(_kind(reduced, t) == "council" for t in reduced.successors(node)):
            reduced.add_edge(node, council, relation="post in" if data["kind"] == "post" else "body of", weight=0)

    sentences = []
    if collapsed:
        what = " and ".join(_plural(collapsed[k], k) for k in _COLLAPSED if collapsed[k])
        sentence = (f"{what} are summarised as links between officer posts and oversight bodies (an edge's width "
                    f"is the number of actions that name both)")
        if unpaired:
            sentence += f"; {_plural(unpaired, 'action')} that lack a post or a body are in no link"
        sentences.append(sentence + ". Filter by council, theme or status to see each action.")
    if reduced.number_of_nodes() > max_nodes:
        total = reduced.number_of_nodes()
        ranked = sorted(reduced.degree, key=lambda nd: (-nd[1], str(nd[0])))
        reduced = reduced.subgraph(n for n, _ in ranked[:max_nodes]).copy()
        sentences.append(f"The {max_nodes:,} most connected of {total:,} posts, bodies, people and councils are "
                         f"shown; {total - max_nodes:,} with fewer links were left out.")
    return reduced, " ".join(sentences)


def vis_folder() -> Path:
    """The folder of vis-network's ``vis-network.min.js`` and ``vis-network.css``, as shipped inside pyvis (the
    server serves it at ``/static/vis-network``)."""
    import pyvis

    return Path(pyvis.__file__).resolve().parent.joinpath(*_VIS_DIR)


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as shipped inside pyvis, made safe to sit inside <script> and <style>."""
    folder = vis_folder()
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    # Inside JS strings and regexes "<\/" means "</"; this keeps the code from closing its own element.
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return js, css


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("network.html")


def script_json(value) -> str:
    """``value`` as JSON that is safe inside an HTML ``<script>`` element: ``<``, ``>``, ``&``, U+2028 and U+2029
    are written as ``\\u`` escapes, so no text in it can end the element or start a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _safe_url(url) -> str | None:
    """Only links within our own site: a path (not "//host"), a query or a fragment."""
    if isinstance(url, str) and url[:1] in ("/", "?", "#") and not url.startswith("//") and "\\" not in url:
        return url
    return None


def _short(label: str, limit: int = _LABEL_CHARS) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _tooltip(label: str, kind_label: str, detail: str) -> str:
    return "\n".join(part for part in (label, kind_label, detail) if part)


def node_text(data: dict, node="") -> tuple[str, str]:
    """``(label, whole text)`` of a node for the map: a recommendation or action by its ``number`` and text
    ("2.2 Refresh the appraisal…"), anything else by its ``label``; the label is the whole text shortened to
    40 characters, which the tooltip carries in full.

    >>> node_text({"kind": "action", "number": "2.2", "label": "Refresh the approach to appraisal and "
    ...            "personal development"})
    ('2.2 Refresh the approach to appraisal a…', '2.2 Refresh the approach to appraisal and personal development')
    >>> node_text({"kind": "post", "label": "Chief Executive"})
    ('Chief Executive', 'Chief Executive')
    """
    text = " ".join(str(data.get("label") or node).split())
    number = " ".join(str(data.get("number") or "").split())
    if number and data.get("kind") in NUMBERED and not text.startswith(number):
        text = f"{number} {text}"
    return _short(text), text


def level_of(kind: str) -> int:
    """The column of the layered map a node of ``kind`` stands in (:data:`LEVELS`)."""
    return LEVELS.get(kind, _OTHER_LEVEL)


def implied_by_layers(graph: nx.DiGraph, source, target) -> bool:
    """Whether the layers already say what an edge says, so the layered map leaves it out: an action "committed
    by" its council when it has a post or a body to hang from, a recommendation "made to" its council when an
    action on the map answers it. Those edges would otherwise cross every column to reach the council."""
    relation = graph.edges[source, target].get("relation")
    if relation == "committed by":
        return any(_kind(graph, t) in ("post", "body") for t in graph.successors(source))
    if relation == "made to":
        return any(_kind(graph, t) == "action" for t in graph.successors(source))
    return False


#: The layered map's geometry, in canvas pixels: from one column to the next; within a column, from one node to the
#: next (a label's height apart), and, where a column holds more than :data:`_ROWS` nodes, its nodes are staggered
#: over several sub-columns this far apart so the map stays about as wide as tall.
_COLUMN_GAP, _ROW_GAP, _SUBCOLUMN_GAP, _ROWS = 340, 46, 300, 28


def _ceil(a: int, b: int) -> int:
    return -(-a // b)


def layered_positions(graph: nx.DiGraph, *, sweeps: int = 4) -> dict:
    """Where each node stands on the layered map: ``{node: (x, y)}``, in columns by :func:`level_of`, left to
    right. Within a column nodes are ordered to keep links short and uncrossed (the barycentre heuristic: each
    node moves to the mean height of its neighbours in the other columns, sweeping right, then left, ``sweeps``
    times; a person stays beside the post they hold). Each column spreads over the map's whole height, so links
    run mostly across; columns taller than 28 nodes are staggered over sub-columns. Edges the layers already say
    (:func:`implied_by_layers`) do not pull. Deterministic: ties keep the order of the labels.

    >>> g = nx.DiGraph()
    >>> for n, k in (("c", "council"), ("b1", "body"), ("b2", "body"), ("a1", "action"), ("a2", "action")):
    ...     g.add_node(n, kind=k, label=n)
    >>> g.add_edge("a1", "b2"); g.add_edge("a2", "b1")
    >>> at = layered_positions(g)
    >>> [at[n][0] for n in ("c", "b1", "a1")], at["a2"][1] < at["a1"][1]
    ([0, 340, 680], True)
    """
    columns: dict[int, list] = defaultdict(list)
    for node in sorted(graph.nodes, key=lambda n: (" ".join(str(graph.nodes[n].get("label") or n).split()).casefold(),
                                                   str(n))):
        columns[level_of(_kind(graph, node))].append(node)
    links: dict = defaultdict(list)  # node -> its neighbours in other columns
    held: dict = {}  # person -> a post they hold (same column)
    for u, v in graph.edges:
        if implied_by_layers(graph, u, v):
            continue
        if level_of(_kind(graph, u)) != level_of(_kind(graph, v)):
            links[u].append(v)
            links[v].append(u)
        elif _kind(graph, v) == "person":
            held.setdefault(v, u)
    # The tallest column is staggered over about as many sub-columns as keep the map as tall as it is wide; every
    # column then has at most as many rows as it.
    tallest = max((len(c) for c in columns.values()), default=1)
    rows = tallest if tallest <= _ROWS else _ceil(tallest, max(1, round(sqrt(tallest * _ROW_GAP / _SUBCOLUMN_GAP))))
    height = rows * _ROW_GAP

    y: dict = {}

    def spread(column: list) -> None:
        for i, node in enumerate(column):
            y[node] = (i + 0.5) * height / len(column)

    for column in columns.values():
        spread(column)
    levels = sorted(columns)
    for sweep in range(sweeps * 2):
        order = levels[1:] if sweep % 2 == 0 else levels[-2::-1]
        for level in order:
            column = columns[level]
            keys = {}
            for i, node in enumerate(column):
                near = [y[n] for n in links[node] if (level_of(_kind(graph, n)) < level) == (sweep % 2 == 0)]
                keys[node] = (sum(near) / len(near) if near else y[node], i)
            for person, post in held.items():
                if person in keys and post in keys:
                    keys[person] = (keys[post][0], keys[post][1] + 0.5)
            column.sort(key=keys.__getitem__)
            spread(column)

    at: dict = {}
    x = 0
    for level in levels:
        column = columns[level]
        across = _ceil(len(column), rows)  # sub-columns
        for i, node in enumerate(column):
            at[node] = (x + (i % across) * _SUBCOLUMN_GAP, round(y[node]))
        x += (across - 1) * _SUBCOLUMN_GAP + _COLUMN_GAP
    return at


def layout_options(nodes: int, edges: int, layout: str = "layered") -> dict:
    """vis-network's options for a map of ``nodes`` and ``edges``: in the layered layout the nodes come with their
    places and nothing moves; in the force layout a simulation lays them out, coarser for a big map."""
    small = nodes <= 400
    options = {
        "autoResize": True,
        "layout": {"improvedLayout": nodes <= _IMPROVED_LAYOUT_UP_TO, "randomSeed": 7},
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            # Above a few hundred nodes each iteration costs tens of ms in the browser: approximate more coarsely
            # (theta), skip overlap avoidance and spend a bounded number of iterations (about 50 at 1,500 nodes).
            "barnesHut": {"gravitationalConstant": -9000 if small else -4000, "springLength": 150 if small else 100,
                          "springConstant": 0.03, "damping": 0.4, "avoidOverlap": 0.3 if small else 0,
                          "theta": 0.5 if small else 0.8},
            "stabilization": {"enabled": True, "iterations": max(40, min(150, 75_000 // max(nodes, 1))),
                              "updateInterval": 25, "fit": True},
        },
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif", "color": "#1f1f1f", "strokeWidth": 3,
                           "strokeColor": "#ffffff"},
                  "borderWidth": 1, "scaling": {"label": {"drawThreshold": 7 if small else 10}}},
        "edges": {"color": {"color": "#9aa0a6", "highlight": "#333333", "hover": "#333333"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "smooth": {"enabled": edges <= 500, "type": "continuous", "roundness": 0.3},
                  "font": {"size": 10, "color": "#555555", "strokeWidth": 3, "strokeColor": "#ffffff",
                           "face": "system-ui, sans-serif", "align": "middle"},
                  "scaling": {"min": 1, "max": 8}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": edges > 1000,
                        "keyboard": {"enabled": True, "bindToWindow": False}, "multiselect": False},
    }
    if layout == "layered":
        # Each node comes with its place (layered_positions): no simulation, the page is still once drawn.
        options["layout"] = {"improvedLayout": False, "hierarchical": {"enabled": False}}
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = {"enabled": edges <= 1500, "type": "cubicBezier",
                                      "forceDirection": "horizontal", "roundness": 0.45}
    return options


def vis_elements(graph: nx.DiGraph, *, layout: str = "layered") -> tuple[list[dict], list[dict]]:
    """The vis-network node and edge dicts that draw ``graph`` (built through pyvis): each node with its
    ``label`` (see :func:`node_text`), whole ``text``, ``title`` (tooltip), ``kind``, ``level``, shape, colour and
    ``url``, and in the layered layout its place ``x``, ``y`` (:func:`layered_positions`); each edge with an ``id``, the ``relation`` as stored and a ``label`` in the words of
    :data:`RELATION_WORDS`, its arrow the way those read. In the layered layout the edges the layers already say
    (:func:`implied_by_layers`) are kept but ``hidden``. Used for the map and for the nodes an expanded node adds.
    """
    from pyvis.network import Network

    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    net = Network(directed=True)
    at = layered_positions(graph) if layout == "layered" else {}
    for node, data in graph.nodes(data=True):
        kind = str(data.get("kind") or "")
        colour, shape, kind_label = KIND_STYLES.get(kind, DEFAULT_STYLE)
        label, text = node_text(data, node)
        options = {"kind": kind, "size": _SIZES.get(kind, 12), "font": {"size": _FONT_SIZES.get(kind, 14)},
                   "level": level_of(kind), "text": text}
        url = _safe_url(data.get("url"))
        if url:
            options["url"] = url
        if node in at:
            options["x"], options["y"] = at[node]
        net.add_node(str(node), label=label, shape=shape, color=colour,
                     title=_tooltip(text, kind_label, str(data.get("detail") or "")), **options)
    for source, target, data in graph.edges(data=True):
        relation = str(data.get("relation") or "")
        words, reverse = RELATION_WORDS.get(relation, (relation, False))
        options = {"id": f"{source} {relation} {target}", "relation": relation}
        if words:
            options["title"] = words if words == relation else f"{words} ({relation})"
            options["label"] = words
        if reverse:
            options["arrows"] = {"to": {"enabled": False}, "from": {"enabled": True, "scaleFactor": 0.5}}
        if _kind(graph, target) == "council":
            # Every action links to its council; drawn faintly so the accountability links stand out.
            options["color"] = {"color": "#dadde1", "highlight": "#333333", "hover": "#333333"}
            if layout == "layered" and implied_by_layers(graph, source, target):
                options["hidden"] = True
                options["physics"] = False
        # The summarised post -> body links are drawn by weight.
        if "weight" in data and _kind(graph, source) == "post" and _kind(graph, target) == "body":
            options["value"] = max(int(data["weight"]), 1)
        net.add_edge(str(source), str(target), **options)
    return net.nodes, net.edges


def pair_counts(graph: nx.DiGraph) -> list[dict]:
    """The oversight body × officer post table of an aggregate (:func:`aggregate`): one row per pair that some
    actions name both of, ``{"body", "body_url", "post", "post_url", "actions"}``, bodies by name, then most
    actions first.

    >>> g = nx.DiGraph()
    >>> g.add_node("p", kind="post", label="Chief Executive"); g.add_node("b", kind="body", label="Cabinet")
    >>> g.add_edge("p", "b", relation="3 actions", weight=3)
    >>> [(r["body"], r["post"], r["actions"]) for r in pair_counts(g)]
    [('Cabinet', 'Chief Executive', 3)]
    """
    rows = []
    for post, body, data in graph.edges(data=True):
        if _kind(graph, post) == "post" and _kind(graph, body) == "body" and data.get("weight"):
            rows.append({"body": str(graph.nodes[body].get("label") or body),
                         "body_url": _safe_url(graph.nodes[body].get("url")),
                         "post": str(graph.nodes[post].get("label") or post),
                         "post_url": _safe_url(graph.nodes[post].get("url")), "actions": int(data["weight"])})
    return sorted(rows, key=lambda r: (r["body"].casefold(), -r["actions"], r["post"].casefold()))


def render_network(graph: nx.DiGraph, *, title: str, note: str = "", max_nodes: int = 1500,
                   controls_html: Markup | None = None, back_url: str | None = None,
                   back_label: str = "Back", header_html: Markup | None = None, nonce: str = "",
                   layout: str = "layered", neighbours_url: str | None = None) -> str:
    """A complete, offline HTML page that draws ``graph`` as an interactive network.

    Takes a graph shaped like :func:`~govgraph.visualise.network.build_network`'s (node attributes ``kind``,
    ``label``, ``council``, optionally ``url``, ``detail`` and ``number``; edge attribute ``relation``, optionally
    ``weight``). ``layout`` is "layered" (columns by :data:`LEVELS`) or "force". A graph with more than
    ``max_nodes`` nodes is shown as its aggregate (:func:`aggregate`), said so above the map, with the body × post
    counts as a table (:func:`pair_counts`). ``title``, ``note``, ``back_label`` and all graph text are escaped;
    ``controls_html`` (our own filter form) and ``header_html`` (the site's navigation, above the title) are
    inserted as given, so pass only markup the server built, as :class:`markupsafe.Markup` (a plain ``str`` is
    escaped). Node ``url``s and ``back_url`` should be links within the site; node urls that are not (anything
    but "/path", "?query" or "#fragment") are dropped.

    The page finds a node by its words or number (a search box), saves the map as a PNG, and, when the filter
    form carries ``data-facets`` (a URL answering as ``/api/network/facets`` does), narrows the other lists to
    the council chosen. Without ``neighbours_url`` a click on a node opens its url; with it (a URL answering
    ``?node=IRI`` as ``/api/network/neighbours`` does) a click selects the node and offers its page and its
    neighbours, which are fetched and added to the map; a double click opens its page.

    Returns the page as a string. The canvas element is ``<div id="network" data-nodes=N data-edges=M>``; once
    drawn, ``document.body.dataset.rendered == "true"`` and ``window.govgraphNetwork`` is the vis-network object.
    ``nonce`` marks the page's own scripts and styles for a Content-Security-Policy that allows only those.

    :raises ValueError: a layout not in :data:`LAYOUTS`.
    """
    notes = [note] if note else []
    aggregated = None
    if graph.number_of_nodes() > max_nodes:
        whole = graph.number_of_nodes()
        graph, summary = aggregate(graph, max_nodes=max_nodes)
        aggregated = {"nodes": whole, "limit": max_nodes, "summary": summary, "pairs": pair_counts(graph)}
    nodes, edges = vis_elements(graph, layout=layout)

    counts = Counter(n["kind"] for n in nodes)
    known = [k for k in KIND_STYLES if counts[k]] + sorted(k for k in counts if k not in KIND_STYLES)
    legend = []
    for kind in known:
        colour, shape, label = KIND_STYLES.get(kind, DEFAULT_STYLE)
        legend.append({"kind": kind, "colour": colour, "shape": shape,
                       "label": label if kind in KIND_STYLES else (kind or label), "count": counts[kind]})

    by_kind = defaultdict(list)
    for node, data in graph.nodes(data=True):
        by_kind[str(data.get("kind") or "")].append({"label": node_text(data, node)[1],
                                                     "url": _safe_url(data.get("url"))})
    listing = [{"label": entry["label"], "nodes": sorted(by_kind[entry["kind"]], key=lambda n: n["label"].lower())}
               for entry in legend]

    js, css = _vis_assets()
    payload = {"nodes": nodes, "edges": edges, "options": layout_options(len(nodes), len(edges), layout),
               "layout": layout, "neighbours": _safe_url(neighbours_url)}
    return _template().render(
        title=title, notes=notes, controls_html=controls_html, back_url=back_url, back_label=back_label,
        header_html=header_html, nonce=nonce, aggregated=aggregated, layout=layout,
        expandable=bool(payload["neighbours"]),
        legend=legend, listing=listing, node_count=len(nodes), edge_count=len(edges),
        data_json=Markup(script_json(payload)), vis_js=Markup(js), vis_css=Markup(css),
    )


__all__ = ["DEFAULT_STYLE", "KIND_STYLES", "LAYOUTS", "LEVELS", "NUMBERED", "RELATION_WORDS", "aggregate",
           "implied_by_layers", "layered_positions", "layout_options", "level_of", "node_text", "pair_counts", "render_network",
           "script_json", "vis_elements", "vis_folder"]
