"""Every setting is declared once, shown by `cckg serve --help` and documented."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cckg.cli.serve import serve, settings_from_options
from cckg.errors import BadParameter
from cckg.paths import PATHS
from cckg.server.settings import Settings, env_var, option_name

DOC = PATHS.root / "docs" / "server.md"


def help_text() -> str:
    app = typer.Typer()
    app.command()(serve)
    app.command(name="other")(lambda: None)  # a second command keeps `serve` a subcommand
    result = CliRunner().invoke(
        app, ["serve", "--help"], terminal_width=400, env={"COLUMNS": "400"}
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("field", Settings.declared(), ids=lambda f: f.name)
def test_setting_is_in_serve_help(field) -> None:
    text = help_text()
    assert option_name(field) in text
    assert env_var(field) in text


@pytest.mark.parametrize("field", Settings.declared(), ids=lambda f: f.name)
def test_setting_is_documented(field) -> None:
    doc = DOC.read_text(encoding="utf-8")
    row = f"| `{option_name(field)}` | `{env_var(field)}` |"
    assert row in doc


def test_from_env_parses_each_type(tmp_path: Path) -> None:
    settings = Settings.from_env({
        "CCKG_PORT": "9001",
        "CCKG_QUERY_TIMEOUT": "2.5",
        "CCKG_DATA_DIR": str(tmp_path),
        "CCKG_CORS_ORIGINS": "https://a.example, https://b.example",
        "CCKG_UNION_DEFAULT_GRAPH": "no",
        "CCKG_UPDATE_TOKEN": "s3cret",
    })
    assert settings.port == 9001
    assert settings.query_timeout == 2.5
    assert settings.data_dir == tmp_path
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.union_default_graph is False
    assert settings.update_token == "s3cret"
    assert Settings.from_env({}).update_token is None


def test_bad_env_value_names_the_variable() -> None:
    with pytest.raises(BadParameter) as err:
        Settings.from_env({"CCKG_PORT": "eighty"})
    assert "CCKG_PORT" in err.value.message
    assert "How to fix" in err.value.message


def test_invalid_settings_are_refused() -> None:
    with pytest.raises(BadParameter, match="port"):
        Settings(port=0)
    with pytest.raises(BadParameter, match="base_iri"):
        Settings(base_iri="https://w3id.org/cckg")
    with pytest.raises(BadParameter, match="max_inbound"):
        Settings(max_inbound=0)


def test_options_become_settings(tmp_path: Path) -> None:
    values = {f.name: getattr(Settings(), f.name) for f in Settings.declared()}
    values |= {"cors_origins": "https://a.example,https://b.example", "data_dir": tmp_path}
    settings = settings_from_options(values)
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.data_dir == tmp_path
