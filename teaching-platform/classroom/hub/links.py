"""The nbgitpuller link that pulls the course and opens lesson 00 in JupyterLab.

A link ``<hub>/hub/user-redirect/git-pull?repo=...&branch=...&targetpath=...&urlpath=...`` logs
the student in, starts their server, clones (first visit) or merges (later visits) the
repository into ``targetpath`` in their home folder and opens ``urlpath`` (the ``git-pull``
handler of nbgitpuller 1.3, ``nbgitpuller/handlers.py``, which reads exactly these four
arguments).

Examples
--------
>>> print(nbgitpuller_link("https://hub.example.org", "https://git.example.org/c/course.git"))
https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgit.example.org%2Fc%2Fcourse.git&branch=main&targetpath=course&urlpath=lab%2Ftree%2Fcourse%2Fnotebooks%2F00_start_here.ipynb
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

__all__ = ["START_PATH", "nbgitpuller_link", "repo_folder"]

#: The notebook a link opens, relative to the pulled repository.
START_PATH = "notebooks/00_start_here.ipynb"


def repo_folder(repo_url: str) -> str:
    """The folder a repository is pulled into: its last path segment without ``.git``.

    Examples
    --------
    >>> repo_folder("https://github.com/org/nato-south.git/")
    'nato-south'
    >>> repo_folder("file:///srv/course")
    'course'
    """
    path = urlsplit(repo_url).path or repo_url
    name = path.rstrip("/").rsplit("/", 1)[-1]
    name = name[:-4] if name.endswith(".git") else name
    if not name or name in {".", ".."}:
        raise ValueError(f"repo_url must end in a repository name, got {repo_url!r}")
    return name


def nbgitpuller_link(hub_url: str, repo_url: str, *, branch: str = "main",
                     target: str | None = None, start: str = START_PATH) -> str:
    """The link every student clicks (see the module docstring).

    Parameters
    ----------
    hub_url : str
        The hub's address, ``http(s)://host[/prefix]``.
    repo_url : str
        The git repository ``course release --git`` wrote, as the hub's servers reach it.
    branch : str
        The branch to pull.
    target : str, optional
        Folder in each home folder; default :func:`repo_folder` of ``repo_url``.
    start : str
        The notebook to open, relative to the repository.

    Examples
    --------
    >>> nbgitpuller_link("hub.example.org", "x")
    Traceback (most recent call last):
    ValueError: hub_url must start with http:// or https://, got 'hub.example.org'
    """
    if not hub_url.startswith(("http://", "https://")):
        raise ValueError(f"hub_url must start with http:// or https://, got {hub_url!r}")
    if not branch:
        raise ValueError("branch must be a non-empty branch name")
    folder = target or repo_folder(repo_url)
    query = urlencode({"repo": repo_url, "branch": branch, "targetpath": folder,
                       "urlpath": f"lab/tree/{folder}/{start}"})
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"
