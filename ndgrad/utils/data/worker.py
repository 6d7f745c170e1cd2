"""The worker-process side of a DataLoader with ``num_workers > 0``.

Each worker takes ``(batch number, indices)`` from its own index queue, builds the batch
(fetch + collate) and puts ``(batch number, batch)`` on the shared result queue; an
exception travels back as an ``ExceptionWrapper`` holding the worker's traceback text."""
from __future__ import annotations

import os
import queue
import random
import traceback
from dataclasses import dataclass

from ... import backend
from ...random import manual_seed

__all__ = ["get_worker_info", "WorkerInfo", "ExceptionWrapper"]

_worker_info = None


@dataclass(frozen=True)
class WorkerInfo:
    id: int
    num_workers: int
    seed: int
    dataset: object


def get_worker_info() -> WorkerInfo | None:
    """In a worker process: its id, the number of workers, its seed and its dataset copy
    (to shard an IterableDataset); None in the main process."""
    return _worker_info


class ExceptionWrapper:
    """An exception raised in a worker, carried back to be re-raised in the main process."""

    def __init__(self, exc: BaseException, where: str):
        self.exc_type = type(exc)
        self.message = f"Caught {type(exc).__name__} {where}.\nOriginal {traceback.format_exc()}"

    def reraise(self):
        try:
            exc = self.exc_type(self.message)
        except Exception:                 # an exception type that needs other arguments
            raise RuntimeError(self.message) from None
        raise exc


class _IterableDone:
    """Sent by a worker whose IterableDataset iterator is exhausted."""

    def __init__(self, worker_id: int):
        self.worker_id = worker_id


def worker_loop(dataset, fetch, index_queue, result_queue, done_event, worker_id: int, num_workers: int,
                base_seed: int, worker_init_fn, iterable: bool):
    global _worker_info
    seed = base_seed + worker_id
    _worker_info = WorkerInfo(worker_id, num_workers, seed, dataset)
    result_queue.cancel_join_thread()      # exit promptly even if the main process stopped reading
    random.seed(seed)                      # the three generators a dataset may draw from,
    manual_seed(seed)                      # as PyTorch seeds them
    backend.seed_numpy_global(base_seed, worker_id)
    try:
        if worker_init_fn is not None:
            worker_init_fn(worker_id)
        stream = iter(dataset) if iterable else None
    except Exception as e:
        result_queue.put((None, ExceptionWrapper(e, f"in DataLoader worker process {worker_id}")))
        return
    while not done_event.is_set():
        try:
            task = index_queue.get(timeout=0.1)
        except queue.Empty:
            if os.getppid() == 1:          # the main process is gone: stop instead of hanging
                return
            continue
        if task is None:
            return
        number, indices = task
        try:
            data = fetch(stream if iterable else indices)
        except StopIteration:
            data = _IterableDone(worker_id)
        except Exception as e:
            data = ExceptionWrapper(e, f"in DataLoader worker process {worker_id}")
        result_queue.put((number, data))
