"""``python -m reference [--list | --where NAME]``: the registered ops, and what is verified for each;
``--where NAME``: where the op NAME is implemented (its def, its Function classes), where its spec is
registered, and what that spec verifies."""
import argparse
import sys

from . import REGISTRY, RNG_REGISTRY


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m reference", description=__doc__)
    p.add_argument("--list", action="store_true", help="one op name per line")
    p.add_argument("--where", metavar="NAME", help="an op's implementation, Function classes and spec "
                   "(a spec name or any name a spec covers: exp, negative, F.linear, nn.Linear, T, randn, "
                   "Tensor.uniform_, add_)")
    args = p.parse_args(argv)
    if args.where is not None:
        from .where import where
        return where(args.where)
    specs = sorted(REGISTRY.values(), key=lambda s: s.name)
    samplers = sorted(RNG_REGISTRY.values(), key=lambda s: s.name)
    if args.list:
        for s in specs + samplers:
            print(s.name)
        return
    print(f"{'op':<14} {'forms':<44} {'values':^6} {'grads':^6} {'errors':^6}  also covers")
    for s in specs:
        forms = ", ".join(s.forms)
        print(f"{s.name:<14} {forms[:44]:<44} {'yes':^6} {'yes' if s.grad else '-':^6} "
              f"{len(s.errors) or '-':^6}  {', '.join(s.covers)}")
    print(f"\n{len(specs)} ops. values: dtype, shape, strides and values equal to PyTorch's for "
          "every form, and the same effect on in-place inputs (or the same exception type);\n"
          "grads: float64 VJPs with a random upstream gradient, and the grad_fn name; errors: "
          "bad-input cases raise PyTorch's exception type.")
    print(f"\n{'sampler':<20} {'errors':^6}  why the values are PyTorch's, bit for bit")
    for s in samplers:
        print(f"{s.name:<20} {len(s.errors):^6}  {s.exact[:110]}")
    print(f"\n{len(samplers)} samplers: for the same seed (default stream or a Generator), the same dtype, "
          "shape and values\nas PyTorch's CPU draws, bit for bit, and the same generator state afterwards.")


if __name__ == "__main__":
    sys.exit(main())
