"""Every public op has an OpSpec, and the reference CLI lists exactly the registry."""
import subprocess
import sys

import ndgrad
from reference import REGISTRY, RNG_REGISTRY

SAMPLERS = ("uniform_", "normal_", "bernoulli_", "exponential_", "random_", "geometric_", "log_normal_", "cauchy_")


def test_every_public_op_has_an_opspec():
    covered = {name for spec in REGISTRY.values() for name in spec.names}
    missing = [name for name in ndgrad.ops.public_ops() if name not in covered]
    assert not missing, f"public ops without an OpSpec in reference/: {missing}"


def test_every_random_sampler_has_an_rngspec():
    covered = {name for spec in RNG_REGISTRY.values() for name in spec.names}
    wanted = list(ndgrad.ops.random.__all__) + ["Tensor." + m for m in SAMPLERS]
    assert not [name for name in wanted if name not in covered]
    assert all(callable(getattr(ndgrad.Tensor, m)) for m in SAMPLERS)
    assert not [name for name, spec in RNG_REGISTRY.items() if not spec.errors]


def test_every_opspec_lists_error_cases():
    silent = [name for name, spec in REGISTRY.items() if not spec.errors and not spec.no_errors]
    assert not silent, f"OpSpecs without error cases (or a no_errors reason): {silent}"


def test_every_op_of_the_foundation_is_registered():
    foundation = """add sub mul div neg abs pow sqrt rsqrt square exp expm1 log log1p log2 log10 sin cos
    tan tanh sigmoid relu clamp reciprocal sign floor ceil round trunc minimum maximum where eq ne lt
    le gt ge sum mean prod max min argmax argmin amax amin std var matmul mm bmm mv dot outer reshape
    view view_as transpose permute t T squeeze unsqueeze flatten expand expand_as contiguous
    clone""".split()
    assert not [n for n in foundation if n not in REGISTRY]


def test_reference_list_cli_prints_the_registry():
    out = subprocess.run([sys.executable, "-m", "reference", "--list"], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == sorted(REGISTRY) + sorted(RNG_REGISTRY)


def test_reference_table_cli_names_every_op():
    out = subprocess.run([sys.executable, "-m", "reference"], capture_output=True, text=True,
                         check=True).stdout
    for name in list(REGISTRY) + list(RNG_REGISTRY):
        assert f"\n{name} " in out or out.startswith(f"{name} ")
