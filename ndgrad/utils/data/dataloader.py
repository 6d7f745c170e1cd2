"""``DataLoader``: batches from a dataset, in the main process or in worker processes.

With ``num_workers > 0`` every worker is a real process (``multiprocessing``) with its own
index queue; the main process hands out batch numbers round-robin, keeps
``prefetch_factor × num_workers`` batches in flight, and puts results back in order. A worker's
exception is re-raised here with its traceback; a worker that dies, or a ``timeout``, is an
error instead of a hang; leaving the loop early (``break``) shuts the workers down."""
from __future__ import annotations

import itertools
import multiprocessing
import queue
import time

from .collate import default_collate, default_convert
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler, draw_seed
from .worker import ExceptionWrapper, _IterableDone, worker_loop

__all__ = ["DataLoader"]


class _Fetcher:
    """Turns what the sampler yields into a batch (a plain object, so it pickles to workers)."""

    def __init__(self, dataset, collate_fn, auto_collation: bool, batch_size, drop_last: bool):
        self.dataset, self.collate_fn = dataset, collate_fn
        self.auto_collation, self.batch_size, self.drop_last = auto_collation, batch_size, drop_last

    def __call__(self, indices_or_stream):
        if isinstance(self.dataset, IterableDataset):
            stream = indices_or_stream
            if not self.auto_collation:
                return self.collate_fn(next(stream))
            batch = list(itertools.islice(stream, self.batch_size))
            if not batch or (self.drop_last and len(batch) < self.batch_size):
                raise StopIteration
            return self.collate_fn(batch)
        if self.auto_collation:
            return self.collate_fn([self.dataset[i] for i in indices_or_stream])
        return self.collate_fn(self.dataset[indices_or_stream])


class DataLoader:
    """Iterate over ``dataset`` in batches.

    ``batch_size`` samples per batch (``None``: no batching), ``shuffle`` each epoch (or a
    ``sampler`` / ``batch_sampler`` of your own), ``collate_fn`` to merge samples,
    ``drop_last`` to skip a short final batch, ``num_workers`` worker processes,
    ``generator`` for the shuffling. ``pin_memory`` is accepted and ignored (page-locked host
    memory only matters for CUDA copies, which CuPy manages)."""

    def __init__(self, dataset, batch_size: int | None = 1, shuffle: bool | None = None, sampler=None,
                 batch_sampler=None, num_workers: int = 0, collate_fn=None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor: int | None = None,
                 persistent_workers: bool = False, pin_memory_device: str = ""):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let "
                             "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to "
                             "None.")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        iterable = isinstance(dataset, IterableDataset)
        if iterable:
            if shuffle not in (None, False):
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified shuffle option, "
                                 f"but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified sampler option, "
                                 f"but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified batch_sampler "
                                 f"option, but got batch_sampler={batch_sampler}")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, "
                                 "sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive "
                             "with drop_last")
        if sampler is None and not iterable:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None and not iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset, self.batch_size, self.drop_last = dataset, batch_size, drop_last
        self.sampler, self.batch_sampler, self.generator = sampler, batch_sampler, generator
        self.num_workers, self.timeout, self.worker_init_fn = num_workers, timeout, worker_init_fn
        self.prefetch_factor = 2 if num_workers and prefetch_factor is None else prefetch_factor
        self.pin_memory, self.persistent_workers = pin_memory, persistent_workers
        self._persistent_seed = None
        self.multiprocessing_context = multiprocessing_context
        self._auto_collation = batch_sampler is not None or (iterable and batch_size is not None)
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn

    @property
    def _index_sampler(self):
        return self.batch_sampler if self.batch_sampler is not None else self.sampler

    def _fetcher(self) -> _Fetcher:
        return _Fetcher(self.dataset, self.collate_fn, self._auto_collation, self.batch_size, self.drop_last)

    def __iter__(self):
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        return _MultiProcessIter(self)

    def _base_seed(self) -> int:
        """One int64 drawn (from ``generator`` or the default stream) as each of PyTorch's iterators
        draws it when created, after its sampler's iterator and before that yields: workers are
        seeded base + id, and the main stream moves as PyTorch's does, epoch after epoch. PyTorch's
        persistent workers draw it once; ndgrad starts its workers again each epoch, with that seed."""
        persistent = self.persistent_workers and self.num_workers
        if persistent and self._persistent_seed is not None:
            return self._persistent_seed
        seed = draw_seed(self.generator)
        if persistent:
            self._persistent_seed = seed
        return seed

    def __len__(self) -> int:
        if isinstance(self.dataset, IterableDataset):
            n = len(self.dataset)
            if self.batch_size is not None:
                n = n // self.batch_size if self.drop_last else -(-n // self.batch_size)
            return n
        return len(self._index_sampler)


class _SingleProcessIter:
    def __init__(self, loader: DataLoader):
        self._fetch = loader._fetcher()
        self._iterable = isinstance(loader.dataset, IterableDataset)
        if self._iterable:
            loader._base_seed()
            self._source = iter(loader.dataset)
        else:
            self._source = iter(loader._index_sampler)
            loader._base_seed()

    def __iter__(self):
        return self

    def __next__(self):
        return self._fetch(self._source if self._iterable else next(self._source))

    def __len__(self) -> int:
        return len(self._source)


class _MultiProcessIter:
    def __init__(self, loader: DataLoader):
        ctx = multiprocessing.get_context(loader.multiprocessing_context)
        self._timeout = loader.timeout
        self._iterable = isinstance(loader.dataset, IterableDataset)
        self._sampler = None if self._iterable else iter(loader._index_sampler)
        self._results = ctx.Queue()
        self._done = ctx.Event()
        base_seed = loader._base_seed()
        fetch = loader._fetcher()
        self._index_queues, self._workers = [], []
        for i in range(loader.num_workers):
            iq = ctx.Queue()
            w = ctx.Process(target=worker_loop, daemon=True,
                            args=(loader.dataset, fetch, iq, self._results, self._done, i, loader.num_workers,
                                  base_seed, loader.worker_init_fn, self._iterable))
            w.start()
            self._index_queues.append(iq)
            self._workers.append(w)
        self._active = list(range(loader.num_workers))    # workers that may still produce batches
        self._sent = self._received = 0
        self._waiting: dict = {}                           # results that arrived early, by number
        self._shut = False
        for _ in range(loader.prefetch_factor * loader.num_workers):
            self._send()

    def __iter__(self):
        return self

    def _send(self) -> None:
        if self._iterable:
            if not self._active:
                return
            worker, task = self._active[self._sent % len(self._active)], None
        else:
            task = next(self._sampler, None)
            if task is None:
                return
            worker = self._sent % len(self._workers)
        self._index_queues[worker].put((self._sent, task))
        self._sent += 1

    def __next__(self):
        while True:
            if self._received == self._sent:
                self._shutdown()
                raise StopIteration
            if self._received not in self._waiting:
                number, data = self._get()
                if number is None:                     # a worker failed before its first batch
                    self._shutdown()
                    data.reraise()
                self._waiting[number] = data
                continue
            data = self._waiting.pop(self._received)
            self._received += 1
            if isinstance(data, _IterableDone):
                if data.worker_id in self._active:
                    self._active.remove(data.worker_id)
                continue
            self._send()
            if isinstance(data, ExceptionWrapper):
                self._shutdown()
                data.reraise()
            return data

    def _get(self):
        """The next result, checking every few seconds that the workers are still alive."""
        start = time.monotonic()
        while True:
            try:
                return self._results.get(timeout=min(self._timeout or 5.0, 5.0))
            except queue.Empty:
                dead = [w.pid for w in self._workers if not w.is_alive()]
                if dead:
                    self._shutdown()
                    raise RuntimeError(f"DataLoader worker (pid(s) {', '.join(map(str, dead))}) exited "
                                       "unexpectedly") from None
                if self._timeout and time.monotonic() - start >= self._timeout:
                    self._shutdown()
                    raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds") from None

    def _shutdown(self) -> None:
        if self._shut:
            return
        self._shut = True
        self._done.set()
        for iq in self._index_queues:
            iq.put(None)
            iq.cancel_join_thread()
        for w in self._workers:
            w.join(timeout=5)
            if w.is_alive():
                w.terminate()
        self._results.cancel_join_thread()

    def __del__(self):
        self._shutdown()
