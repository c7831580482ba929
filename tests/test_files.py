"""The one atomic writer (course_lib.files): data on disk before the rename, the old file kept
on any error, modes from the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from course_lib import files


def test_data_is_flushed_before_the_rename_and_the_folder_after(tmp_path, monkeypatch):
    events: list[tuple[str, object]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        kind = "folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        events.append(("fsync", kind))
        real_fsync(fd)

    def replace(src, dst):
        events.append(("replace", Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "fsync", fsync)
    monkeypatch.setattr(files.os, "replace", replace)
    files.atomic_write_text(tmp_path / "grades.csv", "ann,9\n")
    assert events == [("fsync", "file"), ("replace", "grades.csv"), ("fsync", "folder")]
    assert (tmp_path / "grades.csv").read_text() == "ann,9\n"


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "grades.csv"
    target.write_text("old\n")

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        files.atomic_write_bytes(target, b"new\n")
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.csv"]


@pytest.mark.parametrize("mask", [0o002, 0o022, 0o077])
def test_modes_follow_the_umask_never_0600(tmp_path, mask):
    old = os.umask(mask)
    try:
        assert files.current_umask() == mask
        files.atomic_write_bytes(tmp_path / "a.txt", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o666 & ~mask

