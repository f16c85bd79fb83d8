"""The service layer: what the CLI and the web server both do, and the only place that knows loaders, store and
queries together. Data goes one way: file -> loader -> match -> triples with provenance -> store (one named graph
per document, one identity graph per council) -> named query -> rows.

Each noun has its module, and this one gathers them for the CLI and the routes:

- :mod:`~govgraph.server.stores`: opening the store, govgraph's own vocabulary in it;
- :mod:`~govgraph.server.loading`: loading, matching and removing documents, uploads;
- :mod:`~govgraph.server.matching`: the match step of loading;
- :mod:`~govgraph.server.reports`: named queries, gap report, the committee report, export, validation, extraction;
- :mod:`~govgraph.server.resources`: one thing or a list of things, as the API and pages show them;
- :mod:`~govgraph.server.figures`: the dashboard, the comparison, the network views;
- :mod:`~govgraph.server.summaries`: the figures kept at load time, which the dashboard, comparison and report read.
"""
from govgraph import queries  # noqa: F401
from govgraph.server import matching  # noqa: F401
from govgraph.server.figures import (  # noqa: F401
    Comparison,
    NetworkFilters,
    ReviewFigures,
    StatusWords,
    compare,
    council_over_time,
    dashboard,
    network,
    network_facets,
    network_neighbours,
    shared_themes,
    status_words_turtle,
)
from govgraph.server.loading import (  # noqa: F401
    COUNCIL_BODIES,
    COUNTED,
    DocumentInfo,
    DocumentResult,
    LoadSummary,
    count_things,
    documents,
    expand_paths,
    load_paths,
    load_upload,
    remove_document,
    resolve_abbreviated_bodies,
    start_readers,
    write_document,
    write_reading,
)
from govgraph.server.reports import (  # noqa: F401
    GAP_QUERIES,
    ValidationReport,
    Violation,
    build_report,
    council_figures,
    export,
    extract,
    gap_counts,
    gap_report,
    import_dataset,
    run_query,
    validate,
)
from govgraph.server.resources import (  # noqa: F401
    ID_PREFIX,
    INVERSE_LABELS,
    KIND_OF_CLASS,
    NAME_PROPERTIES,
    OUT_LABELS,
    PLURAL_OF,
    RESOURCE_KINDS,
    CouncilView,
    Resource,
    ResourcePage,
    council_term,
    council_view,
    describe,
    describe_rdf,
    document_sources,
    label_of,
    list_resources,
    page_path,
    resolve_kind,
)
from govgraph.server.search import search  # noqa: F401
from govgraph.server.stores import ensure_vocabulary, opened, vocabulary_digest  # noqa: F401
from govgraph.server.summaries import ensure_summaries, is_current, summarise  # noqa: F401
