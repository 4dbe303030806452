"""Merges the shards that embed.py --shard k/n wrote: python merge.py OUT.npz SHARD.npz..."""
import sys

import numpy as np

parts = [np.load(path) for path in sys.argv[2:]]
np.savez(sys.argv[1], **{name: np.concatenate([part[name] for part in parts]) for name in ("keys", "vectors", "tokens", "seconds")})
