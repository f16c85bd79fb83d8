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
                       description="Where the graph lives: a directory for the embedded on-disk store, or 'memory:'.")
    host: str = Field("127.0.0.1", description="Address the web server listens on (loopback unless told).")
    port: int = Field(8000, description="Port the web server listens on.")
    query_timeout: float = Field(10.0, gt=0, description="Seconds a query sent to the SPARQL endpoint may run "
                                 "before it is stopped.")
    max_results: int = Field(10_000, gt=0, description="The most rows (or triples) the SPARQL endpoint returns "
                             "for one query; a larger result is refused with an error.")
    query_workers: int = Field(2, gt=0, description="SPARQL endpoint queries that may run at once.")
    upload_token: SecretStr | None = Field(None, description="The bearer token that allows uploading documents "
                                           "through the API; uploads are disabled while it is unset.")
    max_upload_mb: float = Field(25.0, gt=0, description="The largest document the upload API accepts, in MB.")
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
    max_network_nodes: int = Field(1500, gt=0, description="Network views with more nodes than this are "
                                   "summarised (actions folded into post-to-body links) so the browser stays "
                                   "responsive.")
    load_workers: int = Field(default_factory=lambda: default_workers(), gt=0, description="Files read at once "
                              "when loading, each in its own child process (default: the number of processors "
                              "this process may use); matching and writing stay one file at a time, in order.")


def parse_limits(settings: Settings):
    """The limits each file is read within (:mod:`govgraph.loaders.sandbox`)."""
    from govgraph.loaders.sandbox import Limits

    return Limits(memory_mb=settings.parse_memory_mb, cpu_seconds=settings.parse_cpu_seconds,
                  wall_seconds=settings.parse_seconds, max_triples=settings.max_triples,
                  max_text_mb=settings.max_text_mb, max_pages=settings.max_pages)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
