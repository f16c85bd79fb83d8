"""Settings, from the environment (``GOVGRAPH_*``) or a ``.env`` file in the working directory."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_store() -> str:
    return str(Path(user_data_dir("govgraph", appauthor=False)) / "store")


class Settings(BaseSettings):
    """govgraph's settings. Every field can be set as an environment variable named ``GOVGRAPH_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="GOVGRAPH_", env_file=".env", extra="ignore")

    store: str = Field(default_factory=default_store,
                       description="Where the graph lives: a directory for the embedded on-disk store, or 'memory:'.")
    host: str = Field("127.0.0.1", description="Address the web server listens on (loopback unless told).")
    port: int = Field(8000, description="Port the web server listens on.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
