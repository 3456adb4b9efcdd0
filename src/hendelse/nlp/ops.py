"""Thinc operations and weight storage for running the pipeline on CPUs.

Thinc's default CPU backend multiplies matrices with BLIS; on the
AVX-512 machines hendelse targets, NumPy's OpenBLAS does the same
products about twice as fast (measured in ``docs/model.md``). Results are
the same up to float rounding. Only inference uses these ops; training
keeps Thinc's defaults.

The shipped pipeline stores its weights as 16-bit floats, which halves
the package (the hash-embedding tables are most of it); they are widened
to 32 bits when the pipeline is loaded (``widen_weights``), so the
arithmetic is unchanged. Load it with ``hendelse.nlp.pipeline.load()``, or
call ``widen_weights(nlp)`` after ``spacy.load``.
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


def _params(nlp):
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            for name in node.param_names:
                if node.has_param(name):
                    yield node, name


def narrow_weights(nlp) -> None:
    """Store every weight as float16 (before ``to_disk``; see the module docstring)."""
    for node, name in _params(nlp):
        node.set_param(name, node.get_param(name).astype(numpy.float16))


def widen_weights(nlp) -> None:
    """Turn float16 weights back into float32 after loading."""
    for node, name in _params(nlp):
        param = node.get_param(name)
        if param.dtype != numpy.float32:
            node.set_param(name, param.astype(numpy.float32))
