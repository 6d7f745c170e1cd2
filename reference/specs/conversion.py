"""Copies (``ndgrad/ops/conversion.py``): clone and contiguous of every dtype and layout."""
from hypothesis import strategies as st

from ..spec import Sample, register
from ..strategies import ALL, arrays
from ._shared import method_forms

register("contiguous", {"method": lambda lib, x: x.contiguous(),
                        "check": lambda lib, x: x.contiguous().is_contiguous()},
         arrays(ALL).map(lambda a: Sample((a,))),
         no_errors="a method without arguments, defined for every tensor")
register("clone", method_forms("clone"), arrays(ALL).map(lambda a: Sample((a,))),
         errors=(("a list", st.just(Sample(([1.0],))), ("function",)),))
