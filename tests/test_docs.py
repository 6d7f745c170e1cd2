"""The tutorial pages in docs/: every code block runs, in page order with one namespace per
page, and a block followed by a ```text block prints exactly that text. The random-numbers page
runs under PyTorch too (``import torch`` in place of ``import ndgrad as torch``) and must print
the same: its numbers are PyTorch's."""
import contextlib
import io
import pathlib
import re

import pytest

import ndgrad

DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(DOCS.glob("0*.md"))
BLOCK = re.compile(r"```python\n(.*?)```(?:\n\n```text\n(.*?)```)?", re.S)


def test_the_index_lists_every_page():
    index = (DOCS / "README.md").read_text()
    assert len(PAGES) == 8 and all(f"({p.name})" in index for p in PAGES)


BOTH = DOCS / "08_random_numbers.md"            # shows "torch." where ndgrad prints "ndgrad."
PAGE_RUNS = [(p, "ndgrad") for p in PAGES] + [(BOTH, "torch")]


@pytest.mark.parametrize("page,lib", PAGE_RUNS, ids=[f"{p.stem}-{lib}" for p, lib in PAGE_RUNS])
def test_page_runs_and_prints_what_it_shows(page, lib, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                  # pages save files (mlp.pth)
    blocks = BLOCK.findall(page.read_text())
    assert blocks, f"{page.name} has no code"
    namespace = {}
    try:
        for code, shown in blocks:
            if lib == "torch":
                code = code.replace("import ndgrad as torch", "import torch")
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, str(page), "exec"), namespace)
            if shown:
                printed = out.getvalue().replace("ndgrad.", "torch.") if page == BOTH else out.getvalue()
                assert printed == shown, f"{page.name} ({lib}): the block\n{code}\nprinted\n{printed}"
    finally:
        ndgrad.set_device("cpu")
