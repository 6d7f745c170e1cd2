"""Every Python block in the README runs (the GPU block only where a GPU is available), and the
tutorial's blocks print what the README shows, with ndgrad and with PyTorch alike."""
import contextlib
import io
import pathlib
import re

import pytest

import ndgrad

README = (pathlib.Path(__file__).resolve().parents[1] / "README.md").read_text()
_START = README.index("## Tutorial")
_END = README.index("\n## ", _START)          # the tutorial runs to the next section
TUTORIAL = re.findall(r"```python\n(.*?)```\n\n```text\n(.*?)```", README[_START:_END], re.S)
BLOCKS = re.findall(r"```python\n(.*?)```", README[:_START] + README[_END:], re.S)


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


@pytest.mark.parametrize("lib", ["ndgrad", "torch"])
def test_tutorial_prints_what_the_readme_shows(lib, tmp_path, monkeypatch):
    assert len(TUTORIAL) == 5 and len(re.findall("```python", README[_START:_END])) == 5
    monkeypatch.chdir(tmp_path)                       # the plot step writes loss.png
    namespace = {}
    for code, shown in TUTORIAL:
        if lib == "torch":
            code = code.replace("import ndgrad as torch", "import torch")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), namespace)
        assert out.getvalue().replace("ndgrad.", "torch.") == shown, code
    assert (tmp_path / "loss.png").read_bytes()[:4] == b"\x89PNG"
