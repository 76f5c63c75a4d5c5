import sys
from pathlib import Path

# The ballot box's tests start from the federation tests' founding (``founding.py``).
sys.path.append(str(Path(__file__).resolve().parents[1] / "federation"))
