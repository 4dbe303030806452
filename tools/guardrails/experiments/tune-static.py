"""Tunes the static student's table on the teacher's sentence vectors (the step Model2Vec calls "tokenlearn"),
for the distillation experiment of issue 14:

    python3 tools/guardrails/experiments/tune-static.py <vectors.npy> <texts.jsonl> <teacher.npy> <out.npy>
        [--dims 64] [--keep 85000] [--epochs 10] [--l2 1.0]

Starts from the table of `static-distil.py features` (same PCA, SIF weights and pruning), then moves its rows so
that the mean of a text's rows comes close to the teacher's vector of that text projected on the same PCA
components (squared error, Adam, an L2 pull towards the starting rows). Only texts of the **train** split are
used to tune (the teacher's vectors of validation and test texts are never read); then every text of the file
is embedded with the tuned table (int8, one scale per row) and written for `embedding-classifier.py --features`.
"""
import argparse
import importlib.util
import json
import os

import numpy as np

spec = importlib.util.spec_from_file_location("static_distil", os.path.join(os.path.dirname(__file__), "static-distil.py"))
static_distil = importlib.util.module_from_spec(spec)
spec.loader.exec_module(static_distil)

parser = argparse.ArgumentParser()
parser.add_argument("vectors")
parser.add_argument("texts")
parser.add_argument("teacher")
parser.add_argument("out")
parser.add_argument("--dims", type=int, default=64)
parser.add_argument("--keep", type=int, default=85_000)
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--l2", type=float, default=1.0)
args = parser.parse_args()

table, kept, _, _, mean, components = static_distil.student_table(np.load(args.vectors), args.dims, args.keep, "sif")
rows = [json.loads(line) for line in open(args.texts)]
teacher = np.load(args.teacher).astype(np.float64)
sp = static_distil.processor()
ids = [[i for i in piece_ids if kept[i]] for piece_ids in sp.encode([row["text"] for row in rows])]
train = [i for i, row in enumerate(rows) if row["split"] == "train" and ids[i]]
target = (teacher - mean) @ components.T
# The static rows are SIF-weighted: bring the targets to the scale of the rows' means before tuning.
static_means = np.stack([table[ids[i]].mean(axis=0) for i in train])
scale = np.linalg.norm(static_means, axis=1).mean() / np.linalg.norm(target[train], axis=1).mean()
target *= scale
start = table.copy()
moment, velocity, step = np.zeros_like(table), np.zeros_like(table), 0
rng = np.random.default_rng(14)
for epoch in range(args.epochs):
    loss = 0.0
    for batch in np.array_split(rng.permutation(train), max(1, len(train) // 64)):
        gradient = np.zeros_like(table)
        touched = set()
        for i in batch:
            error = table[ids[i]].mean(axis=0) - target[i]
            loss += float(error @ error)
            np.add.at(gradient, ids[i], error / len(ids[i]) / len(batch))
            touched.update(ids[i])
        touched = np.fromiter(touched, dtype=np.int64)
        gradient[touched] += args.l2 * (table[touched] - start[touched]) / len(train)
        step += 1
        moment[touched] = 0.9 * moment[touched] + 0.1 * gradient[touched]
        velocity[touched] = 0.999 * velocity[touched] + 0.001 * gradient[touched] ** 2
        table[touched] -= 0.001 * (moment[touched] / (1 - 0.9**step)) / (np.sqrt(velocity[touched] / (1 - 0.999**step)) + 1e-8)
    print(f"epoch {epoch + 1}: mean squared error {loss / len(train):.5f}", flush=True)
row_scale = np.abs(table).max(axis=1) / 127
row_scale[row_scale == 0] = 1
table = np.round(table / row_scale[:, None]) * row_scale[:, None]
result = np.zeros((len(rows), args.dims), dtype=np.float32)
for i, piece_ids in enumerate(ids):
    if piece_ids:
        vector = table[piece_ids].mean(axis=0)
        norm = np.linalg.norm(vector)
        result[i] = vector / norm if norm > 0 else vector
np.save(args.out, result)
print(f"{len(train)} train texts tuned the table; {len(rows)} texts embedded -> {args.out}")
