"""What the benchmarks share: the block timer and the training step they time."""
import statistics
import time


def alternating_medians(steps, repeat: int, rounds: int = 5) -> list[float]:
    """Median seconds per call of each step. The steps take turns in blocks of ``repeat`` calls
    (after 3 warm-up calls each), so that a busy spell of the machine slows all of them alike;
    blocks, not single calls, because PyTorch's idle threads keep spinning for a while after a
    call and would slow NumPy's BLAS threads that run right after."""
    times = [[] for _ in steps]
    for _ in range(rounds):
        for step, ts in zip(steps, times):
            for _ in range(3):
                step()
            for _ in range(repeat):
                t0 = time.perf_counter()
                step()
                ts.append(time.perf_counter() - t0)
    return [statistics.median(ts) for ts in times]


def sgd_step(lib, model, x, y):
    """One training step of ``model`` on (x, y) as a callable: zero_grad, cross-entropy,
    backward, an SGD step (lr 0.01), in ``lib`` (ndgrad or torch)."""
    opt = lib.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = lib.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    return step
