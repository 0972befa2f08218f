"""README's Python example, run as written against a server over the real build: it prints
the nine provinces with an overall peak year that CQ01 lists, and nothing else."""

from __future__ import annotations

import ast
import contextlib
import io
import re

import pytest
from tests.services.launcher import LiveServer

from cckg.paths import PATHS

pytestmark = pytest.mark.server
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
NINE = {"Beijing", "Tianjin", "Yunnan", "Shandong", "Chongqing", "Shanxi", "Hainan", "Gansu",
        "Xinjiang"}


@pytest.fixture(scope="module")
def real_server(built_server: LiveServer) -> str:
    return built_server.endpoint


def test_readme_python_example_prints_the_nine_overall_provinces(real_server: str) -> None:
    readme = (PATHS.root / "README.md").read_text(encoding="utf-8")
    (block,) = BLOCK.findall(readme)
    assert "http://127.0.0.1:8000/sparql" in block
    code = block.replace("http://127.0.0.1:8000/sparql", real_server)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    printed = ast.literal_eval(out.getvalue().strip())
    assert len(printed) == 9
    assert {name for name, _ in printed} == NINE
    assert printed[0] == ("Beijing", 2020)
