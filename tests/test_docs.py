"""The tutorial pages in docs/: every code block runs, in page order with one namespace per
page, and a block followed by a ```text block prints exactly that text."""
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
    assert len(PAGES) == 7 and all(f"({p.name})" in index for p in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_runs_and_prints_what_it_shows(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                  # pages save files (mlp.pth)
    blocks = BLOCK.findall(page.read_text())
    assert blocks, f"{page.name} has no code"
    namespace = {}
    try:
        for code, shown in blocks:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, str(page), "exec"), namespace)
            if shown:
                assert out.getvalue() == shown, f"{page.name}: the block\n{code}\nprinted\n{out.getvalue()}"
    finally:
        ndgrad.set_device("cpu")
