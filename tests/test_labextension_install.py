"""Where the course's JupyterLab extension goes: a copy (``--install``), links for an editable
install (``--develop``), and the shared data of the ``classroom`` wheel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classroom.errors import CourseError
from classroom.labextension import EXTENSION_DIR, SETTINGS_FILE
from classroom.labextension.__main__ import main
from classroom.labextension.install import develop, extension_target, install, overrides_target
from classroom.labextension.settings import COURSE_OVERRIDES


def test_install_puts_the_extension_and_defaults_where_jupyterlab_looks(tmp_path: Path) -> None:
    admin = tmp_path / "share/jupyter/lab/settings/overrides.json"
    admin.parent.mkdir(parents=True)
    admin.write_text('{"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}')
    install(tmp_path)
    copied = sorted(p.relative_to(extension_target(tmp_path)) for p in
                    extension_target(tmp_path).rglob("*") if p.is_file())
    assert copied == sorted(p.relative_to(EXTENSION_DIR) for p in EXTENSION_DIR.rglob("*")
                            if p.is_file())
    assert json.loads(overrides_target(tmp_path).read_text()) == COURSE_OVERRIDES
    assert "JupyterLab Dark" in admin.read_text()  # the administrator's file is untouched


def test_install_replaces_an_older_copy_of_its_own(tmp_path: Path) -> None:
    install(tmp_path)
    stale = extension_target(tmp_path) / "static" / "remoteEntry.old.js"
    stale.write_text("old")
    install(tmp_path)
    assert not stale.exists() and (extension_target(tmp_path) / "package.json").is_file()
    assert [p.name for p in extension_target(tmp_path).parent.iterdir()] == [
        extension_target(tmp_path).name]  # no staging folder left behind


def test_install_refuses_to_replace_what_is_not_the_courses(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture) -> None:
    foreign = overrides_target(tmp_path)
    foreign.parent.mkdir(parents=True)
    foreign.write_text('{"someone:else": {"x": 1}}')
    with pytest.raises(CourseError, match="not the course's"):
        install(tmp_path)
    assert foreign.read_text() == '{"someone:else": {"x": 1}}'
    assert not extension_target(tmp_path).exists()
    foreign.unlink()
    other = extension_target(tmp_path)
    other.mkdir(parents=True)
    (other / "package.json").write_text('{"name": "another-extension"}')
    assert main(["--install", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not the course's extension" in err
    assert json.loads((other / "package.json").read_text())["name"] == "another-extension"


def test_an_interrupted_swap_puts_the_old_copy_back(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    install(tmp_path)
    marker = extension_target(tmp_path) / "static" / "kept.js"
    marker.write_text("the copy installed before")
    real_rename = Path.rename

    def interrupted(self: Path, target: Path) -> Path:
        if self.name == "course-lib-widget-keys" and self.parent.name.startswith(".course-lib"):
            raise KeyboardInterrupt  # Ctrl-C after the old copy moved aside
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", interrupted)
    with pytest.raises(KeyboardInterrupt):
        install(tmp_path)
    monkeypatch.undo()
    assert marker.read_text() == "the copy installed before"
    assert [p.name for p in extension_target(tmp_path).parent.iterdir()] == [
        extension_target(tmp_path).name]


def test_develop_links_both_places_to_the_checkout(tmp_path: Path) -> None:
    install(tmp_path)  # a copy of its own is replaced by links
    linked = develop(tmp_path)
    assert linked == [extension_target(tmp_path), overrides_target(tmp_path)]
    assert extension_target(tmp_path).resolve() == EXTENSION_DIR.resolve()
    assert overrides_target(tmp_path).resolve() == SETTINGS_FILE.resolve()
    assert develop(tmp_path) == linked  # again: its own links are replaced
    assert sorted(p.name for p in extension_target(tmp_path).parent.iterdir()) == [
        extension_target(tmp_path).name]  # no staging folder left behind
    install(tmp_path)  # and a copy replaces the links again
    assert not extension_target(tmp_path).is_symlink()
    assert json.loads(overrides_target(tmp_path).read_text()) == COURSE_OVERRIDES


def test_develop_refuses_what_is_not_the_courses(tmp_path: Path) -> None:
    other = extension_target(tmp_path)
    other.mkdir(parents=True)
    (other / "package.json").write_text('{"name": "another-extension"}')
    with pytest.raises(CourseError, match="not the course's extension"):
        develop(tmp_path)
    assert not other.is_symlink() and (other / "package.json").is_file()
    assert not overrides_target(tmp_path).exists()


def test_the_settings_file_is_the_course_overrides() -> None:
    assert json.loads(SETTINGS_FILE.read_text()) == COURSE_OVERRIDES
