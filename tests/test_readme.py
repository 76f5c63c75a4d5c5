"""The README's Python example of the federation core runs as written and says what it claims."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_federation_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    example = next(b for b in blocks if "frombelow.federation" in b)
    exec(compile(example, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("{'kind': 'motion proposed', 'actor': 'ann', 'at': '2026-05-01T09:00:00Z'")
    assert printed[1].startswith("only members") and "Local 1 may put motions on its agenda" in printed[1]
