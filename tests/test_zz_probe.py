import pytest
from tests.factories import start_ibic

@pytest.mark.parametrize("n", range(5))
def test_few(ctx, n):
    pass

@pytest.mark.parametrize("n", range(100))
def test_many(ctx, n):
    pass

@pytest.mark.parametrize("n", range(100))
def test_ibic(ctx, n):
    start_ibic(ctx)
