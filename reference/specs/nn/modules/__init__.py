"""Specs of layers that have no function in ``ndgrad.nn.functional`` (mirroring ``ndgrad/nn/modules/``)."""
