"""Dask: the same parse-and-code stage on a Dask distributed cluster, through Parquet partitions.

This process reads the inputs (skipping documents already stored with the same content hash) and cuts them
into chunks of `batch_size` documents; each chunk goes to a Dask worker, which runs `pipeline.code_batch_or_skip` on it
and writes one Parquet file per table into a run folder:

    <run folder>/documents/part-00000.parquet, sentences/..., mentions/..., events/...

The partitions are then loaded into the DuckDB file as they complete, each in one transaction (the same
`Store.write_tables` the single-process run uses), and the event groups are rebuilt at the end. The run folder
is kept: DuckDB can also query it in place (`SELECT ... FROM 'run/events/*.parquet'`). On a remote cluster
(`tcp://`) it must be a folder the workers and this process share.

`local:N` starts a LocalCluster of N single-threaded worker processes; `tcp://HOST:PORT` connects to a running
scheduler. Dask does the scheduling; telex only submits chunks, at most two per worker in flight, so memory
stays bounded whatever the corpus size.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from telex import dedup, nlp
from telex.pipeline import RunSummary, Settings, batched, code_batch_or_skip, coder_for, new_documents
from telex.records import Document, SkippedInput
from telex.storage import TABLES, BatchTables, Store, batch_tables


@dataclass
class Partition:
    """What a worker hands back: where its chunk's tables are, and what they hold."""

    index: int
    folder: str
    files: dict[str, str]  # table -> Parquet file (tables with rows only)
    documents: int
    sentences: int
    events: int
    failed: list[SkippedInput] = field(default_factory=list)  # documents the coder could not code, with why


def code_partition(documents: list[Document], settings: Settings, folder: str, index: int) -> Partition:
    """Parse and code one chunk, and write it as one Parquet file per table (the task a Dask worker runs)."""
    coded, failed = code_batch_or_skip(documents, settings)
    tables = batch_tables(coded, settings.model)
    files: dict[str, str] = {}
    for table in TABLES:
        arrow = getattr(tables, table)
        if arrow is None:
            continue
        path = Path(folder) / table / f"part-{index:05d}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written under another name then renamed, so a partition file is either whole or absent.
        partial = path.with_suffix(".parquet.tmp")
        pq.write_table(arrow, partial)
        os.replace(partial, path)
        files[table] = str(path)
    return Partition(index, folder, files, len(coded), sum(len(c.sentences) for c in coded),
                     sum(len(c.events) for c in coded), failed)


def load_partition(store: Store, partition: Partition) -> None:
    """Insert one partition into the database, atomically, replacing any earlier version of its documents."""
    arrows = {table: pq.read_table(path) for table, path in partition.files.items()}
    doc_ids = arrows["documents"].column("doc_id").to_pylist() if "documents" in arrows else []
    store.write_tables(BatchTables(doc_ids, **arrows))


def parse_address(address: str) -> tuple[str, int | str]:
    """`local:N` -> ("local", N); `tcp://host:port` -> ("remote", address)."""
    if address.startswith("local:"):
        try:
            workers = int(address.removeprefix("local:"))
        except ValueError:
            workers = 0
        if workers < 1:
            raise ValueError(f"--dask {address}: expected local:N with N >= 1 workers")
        return "local", workers
    if address.startswith(("tcp://", "tls://")):
        return "remote", address
    raise ValueError(f"--dask {address}: expected local:N or tcp://HOST:PORT")


@contextmanager
def connect(address: str) -> Iterator:
    """A Dask client for `local:N` (a LocalCluster started here, stopped after) or `tcp://HOST:PORT`."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise RuntimeError("--dask needs Dask: pip install 'telex[dask]'") from error
    kind, where = parse_address(address)
    if kind == "local":
        cluster = LocalCluster(n_workers=int(where), threads_per_worker=1, processes=True, dashboard_address=None)
        with cluster, Client(cluster) as client:
            yield client
    else:
        with Client(str(where)) as client:
            yield client


def default_run_folder(store: Store) -> Path:
    return Path(f"{store.path}.parts") / time.strftime("run-%Y%m%dT%H%M%S")


def run_dask(paths: Iterable[str | Path], store: Store, settings: Settings, address: str,
             run_folder: str | Path | None = None,
             on_skip: Callable[[SkippedInput], None] | None = None,
             on_batch: Callable[[int], None] | None = None) -> RunSummary:
    """`pipeline.run` on a Dask cluster: same inputs, same skipping, same database at the end."""
    coder_for(settings)  # a bad dictionary fails here, before any cluster starts
    with connect(address) as client:
        return run_on_client(client, paths, store, settings, run_folder, on_skip, on_batch)


def warm_up(settings: Settings) -> None:
    """Load the model and dictionaries in a worker before its first chunk (the benchmark times them apart)."""
    nlp.load(settings.model)
    coder_for(settings)


def run_on_client(client, paths: Iterable[str | Path], store: Store, settings: Settings,
                  run_folder: str | Path | None = None,
                  on_skip: Callable[[SkippedInput], None] | None = None,
                  on_batch: Callable[[int], None] | None = None) -> RunSummary:
    from distributed import as_completed

    summary = RunSummary()
    folder = Path(run_folder) if run_folder else default_run_folder(store)
    folder.mkdir(parents=True, exist_ok=True)
    documents = new_documents(paths, store.known_hashes(), summary, on_skip)
    limit = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    running = as_completed()
    in_flight = 0

    def collect(future) -> None:
        partition: Partition = future.result()
        load_partition(store, partition)
        summary.documents += partition.documents
        summary.sentences += partition.sentences
        summary.events += partition.events
        for item in partition.failed:
            summary.skip(item)
            if on_skip:
                on_skip(item)
        if on_batch:
            on_batch(partition.documents + len(partition.failed))

    for index, chunk in enumerate(batched(documents, settings.batch_size)):
        # pure=False: hashing every chunk's text for a task key would cost more than it saves.
        running.add(client.submit(code_partition, chunk, settings, str(folder.resolve()), index, pure=False))
        in_flight += 1
        if in_flight >= limit:
            collect(next(running))
            in_flight -= 1
    for future in running:
        collect(future)
    summary.groups = dedup.rebuild(store, settings.window_days)
    return summary
