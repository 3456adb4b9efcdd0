"""Thinc operations for running the pipeline on CPUs.

Thinc's default CPU backend multiplies matrices with BLIS; on the
AVX-512 machines hendelse targets, NumPy's OpenBLAS does the same
products about twice as fast (measured in ``docs/model.md``). Results are
the same up to float rounding. Only inference uses these ops; training
keeps Thinc's defaults.
"""

from __future__ import annotations

import numpy
from thinc.api import NumpyOps


class MatmulOps(NumpyOps):
    """NumpyOps whose ``gemm`` is ``numpy.matmul``."""

    name = "numpy"

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        if trans1:
            x = x.T
        if trans2:
            y = y.T
        if out is None:
            return numpy.matmul(x, y)
        numpy.matmul(x, y, out=out)
        return out


def use_matmul_ops(nlp) -> None:
    """Switch every model of a loaded pipeline to ``MatmulOps``."""
    ops = MatmulOps()
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            node.ops = ops
