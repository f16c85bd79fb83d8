"""The documentation covers every command and every named query, and the quick start is what CI runs."""
from __future__ import annotations

import re

from govgraph.queries import catalogue
from govgraph.server.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme_with_help():
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert f"`govgraph {name}" in README, f"README does not document `govgraph {name}`"
        assert command.help, f"`govgraph {name}` has no help text"


def test_every_named_query_is_in_the_readme():
    for name in catalogue():
        assert f"`{name}`" in README


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", README, re.S)[1]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def test_every_setting_is_in_the_readme():
    from govgraph.server.settings import Settings

    for name, field in Settings.model_fields.items():
        assert f"GOVGRAPH_{name.upper()}" in README, f"README does not document GOVGRAPH_{name.upper()}"
        assert field.description, f"setting {name} has no description"


def test_every_api_route_has_a_summary_and_the_readme_names_its_family():
    from govgraph.server.app import create_app
    from govgraph.server.settings import Settings

    spec = create_app("memory:", Settings(store="memory:")).openapi()
    documented = set(re.findall(r"/api/[a-z]+", README)) | set(re.findall(r"`(/[a-z]+)", README))
    for braces in re.findall(r"/api/\{([a-z,]+)\}", README):  # /api/{councils,reviews,...}
        documented |= {f"/api/{kind}" for kind in braces.split(",")}
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
        family = re.match(r"/api/[a-z]+", path)[0] if path.startswith("/api/") else path
        assert family in documented, f"README does not mention {family} ({path})"
