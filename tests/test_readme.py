"""Every Python block in the README runs (the GPU block only where a GPU is available)."""
import pathlib
import re

import pytest

import ndgrad

README = (pathlib.Path(__file__).resolve().parents[1] / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_block_runs(code, capsys):
    if 'set_device("cuda")' in code and not ndgrad.cuda.is_available():
        with pytest.raises(RuntimeError, match="ndgrad\\[cuda\\]|no CUDA device"):
            exec(compile(code, "README.md", "exec"), {})
        return
    try:
        exec(compile(code, "README.md", "exec"), {})
    finally:
        ndgrad.set_device("cpu")


def test_readme_promises_are_printed_as_shown(capsys):
    exec(compile(BLOCKS[0], "README.md", "exec"), {})
    assert capsys.readouterr().out.strip() == "tensor(12., grad_fn=<AddBackward0>) tensor(7.)"
