"""``-o FILE`` where FILE is no plain file: a link is written through, a FIFO or device is written into, and an
input statement is never overwritten however it is reached. statediff runs as its own process (fake model)."""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_statediff import run_cli
from statediff.errors import StatediffError
from statediff.output import write_atomic, write_output

OLD = "The leaders met at Camp David. They agreed to hold annual summits.\n\nInflation remains elevated.\n"
NEW = "The leaders met at Camp David. They agreed to hold summits every year.\n\nInflation remains elevated.\n"


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def compare(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return run_cli("compare", "old.txt", "new.txt", *args, **kwargs)


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("statediff: error: "), done.stderr
    return lines[0]


def test_a_link_is_written_through_and_kept(pair: tuple[Path, Path], tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    target = tmp_path / "reports" / "tgt.txt"
    target.write_text("last week's report\n", encoding="utf-8")
    target.chmod(0o640)
    inode = target.stat().st_ino
    (tmp_path / "link.txt").symlink_to("reports/tgt.txt")
    expected = compare("--format", "text")
    assert expected.returncode == 1, expected.stderr
    done = compare("-o", "link.txt")
    assert done.returncode == 1, done.stderr
    assert (tmp_path / "link.txt").is_symlink() and os.readlink(tmp_path / "link.txt") == "reports/tgt.txt"
    assert target.read_text(encoding="utf-8") == expected.stdout
    assert target.stat().st_ino != inode  # replaced by a rename, as a plain file is: never half-written
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # and it keeps its permissions
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["tgt.txt"]  # no temporary file left


def test_a_chain_of_links_to_a_new_file_creates_the_file(pair: tuple[Path, Path], tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "b.md").symlink_to("out/report.md")  # dangling: the report does not exist yet
    (tmp_path / "a.md").symlink_to("b.md")
    done = compare("-o", "a.md")
    assert done.returncode == 1, done.stderr
    assert (tmp_path / "a.md").is_symlink() and (tmp_path / "b.md").is_symlink()
    assert (tmp_path / "out" / "report.md").read_text(encoding="utf-8").startswith("## old.txt → new.txt\n")


@pytest.mark.parametrize("which", ["OLD", "NEW"])
def test_a_link_to_an_input_statement_is_refused(pair: tuple[Path, Path], tmp_path: Path, which: str) -> None:
    statement = pair[0] if which == "OLD" else pair[1]
    (tmp_path / "link.txt").symlink_to(statement.name)
    line = one_error_line(compare("-o", "link.txt"))
    assert f"link.txt: is the {which} statement itself" in line
    assert statement.read_text(encoding="utf-8") == (OLD if which == "OLD" else NEW)
    assert (tmp_path / "link.txt").is_symlink()


@pytest.mark.parametrize(("make", "says"), [
    (lambda d: (d / "loop1").symlink_to("loop2") or (d / "loop2").symlink_to("loop1"), "loop1: too many levels of links"),
    (lambda d: (d / "loop1").symlink_to("nowhere/x.txt"),
     "loop1 (a link to nowhere/x.txt): folder nowhere does not exist"),
], ids=["loop", "into-a-missing-folder"])
def test_a_broken_link_is_one_line_before_comparing(pair: tuple[Path, Path], tmp_path: Path, make, says: str) -> None:  # type: ignore[no-untyped-def]
    make(tmp_path)
    line = one_error_line(compare("--format", "text", "-o", "loop1"))
    assert says in line
    assert not (tmp_path / "cache").exists()  # refused before anything was read or embedded


def test_a_fifo_is_written_into(pair: tuple[Path, Path], tmp_path: Path) -> None:
    fifo = tmp_path / "ff.txt"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = compare("-o", "ff.txt")
    reader.join(timeout=60)
    assert done.returncode == 1, done.stderr
    assert got and got[0].decode("utf-8") == compare("--format", "text").stdout
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still the FIFO, not a file put in its place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "ff.txt", "new.txt", "old.txt"]


@pytest.fixture
def dev_guard() -> Iterator[None]:
    """Put /dev back should a regression replace /dev/stdout or leave a file in /dev (as root it could): a
    failing test must not break every later process on the machine."""
    before = os.readlink("/dev/stdout")
    try:
        yield
    finally:
        broken = not os.path.islink("/dev/stdout")
        if broken:
            os.unlink("/dev/stdout")
            os.symlink(before, "/dev/stdout")
        leftovers = [name for name in os.listdir("/dev") if name.startswith("stdout-typo")]
        for name in leftovers:
            os.unlink(f"/dev/{name}")
        assert not broken and not leftovers, "statediff replaced /dev/stdout or made a file in /dev (put back)"


@pytest.mark.parametrize("spelled", ["/dev/stdout", "out.txt"], ids=["dev-stdout", "a-link-to-proc-self-fd-1"])
def test_our_own_standard_output_is_written_into(pair: tuple[Path, Path], tmp_path: Path, dev_guard: None,
                                                 spelled: str) -> None:
    (tmp_path / "out.txt").symlink_to("/proc/self/fd/1")  # what /dev/stdout is
    piped = compare("--format", "json", "-o", spelled)
    assert piped.returncode == 1, piped.stderr
    assert piped.stdout.startswith("{") and piped.stdout == compare("--format", "json").stdout
    # Appended to a file (>>): written at its end, the earlier lines kept (not truncated, not replaced).
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    with log.open("ab") as handle:
        appended = compare("--format", "text", "-o", spelled, stdout=handle, stderr=subprocess.PIPE)
    assert appended.returncode == 1, appended.stderr
    assert log.read_text(encoding="utf-8") == "earlier line\n" + compare("--format", "text").stdout
    assert os.readlink(tmp_path / "out.txt") == "/proc/self/fd/1"


def test_a_device_is_written_into(pair: tuple[Path, Path], tmp_path: Path) -> None:
    (tmp_path / "null.json").symlink_to("/dev/null")  # not -o /dev/null itself: a regression would replace it
    done = compare("-o", "null.json")
    assert done.returncode == 1 and done.stdout == "", done.stderr
    assert os.readlink(tmp_path / "null.json") == "/dev/null" and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_no_new_file_is_made_in_dev(pair: tuple[Path, Path], dev_guard: None) -> None:
    line = one_error_line(compare("--format", "text", "-o", "/dev/stdout-typo"))
    assert "/dev/stdout-typo: No such file or directory; statediff writes there only to an existing device" in line


def test_only_the_users_own_argument_is_followed(tmp_path: Path) -> None:
    """Paths statediff finds in a folder (reports, review --out) are replaced link and all, never followed."""
    secret = tmp_path / "secret.txt"
    secret.write_text("keep\n", encoding="utf-8")
    (tmp_path / "found.md").symlink_to(secret)
    write_atomic(tmp_path / "found.md", "report\n")
    assert not (tmp_path / "found.md").is_symlink() and secret.read_text(encoding="utf-8") == "keep\n"
    (tmp_path / "given.md").symlink_to(secret)
    write_output(tmp_path / "given.md", "report\n")
    assert (tmp_path / "given.md").is_symlink() and secret.read_text(encoding="utf-8") == "report\n"
    with pytest.raises(StatediffError, match="is a folder"):
        write_output(tmp_path, "report\n")


def test_our_own_output_closed_by_its_reader_ends_as_quietly_as_without_o(pair: tuple[Path, Path], dev_guard: None) -> None:
    # `statediff compare A B -o /dev/stdout | head -c 10`: the reader goes away, as with no -o at all.
    outcomes = []
    for args in (("--format", "html"), ("--format", "html", "-o", "/dev/stdout")):
        read_end, write_end = os.pipe()
        os.close(read_end)  # a reader that is already gone
        try:
            done = compare(*args, stdout=write_end, stderr=subprocess.PIPE)
        finally:
            os.close(write_end)
        outcomes.append((done.returncode, done.stderr))
    assert outcomes[1] == outcomes[0] and "error" not in outcomes[1][1], outcomes
