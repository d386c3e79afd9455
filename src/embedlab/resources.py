"""Memory checked before the big arrays are allocated, so a run too large for the machine stops
at once with one line instead of failing with "Unable to allocate" (or being killed) later.

What the machine can give is the smallest of three limits: ``MemAvailable`` in
``/proc/meminfo``, the cgroup's memory limit less what the cgroup already uses, and the
address-space limit (``RLIMIT_AS``) less the address space this process already maps. Each
method estimates its peak from the sizes of the arrays it is about to allocate and calls
``check_memory`` with the parts; the estimates are upper bounds of the big arrays, not of
Python's small objects.
"""

from __future__ import annotations

import resource
from pathlib import Path

from embedlab.errors import EmbedlabError, spelled

_CGROUP_ROOT = Path("/sys/fs/cgroup")


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None  # "max" means no limit


def _proc_field(path: str, field: str) -> int | None:
    """A ``Field:  123 kB`` value of a /proc file, in bytes."""
    try:
        with open(path, encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cgroup_folder() -> Path:
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return _CGROUP_ROOT
    for line in lines:
        if line.startswith("0::"):  # cgroup v2
            return _CGROUP_ROOT / line[3:].lstrip("/")
    return _CGROUP_ROOT


def _cgroup_room() -> int | None:
    folder = _cgroup_folder()
    for limit_file, usage_file in (
        (folder / "memory.max", folder / "memory.current"),
        (_CGROUP_ROOT / "memory.max", _CGROUP_ROOT / "memory.current"),
        (
            _CGROUP_ROOT / "memory" / "memory.limit_in_bytes",
            _CGROUP_ROOT / "memory" / "memory.usage_in_bytes",
        ),
    ):
        limit = _read_int(limit_file)
        if limit is not None and limit < 1 << 60:  # v1 writes "no limit" as a huge number
            return max(0, limit - (_read_int(usage_file) or 0))
    return None


def _address_space_room() -> int | None:
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    return max(0, soft - (_proc_field("/proc/self/status", "VmSize") or 0))


def available_memory() -> tuple[int | None, str]:
    """Bytes this process can still allocate and which limit says so, or ``(None, "")`` when
    no limit can be read (not Linux)."""
    limits = [
        (_proc_field("/proc/meminfo", "MemAvailable"), "MemAvailable"),
        (_cgroup_room(), "the cgroup memory limit"),
        (_address_space_room(), "RLIMIT_AS"),
    ]
    known = [(size, name) for size, name in limits if size is not None]
    return min(known) if known else (None, "")


def human_bytes(size: float) -> str:
    """``size`` in the largest binary unit that keeps it at least 1, e.g. "59.6 GiB"."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def check_memory(task: str, parts: dict[str, int], shrink: str) -> None:
    """Refuse ``task`` with one line when the arrays in ``parts`` (name -> bytes) need more
    memory than the machine can give; ``shrink`` names the settings that make them smaller, as
    ``errors.spelled`` reads them ("lower {dim} or raise {min_count}")."""
    need = sum(parts.values())
    room, limit = available_memory()
    if room is None or need <= room:
        return
    detail = ", ".join(f"{name} {human_bytes(size)}" for name, size in parts.items() if size)
    raise EmbedlabError(
        f"{task} needs about {human_bytes(need)} of memory ({detail}) but this machine can give "
        f"{human_bytes(room)} ({limit}): {spelled(shrink)}"
    )
