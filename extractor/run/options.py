"""How a batch runs: the options shared by the local and the Dask executors."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional, Union

from extractor.settings import Settings

PathLike = Union[str, os.PathLike]


@dataclass
class BatchOptions:
    workers: int = 1  # files processed in parallel (worker processes, or dask tasks when no scheduler is given)
    password: Optional[str] = None  # for encrypted PDFs
    timeout_s: float = 120.0  # per file; a file over it is "failed: timed out after N s"
    memory_mb: int = 2048  # per worker; a file over it is "failed: memory limit N MB exceeded"
    executor: str = "local"  # "local" | "dask"
    scheduler: Optional[str] = None  # dask scheduler address (executor="dask"); None: a LocalCluster
    use_cache: bool = True  # take unchanged files' results from out_dir/.cache/
    out_dir: Optional[PathLike] = None  # where .cache/ and extractor.log live (None: no cache, no log)
    isolate: bool = True  # False: run files in this process (no limits; for debugging with pdb)
    start_method: str = "auto"  # how workers start: auto | fork | forkserver | spawn | subprocess
    settings: Optional[Settings] = None  # rules and tuning for this run (None: the settings in force)
