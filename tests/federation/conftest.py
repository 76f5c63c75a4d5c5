import pytest
from founding import found

from frombelow.federation import State


@pytest.fixture
def founded() -> State:
    return found()
