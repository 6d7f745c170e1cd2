"""Every random sampler against PyTorch's CPU stream: for the same seed (on the default stream or a
``Generator``) the same dtype, shape and values, bit for bit, and the same generator state
afterwards (reference/rng.py, reference/specs/random.py). On CUDA, where CuPy's generator draws,
a draw repeats for the same seed."""
import pytest
from hypothesis import given

from reference import RNG_REGISTRY, check_rng_error, check_stream

SPECS = sorted(RNG_REGISTRY.values(), key=lambda s: s.name)
ERRORS = [(s, what, fn) for s in SPECS for what, fn in s.errors]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_draws_match_torch(spec, device):
    @given(params=spec.params)
    def check(params):
        check_stream(spec, params, device)
    check()


@pytest.mark.parametrize("spec,what,fn", ERRORS, ids=[f"{s.name}-{w}" for s, w, _ in ERRORS])
def test_bad_arguments_raise_torch_errors(spec, what, fn, device):
    check_rng_error(spec, fn, device)
