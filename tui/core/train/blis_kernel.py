"""blis's kernel for the processor it runs on, where blis 0.7 does not know it.

spaCy multiplies its matrices with blis (thinc's NumPy ops), which picks a configuration
(blocksizes and kernels) for the processor once, at its first use. The blis 0.7 that
thinc ships knows processors up to Intel's Skylake-X and AMD's Zen 2: on a newer AMD
processor (a Zen 3 or 4: family 0x19) it runs its generic configuration, a C kernel
compiled for SSE, 30 GFLOP/s of a core where its Zen 2 configuration (the AVX2 kernel
with fused multiply-adds it also runs on every Intel processor since Haswell) makes 95.
Training and the model's suggestions were then three times slower than on an older
processor of the same vendor.

``use_known_kernel`` gives blis, in its own context for the processor, the configuration
its newer releases pick for such a processor (their Zen 3 configuration is the Zen 2 one
with these kernels): Zen 2 on AMD, Haswell on Intel, where blis's own check of the
processor finds AVX, AVX2 and fused multiply-adds. It is done once, before any product,
in every process that loads or trains a model, so that spaCy and Gloss's own products
(``model_pipe``) run the same kernel and give the same floats. The kernels are blis's
own and sum a product's terms in runs of the same 256 (KC) as the generic configuration;
with fused multiply-adds, a sum's floats are those blis gives an older processor of the
same kind, and differ from the generic configuration's in their last bits. blis grows
its packing buffers when a configuration asks for larger blocks (``bli_pool``), so the
configuration may change once the library is initialised, as long as no product runs
meanwhile (none does before this is called: it runs under a lock, before the model).

Nothing changes where blis is not 0.7, already runs a configuration of its own, cannot be
read through ctypes, or the processor lacks those instructions. ``GLOSS_BLIS_GENERIC=1``
keeps blis's own choice (to compare with it).
"""

from __future__ import annotations

import ctypes
import os
import threading
from typing import Any

_lock = threading.Lock()
_chosen: str | None = None  # the configuration given, once asked: "" for none
VENDOR_INTEL, VENDOR_AMD = 0, 1  # bli_cpuid_query's return


def use_known_kernel() -> str:
    """The configuration blis now runs for this processor when this call gave it one
    ("zen2", "haswell"), else ""; the same answer on every later call."""
    global _chosen
    with _lock:
        if _chosen is None:
            _chosen = ""
            if os.environ.get("GLOSS_BLIS_GENERIC") != "1":
                try:
                    from blis import cy

                    _chosen = give(ctypes.CDLL(cy.__file__))
                except (ImportError, OSError):
                    pass
        return _chosen


def give(library: Any) -> str:
    """Give blis's ``library`` its configuration for this processor where it runs the
    generic one (see the module's docstring): its name, else ""."""
    try:
        native = library.bli_gks_query_cntx
        inits = {VENDOR_AMD: ("zen2", library.bli_cntx_init_zen2),
                 VENDOR_INTEL: ("haswell", library.bli_cntx_init_haswell)}
    except AttributeError:
        return ""
    # bli_cpuid_is_haswell checks the features alone: AVX, FMA3 and AVX2
    vendor = generic_processor(library, "bli_cpuid_is_haswell")
    if vendor not in inits:
        return ""
    chosen, init = inits[vendor]
    native.argtypes, native.restype = [], ctypes.c_void_p
    init.argtypes, init.restype = [ctypes.c_void_p], None
    init(native())
    return chosen


def generic_processor(library: Any, check: str) -> int | None:
    """Where blis's ``library`` is of version 0.7, runs its generic configuration, and
    its own check of the processor ``check`` (``bli_cpuid_is_haswell``, say) finds it
    fits: the processor's vendor (``bli_cpuid_query``'s answer); else None."""
    try:
        version, arch, name = (library.bli_info_get_version_str, library.bli_arch_query_id,
                               library.bli_arch_string)
        query, fits = library.bli_cpuid_query, getattr(library, check)
    except AttributeError:
        return None
    version.restype = name.restype = ctypes.c_char_p
    arch.restype, name.argtypes = ctypes.c_int, [ctypes.c_int]
    if not version().startswith(b"0.7.") or name(arch()) != b"generic":
        return None
    family, model, features = ctypes.c_uint32(), ctypes.c_uint32(), ctypes.c_uint32()
    query.argtypes = [ctypes.POINTER(ctypes.c_uint32)] * 3
    query.restype = ctypes.c_uint32
    vendor = query(ctypes.byref(family), ctypes.byref(model), ctypes.byref(features))
    fits.argtypes, fits.restype = [ctypes.c_uint32] * 3, ctypes.c_bool
    return int(vendor) if fits(family, model, features) else None
