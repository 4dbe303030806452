"""The project's tensor file, as the TypeScript `domain/tensors/tensor-file.ts` of `packages/serving` reads it: a magic
line, a little-endian u32 header length, a JSON header (the settings, and each tensor's dtype, shape and offset, padded
with spaces to 8 bytes), then each tensor's raw bytes at its offset (8-byte aligned). Used by the scripts that write
the guardrails' encoder (`tools/guardrails/encoder/quantise-encoder.py`) and the retrieval MiniLM
(`tools/retrieval/minilm/write-minilm.py`); import it with `sys.path` pointed at this folder.
"""
import json
import os
import struct

import numpy as np

MAGIC = b"LLMOPS-USE-INT8\n"


def int8_columns(matrix):
    """Symmetric int8 with one scale per output column."""
    scale = np.maximum(np.abs(matrix).max(axis=0), 1e-12) / 127
    return np.clip(np.round(matrix / scale), -127, 127).astype(np.int8), scale.astype(np.float32)


def save(out, settings, tensors):
    """Writes the settings and the named arrays (in C order) as one tensor file, and prints its size."""
    header, offset, blobs = {**settings, "tensors": {}}, 0, []
    for name, array in tensors.items():
        offset += -offset % 8
        header["tensors"][name] = {"dtype": str(array.dtype), "shape": list(array.shape), "offset": offset}
        blobs.append((offset, np.ascontiguousarray(array).tobytes()))
        offset += array.nbytes
    encoded = json.dumps(header).encode("utf-8")
    encoded += b" " * (-(len(MAGIC) + 4 + len(encoded)) % 8)
    with open(out, "wb") as file:
        file.write(MAGIC + struct.pack("<I", len(encoded)) + encoded)
        base = file.tell()
        for at, blob in blobs:
            file.seek(base + at)
            file.write(blob)
    print(f"{out}: {os.path.getsize(out):,} bytes")


def tensors_of(path):
    """The header (settings and the tensors' table) and the arrays of a tensor file written by `save`."""
    data = open(path, "rb").read()
    assert data.startswith(MAGIC), f"{path}: not a tensor file of this project"
    size = struct.unpack("<I", data[len(MAGIC) : len(MAGIC) + 4])[0]
    header = json.loads(data[len(MAGIC) + 4 : len(MAGIC) + 4 + size])
    base = len(MAGIC) + 4 + size
    arrays = {}
    for name, spec in header["tensors"].items():
        count = int(np.prod(spec["shape"])) if spec["shape"] else 1
        arrays[name] = np.frombuffer(data, dtype=spec["dtype"], count=count, offset=base + spec["offset"]).reshape(
            spec["shape"]
        )
    return header, arrays
