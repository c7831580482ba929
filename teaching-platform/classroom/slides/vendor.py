"""Pinned front-end packages for the offline decks: fetched once from npm, verified, cached.

reveal.js 5.2.1 and KaTeX 0.16.22 come from the npm registry at build time with :mod:`urllib`
(no ``npm`` needed), are checked against their pinned sha512 ``dist.integrity`` before anything
is unpacked, and are cached in ``.cache/npm/``; :func:`install_package` copies the files a deck
needs next to the decks.

Examples
--------
>>> [p.name for p in PINNED_PACKAGES]
['reveal.js', 'katex']
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from classroom.course import Course

__all__ = [
    "KATEX",
    "NPM_REGISTRY",
    "PINNED_PACKAGES",
    "REVEAL",
    "NpmPackage",
    "default_cache_dir",
    "fetch_package",
    "install_package",
    "verify_integrity",
]

NPM_REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class NpmPackage:
    """A pinned npm package: name, exact version, the registry's ``dist.integrity`` (sha512),
    and the files of its ``package/`` folder that a deck needs (relative paths or folders).

    Examples
    --------
    >>> REVEAL.tarball_url
    'https://registry.npmjs.org/reveal.js/-/reveal.js-5.2.1.tgz'
    """

    name: str
    version: str
    integrity: str
    files: tuple[str, ...]
    folder: str

    @property
    def tarball_url(self) -> str:
        """Where the npm registry serves the package tarball."""
        return f"{NPM_REGISTRY}/{self.name}/-/{self.name}-{self.version}.tgz"


#: reveal.js 5.2.1 (MIT): core, the white theme and its local fonts, the speaker-notes plugin.
REVEAL = NpmPackage(
    name="reveal.js",
    version="5.2.1",
    integrity="sha512-r7//6mIM5p34hFiDMvYfXgyjXqGRta+/psd9YtytsgRlrpRzFv4RbH76TXd2qD+7ZPZEbpBDhdRhJaFgfQ7zNQ==",
    files=("LICENSE", "dist/reveal.css", "dist/reveal.js", "dist/theme/white.css",
           "dist/theme/fonts/source-sans-pro", "plugin/notes/notes.js"),
    folder="reveal.js",
)
#: KaTeX 0.16.22 (MIT): renders the lessons' ``$...$`` math without MathJax's CDN.
KATEX = NpmPackage(
    name="katex",
    version="0.16.22",
    integrity="sha512-XCHRdUw4lf3SKBaJe4EvgqIuWwkPSo9XoeO8GjQW94Bp7TWv9hNhzZjZ+OH9yf1UmLygb7DIT5GSFQiyt16zYg==",
    files=("LICENSE", "dist/katex.min.css", "dist/katex.min.js",
           "dist/contrib/auto-render.min.js", "dist/fonts"),
    folder="katex",
)
PINNED_PACKAGES = (REVEAL, KATEX)


def default_cache_dir() -> Path:
    """``.cache/npm/`` in the course folder (gitignored): downloaded tarballs and their contents.

    Examples
    --------
    >>> default_cache_dir().parts[-2:]
    ('.cache', 'npm')
    """
    return Course.find().cache / "npm"


def verify_integrity(data: bytes, integrity: str) -> None:
    """Check ``data`` against an npm ``dist.integrity`` string (``sha512-<base64>``).

    Raises
    ------
    ValueError
        When the string is not a sha512 integrity or the digest differs.

    Examples
    --------
    >>> import base64, hashlib
    >>> good = "sha512-" + base64.b64encode(hashlib.sha512(b"x").digest()).decode()
    >>> verify_integrity(b"x", good)
    >>> verify_integrity(b"y", good)
    Traceback (most recent call last):
    ...
    ValueError: data does not match integrity sha512-...: the download is corrupt or was altered
    """
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512" or not expected:
        raise ValueError(f"integrity must be 'sha512-<base64 digest>', got {integrity!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if actual != expected:
        raise ValueError(f"data does not match integrity {integrity[:12]}...: the download is "
                         "corrupt or was altered")


def fetch_package(package: NpmPackage, cache_dir: str | Path | None = None, *,
                  timeout: float = 60.0) -> Path:
    """Return the unpacked ``package/`` folder of a pinned npm package, downloading it once.

    The tarball is fetched from the npm registry with :mod:`urllib` (no ``npm`` needed),
    verified against ``package.integrity`` before anything is unpacked, and kept in
    ``cache_dir`` (default :func:`default_cache_dir`, which gets a ``.gitignore`` of ``*``);
    only ``package.files`` are unpacked. Later calls reuse the cache without network; an
    already cached tarball is verified again before it is unpacked.

    Raises
    ------
    ValueError
        When the download fails or does not match the pinned integrity.

    Examples
    --------
    >>> fetch_package(REVEAL).joinpath("dist", "reveal.js").is_file()
    True
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = cache / f"{package.name}-{package.version}"
    marker = target / ".verified"
    if marker.is_file() and marker.read_text(encoding="utf-8") == package.integrity:
        return target / "package"
    tarball = cache / f"{package.name}-{package.version}.tgz"
    if tarball.is_file():
        data = tarball.read_bytes()
    else:
        try:
            with urllib.request.urlopen(package.tarball_url, timeout=timeout) as response:
                data = response.read()
        except OSError as exc:
            raise ValueError(
                f"package {package.name}@{package.version} is not cached in {cache} and could "
                f"not be downloaded from {package.tarball_url}: {exc}"
            ) from exc
    verify_integrity(data, package.integrity)
    cache.mkdir(parents=True, exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():  # like pytest's cache: never committed, never linted
        ignore.write_text("# created by classroom.slides: downloaded packages\n*\n",
                          encoding="utf-8")
    tarball.write_bytes(data)
    if target.exists():
        shutil.rmtree(target)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        wanted = [m for m in archive.getmembers() if _wanted(package, m.name)]
        archive.extractall(target, members=wanted, filter="data")
    marker.write_text(package.integrity, encoding="utf-8")
    return target / "package"


def _wanted(package: NpmPackage, member: str) -> bool:
    """Whether a tarball member (``package/...``) is one of the files a deck needs."""
    rel = member.split("/", 1)[1] if "/" in member else ""
    return any(rel == f or rel.startswith(f + "/") for f in package.files)


def install_package(package: NpmPackage, source: Path, out_dir: Path) -> None:
    """Copy the deck files of ``package`` from its unpacked ``source`` to ``out_dir/<folder>``.

    Raises
    ------
    ValueError
        When a pinned file is missing from ``source`` (a corrupt cache).

    Examples
    --------
    >>> import tempfile
    >>> install_package(KATEX, Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp()))
    Traceback (most recent call last):
    ...
    ValueError: katex@0.16.22 has no 'LICENSE' (cache corrupt?)
    """
    dest = out_dir / package.folder
    if dest.exists():
        shutil.rmtree(dest)
    for rel in package.files:
        src = source / rel
        if src.is_dir():
            shutil.copytree(src, dest / rel)
        elif src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
        else:
            raise ValueError(f"{package.name}@{package.version} has no {rel!r} (cache corrupt?)")
