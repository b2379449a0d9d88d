"""Database files for the benchmarks."""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def copy_synced(source: Path | str, target: Path | str) -> None:
    """Copy a database file and flush the copy to disk. Otherwise the measured process's first fsync (a
    WAL checkpoint) writes out the whole freshly copied file: a cost of the benchmark's copy, not of the
    work measured, which grew with the file (it made the sweep's 5M/1M ratio measure the disk)."""
    shutil.copyfile(source, target)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
