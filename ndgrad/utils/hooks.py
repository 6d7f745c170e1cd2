"""``RemovableHandle`` (``torch.utils.hooks``): what every ``register_*hook`` returns.

A hook lives in a dict under its handle's ``id`` — a tensor's hooks, a graph node's hooks on
one of its outputs, a module's forward hooks — so ``handle.remove()`` deletes exactly the hook
it registered, even when the same function was registered twice.
"""
from __future__ import annotations

__all__ = ["RemovableHandle"]


class RemovableHandle:
    """``handle.remove()`` unregisters the hook; ``with handle:`` removes it on leaving the block.

    It holds its dict strongly (PyTorch's holds it weakly): a handle kept after its tensor or
    module is gone keeps their hooks alive.
    """

    next_id = 0          # one counter for every handle, as in PyTorch: ids never repeat

    def __init__(self, hooks_dict: dict):
        self.hooks_dict = hooks_dict
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1

    def remove(self) -> None:
        self.hooks_dict.pop(self.id, None)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()
