"""nn: every activation, loss, layer and functional against PyTorch, one file per file of
``ndgrad/nn/functional/`` (``modules/``: layers with no function of their own).

Each spec has a ``function`` form (``lib.nn.functional.x``) and, where PyTorch has one, a
``module`` form that builds the layer and runs it. A layer's weights come from the sample:
the module's own parameters are deleted and the sample's tensors put in their place, so
both libraries run with the same weights and the gradient check reaches them too
(``reference/specs/_shared.py``). ``reference/specs/__init__.py`` imports the modules.
"""
