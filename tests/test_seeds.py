"""The seed tutorials' tensor and autograd code runs unchanged with ``import ndgrad as torch``
and prints what PyTorch prints (module names aside)."""
import pathlib
import subprocess
import sys
import tempfile

import pytest

HERE = pathlib.Path(__file__).resolve().parent
SNIPPETS = sorted((HERE / "seeds").glob("*.py"))


def _run(lib, path):
    with tempfile.TemporaryDirectory() as cwd:          # snippets save files (model.pth) here
        proc = subprocess.run([sys.executable, str(HERE / "seed_runner.py"), lib, str(path)],
                              capture_output=True, text=True, timeout=120, cwd=cwd)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("path", SNIPPETS, ids=lambda p: p.stem)
def test_seed_prints_what_pytorch_prints(path):
    rc_t, out_t, err_t = _run("torch", path)
    assert rc_t == 0, f"the snippet fails under PyTorch itself:\n{err_t}"
    rc_n, out_n, err_n = _run("ndgrad", path)
    assert rc_n == 0, f"ndgrad fails:\n{err_n}"
    assert out_n.replace("ndgrad.", "torch.") == out_t


def test_snippets_are_there():
    assert len(SNIPPETS) >= 9
