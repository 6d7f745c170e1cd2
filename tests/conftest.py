import os

import pytest
from hypothesis import HealthCheck, Phase, settings

import ndgrad
from reference import simulated_cupy

_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
# function_scoped_fixture: the ``device`` fixture is meant to hold for all of a test's examples.
_QUIET = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
          HealthCheck.function_scoped_fixture]

# ci: modest, fast and derandomized (the same examples every run, so CI never flakes);
# dev: many more, freshly random examples (HYPOTHESIS_PROFILE=dev pytest) to hunt for bugs.
settings.register_profile("ci", max_examples=int(os.environ.get("NDGRAD_EXAMPLES", 25)), deadline=None,
                          phases=_PHASES, derandomize=True, database=None,
                          suppress_health_check=_QUIET)
settings.register_profile("dev", max_examples=int(os.environ.get("NDGRAD_EXAMPLES", 300)),
                          deadline=None, phases=_PHASES, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

HAS_GPU = ndgrad.cuda.is_available()
CUDA = pytest.param("cuda", marks=pytest.mark.gpu, id="cuda" if HAS_GPU else "cuda-simulated")


def _on(name):
    """CUDA is the real GPU where CuPy sees one, else the simulated one
    (reference/simulated_cupy.py: NumPy arrays behind CuPy's rules)."""
    if name == "cuda" and not HAS_GPU:
        with simulated_cupy.active():
            yield name
    else:
        yield name


@pytest.fixture(params=["cpu", CUDA])
def device(request):
    """Each device a test should pass on: the CPU, then CUDA (marked ``gpu``)."""
    yield from _on(request.param)


@pytest.fixture(params=[CUDA])
def cuda(request):
    """CUDA alone, for what only a GPU tensor does."""
    yield from _on(request.param)


_OWN_SETTINGS = {}


def pytest_runtest_setup(item):
    """Hypothesis's pytest plugin (6.155) wraps a parametrized test's settings in one more layer
    on every run, each over the last; a test run 1,200 times (the error cases, on two devices)
    then overflows the stack reading them. Every run starts from the test's own settings."""
    fn = getattr(item, "obj", None)
    fn = getattr(fn, "__func__", fn)
    own = getattr(fn, "_hypothesis_internal_use_settings", None)
    if own is not None:
        fn._hypothesis_internal_use_settings = _OWN_SETTINGS.setdefault(fn, own)
