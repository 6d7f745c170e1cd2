"""Every registered op against PyTorch: values (every form), float64 gradients, errors — on
the CPU, and on CUDA (the real GPU where there is one, else the simulated one; the cases are
marked ``gpu``). PyTorch's side stays on the CPU as the reference."""
import pytest
from hypothesis import given, strategies as st

from reference import REGISTRY, check_error, check_grads, check_values

SPECS = sorted(REGISTRY.values(), key=lambda s: s.name)
GRAD_SPECS = [s for s in SPECS if s.grad]
ERROR_CASES = [(s, form, case[0], case[1]) for s in SPECS for case in s.errors
               for form in (case[2] if len(case) > 2 else s.forms)]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
@given(data=st.data())
def test_values_match_torch(spec, device, data):
    form = data.draw(st.sampled_from(sorted(spec.forms)), label="form")
    check_values(spec, form, data.draw(spec.sample, label="sample"), device)


@pytest.mark.parametrize("spec", GRAD_SPECS, ids=lambda s: s.name)
@given(data=st.data())
def test_gradients_match_torch(spec, device, data):
    form = data.draw(st.sampled_from(sorted(spec.forms)), label="form")
    sample = data.draw(spec.sample if spec.grad_sample is None else spec.grad_sample, label="sample")
    check_grads(spec, form, sample, seed=data.draw(st.integers(0, 2**32 - 1), label="seed"), device=device)


@pytest.mark.parametrize("spec,form,what,strategy", ERROR_CASES,
                         ids=[f"{s.name}-{f}-{w}" for s, f, w, _ in ERROR_CASES])
@given(data=st.data())
def test_errors_match_torch(spec, form, what, strategy, device, data):
    check_error(spec, form, data.draw(strategy, label="sample"), what, device)
