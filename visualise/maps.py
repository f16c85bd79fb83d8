"""The accountability network as one offline, interactive HTML page (vis-network, drawn in the browser).

Rendering only, no I/O beyond reading the vis-network files pyvis ships: :func:`render_network` takes the
networkx graph of :func:`govgraph.visualise.network.build_network` and returns a complete HTML document that loads
nothing from outside. pyvis builds the vis-network node and edge dicts; the page itself comes from our own template
(``templates/network.html``), because pyvis's template links Bootstrap from a CDN and inserts its heading and
tooltips as raw HTML. Every text that came from a document is either escaped by Jinja2 or travels as JSON (with
``<``, ``>`` and ``&`` escaped) and reaches the page only as ``textContent`` or canvas text.

Graphs larger than ``max_nodes`` are summarised by :func:`aggregate` so the browser never has to lay out more than
that many nodes.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
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
_EDGE_LABELS_UP_TO = 300  # edge labels on more edges than this clutter the canvas and slow drawing
_IMPROVED_LAYOUT_UP_TO = 200  # vis-network's improvedLayout (Kamada–Kawai on clusters) is slow on big graphs
_VIS_DIR = ("lib", "vis-9.1.2")
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


def _short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1].rstrip() + "…"


def _tooltip(label: str, kind_label: str, detail: str) -> str:
    return "\n".join(part for part in (label, kind_label, detail) if part)


def _options(nodes: int, edges: int) -> dict:
    small = nodes <= 400
    return {
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
                  "font": {"size": 11, "color": "#555555", "strokeWidth": 3, "strokeColor": "#ffffff",
                           "face": "system-ui, sans-serif", "align": "middle"},
                  "scaling": {"min": 1, "max": 8}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": edges > 1000,
                        "keyboard": {"enabled": True, "bindToWindow": False}, "multiselect": False},
    }


def _vis_data(graph: nx.DiGraph) -> tuple[list[dict], list[dict]]:
    """vis-network node and edge dicts, built through pyvis."""
    from pyvis.network import Network

    net = Network(directed=True)
    for node, data in graph.nodes(data=True):
        kind = str(data.get("kind") or "")
        colour, shape, kind_label = KIND_STYLES.get(kind, DEFAULT_STYLE)
        label = str(data.get("label") or node)
        options = {"kind": kind, "size": _SIZES.get(kind, 12), "font": {"size": _FONT_SIZES.get(kind, 14)}}
        url = _safe_url(data.get("url"))
        if url:
            options["url"] = url
        net.add_node(str(node), label=_short(label), shape=shape, color=colour,
                     title=_tooltip(label, kind_label, str(data.get("detail") or "")), **options)
    show_edge_labels = graph.number_of_edges() <= _EDGE_LABELS_UP_TO
    for source, target, data in graph.edges(data=True):
        relation = str(data.get("relation") or "")
        options = {"title": relation} if relation else {}
        if _kind(graph, target) == "council":
            # Every action links to its council; drawn faintly so the accountability links stand out.
            options["color"] = {"color": "#dadde1", "highlight": "#333333", "hover": "#333333"}
        # Only the summarised post -> body links are drawn by weight; a label for "1 action" adds only clutter.
        if "weight" in data and _kind(graph, source) == "post" and _kind(graph, target) == "body":
            options["value"] = max(int(data["weight"]), 1)
            if show_edge_labels and data["weight"] > 1:
                options["label"] = relation
        net.add_edge(str(source), str(target), **options)
    return net.nodes, net.edges


def render_network(graph: nx.DiGraph, *, title: str, note: str = "", max_nodes: int = 1500,
                   controls_html: Markup | None = None, back_url: str | None = None,
                   back_label: str = "Back", header_html: Markup | None = None, nonce: str = "") -> str:
    """A complete, offline HTML page that draws ``graph`` as an interactive network.

    Takes a graph shaped like :func:`~govgraph.visualise.network.build_network`'s (node attributes ``kind``,
    ``label``, ``council``, optionally ``url`` and ``detail``; edge attribute ``relation``, optionally ``weight``).
    A graph with more than ``max_nodes`` nodes is first reduced by :func:`aggregate`, whose sentence is added to
    ``note``. ``title``, ``note``, ``back_label`` and all graph text are escaped; ``controls_html`` (our own filter
    form) and ``header_html`` (the site's navigation, above the title) are inserted as given, so pass only markup
    the server built, as :class:`markupsafe.Markup` (a plain
    ``str`` is escaped). Node ``url``s and ``back_url`` should be links within the site; node urls that are not
    (anything but "/path", "?query" or "#fragment") are dropped. Clicking a node with a url opens it.

    Returns the page as a string. The canvas element is ``<div id="network" data-nodes=N data-edges=M>``; once
    drawn, ``document.body.dataset.rendered == "true"`` and ``window.govgraphNetwork`` is the vis-network object.
    ``nonce`` marks the page's own scripts and styles for a Content-Security-Policy that allows only those.
    """
    notes = [note] if note else []
    if graph.number_of_nodes() > max_nodes:
        graph, summary = aggregate(graph, max_nodes=max_nodes)
        notes.append(summary)
    nodes, edges = _vis_data(graph)

    counts = Counter(n["kind"] for n in nodes)
    known = [k for k in KIND_STYLES if counts[k]] + sorted(k for k in counts if k not in KIND_STYLES)
    legend = []
    for kind in known:
        colour, shape, label = KIND_STYLES.get(kind, DEFAULT_STYLE)
        legend.append({"kind": kind, "colour": colour, "shape": shape,
                       "label": label if kind in KIND_STYLES else (kind or label), "count": counts[kind]})

    by_kind = defaultdict(list)
    for node, data in graph.nodes(data=True):
        by_kind[str(data.get("kind") or "")].append({"label": str(data.get("label") or node),
                                              "url": _safe_url(data.get("url"))})
    listing = [{"label": entry["label"], "nodes": sorted(by_kind[entry["kind"]], key=lambda n: n["label"].lower())}
               for entry in legend]

    js, css = _vis_assets()
    payload = {"nodes": nodes, "edges": edges, "options": _options(len(nodes), len(edges))}
    return _template().render(
        title=title, notes=notes, controls_html=controls_html, back_url=back_url, back_label=back_label,
        header_html=header_html, nonce=nonce,
        legend=legend, listing=listing, node_count=len(nodes), edge_count=len(edges),
        data_json=Markup(script_json(payload)), vis_js=Markup(js), vis_css=Markup(css),
    )


__all__ = ["DEFAULT_STYLE", "KIND_STYLES", "aggregate", "render_network", "script_json", "vis_folder"]
