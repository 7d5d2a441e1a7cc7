"""blis's configuration for a processor blis 0.7 does not know (``blis_kernel``): given
where blis runs its generic kernel on a processor with AVX2 and fused multiply-adds, its
products then right (against float64) and made by another kernel than the generic one
(other last bits), the same in every process, and nothing given elsewhere."""

from __future__ import annotations

import ctypes
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

needs_blis = pytest.mark.skipif(importlib.util.find_spec("blis") is None,
                                reason="the spacy extra is not installed")

# a product in a fresh process: its floats' bytes in hex, and the configuration given
PRODUCT = """
import numpy as np
from blis.py import gemm
from tui.core.train.blis_kernel import use_known_kernel
chosen = use_known_kernel()
rng = np.random.default_rng(5)
a = rng.standard_normal((700, 600), dtype=np.float32)
b = rng.standard_normal((600, 300), dtype=np.float32)
c = gemm(a, b)
err = np.abs(c - a.astype(np.float64) @ b.astype(np.float64)).max()
print(chosen, float(err), c.tobytes().hex()[:20000])
"""


def _product(generic: bool) -> tuple[str, float, str]:
    env = {**os.environ, "GLOSS_BLIS_GENERIC": "1" if generic else "0"}
    run = subprocess.run([sys.executable, "-c", PRODUCT], capture_output=True, text=True,
                         env=env, cwd=Path(__file__).parents[2], check=True)
    chosen, err, floats = run.stdout.rstrip("\n").split(" ")
    return chosen, float(err), floats


def _processor_fits() -> bool:
    """Whether this processor has AVX, AVX2 and FMA (Linux's own reading of it)."""
    try:
        flags = next(line for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("flags")).split()
    except (OSError, StopIteration):
        return False
    return {"avx", "avx2", "fma"} <= set(flags)


@needs_blis
def test_a_processor_blis_does_not_know_gets_its_avx2_kernel():
    from blis import cy

    library = ctypes.CDLL(cy.__file__)
    library.bli_arch_string.restype = ctypes.c_char_p
    library.bli_arch_string.argtypes = [ctypes.c_int]
    generic = library.bli_arch_string(library.bli_arch_query_id()) == b"generic"
    mine, my_error, my_floats = _product(generic=False)
    theirs, their_error, their_floats = _product(generic=True)
    assert theirs == ""  # GLOSS_BLIS_GENERIC=1 keeps blis's own choice
    assert my_error < 1e-3 and their_error < 1e-3  # both right, to float32's precision
    if generic and _processor_fits():
        assert mine in ("zen2", "haswell")
        assert my_floats != their_floats  # fused multiply-adds: other last bits
    else:
        assert mine == ""
        assert my_floats == their_floats
    assert _product(generic=False) == (mine, my_error, my_floats)  # the same each time


MISSING = object()  # a symbol the library lacks


class _Library:
    """blis's library with some of its functions answering otherwise, or missing."""

    def __init__(self, answers: dict[str, object]) -> None:
        from blis import cy

        self.library, self.answers = ctypes.CDLL(cy.__file__), answers

    def __getattr__(self, name: str) -> object:
        if name not in self.answers:
            return getattr(self.library, name)
        answer = self.answers[name]
        if answer is MISSING:
            raise AttributeError(name)
        return answer if callable(answer) else lambda *args: answer


@needs_blis
@pytest.mark.parametrize("answers", [
    {"bli_arch_string": b"haswell"},  # blis knows the processor
    {"bli_info_get_version_str": b"0.9.0"},  # another blis
    {"bli_cpuid_is_haswell": False},  # no AVX2 or no FMA
    {"bli_cpuid_query": 2},  # a vendor blis has no kernel for
    {"bli_cntx_init_zen2": MISSING},  # a blis built without it
], ids=["known", "version", "features", "vendor", "symbol"])
def test_nothing_is_given_where_it_does_not_fit(answers):
    from tui.core.train import blis_kernel

    given: list[int] = []

    def init(context: int) -> None:  # blis's own would change this process's context
        given.append(context)

    library = _Library({"bli_arch_string": b"generic", "bli_cpuid_is_haswell": True,
                        "bli_info_get_version_str": b"0.7.0",
                        "bli_cntx_init_haswell": init, "bli_cntx_init_zen2": init,
                        **answers})
    assert blis_kernel.give(library) == ""
    assert given == []
    if answers == {"bli_cpuid_query": 2}:  # and the same library, a known vendor: given
        library.answers.pop("bli_cpuid_query")
        assert blis_kernel.give(library) in ("zen2", "haswell")
        assert len(given) == 1
