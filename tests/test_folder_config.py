"""Configuration: defaults, statediff.toml, [tool.statediff] in pyproject.toml, flags over both."""

from __future__ import annotations

from pathlib import Path

import pytest

from statediff.config import load_config
from statediff.errors import StatediffError


def test_defaults_are_statements_and_reports_in_the_folder(tmp_path: Path) -> None:
    config = load_config(cwd=tmp_path)
    assert (config.statements, config.reports, config.model, config.source) == (
        tmp_path / "statements",
        tmp_path / "reports",
        None,
        None,
    )


def test_pyproject_section_with_paths_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "models" / "mine").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.statediff]\nstatements = "data/statements"\nmodel = "models/mine"\n', encoding="utf-8"
    )
    config = load_config(cwd=tmp_path)
    assert config.statements == tmp_path / "data" / "statements"
    assert config.reports == tmp_path / "reports"
    assert config.model == str(tmp_path / "models" / "mine")
    assert config.source == tmp_path / "pyproject.toml"


def test_a_pyproject_without_the_section_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load_config(cwd=tmp_path).source is None


def test_statediff_toml_wins_and_flags_win_over_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.statediff]\nreports = "a"\n', encoding="utf-8")
    (tmp_path / "statediff.toml").write_text('reports = "b"\nmodel = "some-model-name"\n', encoding="utf-8")
    config = load_config(cwd=tmp_path)
    assert (config.reports, config.model) == (tmp_path / "b", "some-model-name")
    config = load_config(cwd=tmp_path, reports="c", model="other")
    assert (config.reports, config.model) == (Path("c"), "other")


def test_a_tool_statediff_that_is_not_a_table_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool]\nstatediff = "yes"\n', encoding="utf-8")
    with pytest.raises(StatediffError, match=r"pyproject.toml: \[tool.statediff\] must be a table of settings"):
        load_config(cwd=tmp_path)


def test_settings_are_found_in_a_parent_folder_as_git_and_ruff_do(tmp_path: Path) -> None:
    (tmp_path / "statediff.toml").write_text('statements = "data/statements"\n', encoding="utf-8")
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")  # no section: passed by
    config = load_config(cwd=tmp_path / "a" / "b")
    assert config.source is not None and config.source.resolve() == (tmp_path / "statediff.toml").resolve()
    assert config.statements.resolve() == (tmp_path / "data" / "statements").resolve()
    assert config.reports.resolve() == (tmp_path / "reports").resolve()


def test_the_walk_up_stops_at_the_top_of_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "statediff.toml").write_text('statements = "elsewhere"\n', encoding="utf-8")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "sub").mkdir()
    config = load_config(cwd=tmp_path / "repo" / "sub")
    assert config.source is None
    assert config.statements == tmp_path / "repo" / "sub" / "statements"


@pytest.mark.parametrize("value", ["../outside", "/tmp", "reports/../../up", "link-out"])
def test_a_settings_file_cannot_send_the_folders_outside_the_project(tmp_path: Path, value: str) -> None:
    # The file comes with the repository: a pull request could point `report` at a folder anywhere.
    project = tmp_path / "project"
    project.mkdir()
    (project / "link-out").symlink_to(tmp_path)
    (project / "statediff.toml").write_text(f'reports = "{value}"\n', encoding="utf-8")
    with pytest.raises(StatediffError, match=rf"statediff.toml: setting reports = '{value}' leads outside the folder "
                                             r"of this file; keep the reports folder inside the project, or give "
                                             r"--reports to choose another"):
        load_config(cwd=project)
    assert load_config(cwd=project, reports=str(tmp_path / "mine")).reports == tmp_path / "mine"  # a flag may


def test_settings_may_name_folders_anywhere_inside_the_project(tmp_path: Path) -> None:
    (tmp_path / "statediff.toml").write_text('statements = "data/../data/statements"\nreports = "."\n', encoding="utf-8")
    config = load_config(cwd=tmp_path)
    assert config.reports == tmp_path / "." and config.statements == tmp_path / "data/../data/statements"
