"""The README's Python example of the federation core runs as written and says what it claims."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_federation_example_runs(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    example = tmp_path / "example.py"
    example.write_text(next(b for b in blocks if "frombelow.federation" in b), encoding="utf-8")
    done = subprocess.run([sys.executable, str(example)], capture_output=True, text=True, check=True, timeout=60)
    printed = done.stdout.splitlines()
    assert printed[0].startswith("{'kind': 'motion proposed', 'actor': 'ann', 'at': '2026-05-01T09:00:00Z'")
    assert printed[1].startswith("only members") and "Local 1 may put motions on its agenda" in printed[1]
