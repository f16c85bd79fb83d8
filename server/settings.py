"""Settings, from the environment (``GOVGRAPH_*``) or a ``.env`` file in the working directory."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not every platform has it
        return max(1, os.cpu_count() or 1)


def default_store() -> str:
    return str(Path(user_data_dir("govgraph", appauthor=False)) / "store")


class Settings(BaseSettings):
    """govgraph's settings. Every field can be set as an environment variable named ``GOVGRAPH_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="GOVGRAPH_", env_file=".env", extra="ignore")

    store: str = Field(default_factory=default_store,
                       description="Where the graph lives: a directory for the embedded on-disk store, "
                       "'memory:', or the URL of a SPARQL 1.1 server (http://127.0.0.1:7878).")
    host: str = Field("127.0.0.1", description="Address the web server listens on (loopback unless told).")
    port: int = Field(8000, description="Port the web server listens on.")
    query_timeout: float = Field(10.0, gt=0, description="Seconds a query sent to the SPARQL endpoint may run "
                                 "before it is stopped.")
    max_results: int = Field(10_000, gt=0, description="The most rows (or triples) the SPARQL endpoint returns "
                             "for one query; a larger result is refused with an error.")
    query_workers: int = Field(2, gt=0, description="SPARQL endpoint queries that may run at once.")
    store_wait: float = Field(300.0, ge=0, description="Seconds a command that writes (load, remove, summarise) "
                              "waits for an on-disk store another process is writing to, before it gives up "
                              "(exit 4); 0: give up at once.")
    upload_token: SecretStr | None = Field(None, description="The bearer token that allows uploading documents "
                                           "through the API; uploads are disabled while it is unset.")
    max_upload_mb: float = Field(25.0, gt=0, description="The largest document the upload API accepts, in MB.")
    upload_previews: int = Field(8, gt=0, description="Documents read on the upload page and waiting to be "
                                 "committed or discarded that the server holds at once; the oldest goes first.")
    upload_preview_minutes: float = Field(30.0, gt=0, description="Minutes a document read on the upload page "
                                          "waits to be committed before it is discarded.")
    upload_preview_triples: int = Field(2_000_000, gt=0, description="The most triples the waiting documents of "
                                        "the upload page hold between them (they are kept in memory); a larger "
                                        "document is refused there (load it with 'govgraph load' or the API).")
    service_allow: list[str] = Field(default_factory=list, description="SPARQL endpoints a query's SERVICE clause "
                                     "may call, as a JSON list of IRIs; empty (the default): SERVICE is refused "
                                     "and the endpoint never makes an outbound request.")
    parse_memory_mb: int = Field(3072, ge=256, description="Memory (address space, MB) the child process reading "
                                 "one file may use; past it the file is refused and the batch goes on.")
    parse_cpu_seconds: int = Field(600, gt=0, description="Processor seconds reading one file may take.")
    parse_seconds: float = Field(900.0, gt=0, description="Wall-clock seconds reading one file may take.")
    max_triples: int = Field(5_000_000, gt=0, description="The most triples one file may give.")
    max_text_mb: float = Field(10.0, gt=0, description="The most text one document may have, in millions of "
                               "characters (reading takes about 5-10 s per million of dense plan text).")
    max_pages: int = Field(2000, gt=0, description="The most pages of one PDF that are read.")
    warm_up: bool = Field(True, description="At start, bring the search index up to date and compute the "
                          "whole-corpus views in the background, so the first requests do not wait for them.")
    max_network_nodes: int = Field(1500, gt=0, description="A map with more nodes than this shows the "
                                   "aggregate view (bodies x posts with their actions) so the browser stays "
                                   "responsive; the SPARQL page's network draws its first rows up to it.")
    load_workers: int = Field(default_factory=lambda: default_workers(), gt=0, description="Files read at once "
                              "when loading, each in its own child process (default: the number of processors "
                              "this process may use); matching and writing stay one file at a time, in order.")
    store_query_path: str = Field("/query", description="A SPARQL server store (GOVGRAPH_STORE=http://...): the "
                                  "path of its query endpoint, appended to the store URL ('/sparql' for Virtuoso).")
    store_update_path: str = Field("/update", description="The path of the server's SPARQL Update endpoint "
                                   "('/sparql-auth' for Virtuoso).")
    store_graph_store_path: str = Field("/store", description="The path of the server's Graph Store Protocol "
                                        "endpoint ('/sparql-graph-crud-auth' for Virtuoso).")
    store_headers: dict[str, str] = Field(default_factory=dict, description="HTTP headers sent with every request "
                                          "to a SPARQL server store, as a JSON object (an Authorization token, say).")
    store_user: str | None = Field(None, description="The user name for a SPARQL server store that needs one.")
    store_password: SecretStr | None = Field(None, description="The password of GOVGRAPH_STORE_USER.")
    store_auth: str = Field("basic", pattern="^(basic|digest)$", description="How the user and password are sent: "
                            "'basic' or 'digest' (Virtuoso).")
    store_timeout: float = Field(60.0, gt=0, description="Seconds govgraph waits for a SPARQL server store to "
                                 "answer one request (loads and queries; the SPARQL endpoint's own limit is "
                                 "GOVGRAPH_QUERY_TIMEOUT).")
    store_excluded_graphs: list[str] = Field(default_factory=list, description="IRI prefixes of a SPARQL server's "
                                             "own graphs, which are not documents (Virtuoso's system graphs), as a "
                                             "JSON list: left out of the graphs listed, counted and exported.")
    store_one_update: bool = Field(True, description="Replace the graphs one load changes in one SPARQL update on a "
                                   "SPARQL server store, so readers see all of them or none; false for servers whose "
                                   "updates cannot hold a document's triples (Virtuoso): one PUT per graph instead.")
    store_lateral: bool = Field(True, description="The SPARQL server store runs LATERAL (Oxigraph, Jena), which the "
                                "named queries use to look details up per item; false for servers that do not "
                                "(Virtuoso): the queries are sent without it and give the same rows, more slowly.")


def parse_limits(settings: Settings):
    """The limits each file is read within (:mod:`govgraph.loaders.sandbox`)."""
    from govgraph.loaders.sandbox import Limits

    return Limits(memory_mb=settings.parse_memory_mb, cpu_seconds=settings.parse_cpu_seconds,
                  wall_seconds=settings.parse_seconds, max_triples=settings.max_triples,
                  max_text_mb=settings.max_text_mb, max_pages=settings.max_pages)


def remote_options(settings: Settings):
    """How to reach a SPARQL server store (:class:`govgraph.queries.remote.RemoteOptions`)."""
    from govgraph.queries.remote import AuthScheme, RemoteOptions

    return RemoteOptions(
        query_path=settings.store_query_path, update_path=settings.store_update_path,
        graph_store_path=settings.store_graph_store_path, headers=dict(settings.store_headers),
        user=settings.store_user,
        password=settings.store_password.get_secret_value() if settings.store_password else None,
        auth=AuthScheme(settings.store_auth), timeout_s=settings.store_timeout,
        excluded_graphs=tuple(settings.store_excluded_graphs), one_update=settings.store_one_update,
        lateral=settings.store_lateral)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
