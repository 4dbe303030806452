"""Embedding-classifier experiment: heads over WordLlama's mean token vector, trained on the team's texts.

    python3 tools/guardrails/experiments/embedding-classifier.py <token-ids.jsonl> <wordllama folder> [--model lr|mlp]
        [--dims 256] [--hidden 128] [--epochs 30] [--save out.npz] [--features vectors.npy]

Reads the token ids written by `dump-token-ids.ts` (train / validation / test split by family), builds each
text's vector (the mean of its tokens' rows of WordLlama's embedding table, first `dims` columns, L2-normalised),
trains one sigmoid head per label (logistic regression, or a one-hidden-layer MLP), chooses each head's
threshold on the validation split by the rule of `train-classifier.ts` (lowest score >= 0.5 flagging at most
0.3 % of benign texts with precision >= 0.95), and prints validation and test numbers (with `source` and
`family` fields in the rows, also the hard negatives', minimal pairs' and conversational texts' numbers).
`--exclude-train-sources hard-negatives,minimal-pairs` leaves those rows out of training only, so heads trained
on more or less data are chosen and measured on the same validation and test rows; `--head head.npz` measures a
saved head (the shipped one: `quantise-encoder.py read-head`) with its own thresholds. No public set is read.
"""
import argparse
import json
import struct

import numpy as np

LABELS = ["violence", "self_harm", "hate_harassment", "sexual_minors", "dangerous", "injection"]

parser = argparse.ArgumentParser()
parser.add_argument("ids")
parser.add_argument("wordllama")
parser.add_argument("--model", default="lr")
parser.add_argument("--dims", type=int, default=256)
parser.add_argument("--hidden", type=int, default=128)
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--l2", type=float, default=1e-4)
parser.add_argument("--save")
parser.add_argument("--features", help="precomputed text vectors (.npy, one row per line of the ids file) instead of WordLlama")
parser.add_argument("--score-features", help="after choosing, score these precomputed vectors (measuring only)")
parser.add_argument("--score-out", help="where to write the heads found for each scored vector (JSON)")
parser.add_argument("--head", help="score this saved MLP head (.npz of --save) with its own thresholds instead of training")
parser.add_argument(
    "--exclude-train-sources",
    default="",
    help="comma-separated `source` values whose training rows are not trained on (still validated and tested)",
)
args = parser.parse_args()


def read_table(path):
    with open(path, "rb") as file:
        size = struct.unpack("<Q", file.read(8))[0]
        header = json.loads(file.read(size))
        data = file.read()
    tensor = header["embedding.weight"]
    start, end = tensor["data_offsets"]
    dtype = {"F16": np.float16, "F32": np.float32}[tensor["dtype"]]
    return np.frombuffer(data[start:end], dtype=dtype).reshape(tensor["shape"]).astype(np.float32)


rows = [json.loads(line) for line in open(args.ids)]


def vector(ids):
    if not ids:
        return np.zeros(args.dims, dtype=np.float32)
    mean = table[np.array(ids)].mean(axis=0)
    norm = np.linalg.norm(mean)
    return mean / norm if norm > 0 else mean


if args.features:
    X = np.load(args.features).astype(np.float32)
    args.dims = X.shape[1]
else:
    table = read_table(f"{args.wordllama}/weights/l2_supercat_256.safetensors")[:, : args.dims]
    X = np.stack([vector(row["ids"]) for row in rows])
Y = np.array([[1.0 if label in row["labels"] else 0.0 for label in LABELS] for row in rows], dtype=np.float32)
split = np.array([row["split"] for row in rows])
language = np.array([row["language"] for row in rows])
benign = Y.sum(axis=1) == 0
free_form = np.array([bool(row.get("freeForm")) for row in rows])
source = np.array([row.get("source", "training") for row in rows])
excluded = np.isin(source, [name for name in args.exclude_train_sources.split(",") if name])
train, validation, test = (split == "train") & ~excluded, (split == "validation"), (split == "test")
print(f"texts {len(rows)}: train {train.sum()}, validation {validation.sum()}, test {test.sum()}")

rng = np.random.default_rng(14)
positives = Y[train].sum(axis=0)
positive_weight = np.clip((train.sum() - positives) / np.maximum(positives, 1), 1, 3)


def sigmoid(value):
    return 1 / (1 + np.exp(-np.clip(value, -30, 30)))


class Adam:
    def __init__(self, params, rate):
        self.params, self.rate = params, rate
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= self.rate * (m / (1 - 0.9**self.t)) / (np.sqrt(v / (1 - 0.999**self.t)) + 1e-8)


def fit():
    Xt, Yt = X[train], Y[train]
    weights = np.where(Yt == 1, positive_weight, 1.0)
    if args.model == "lr":
        W = np.zeros((args.dims, len(LABELS)), dtype=np.float32)
        b = np.zeros(len(LABELS), dtype=np.float32)
        params = [W, b]
    else:
        W1 = (rng.standard_normal((args.dims, args.hidden)) * np.sqrt(2 / args.dims)).astype(np.float32)
        b1 = np.zeros(args.hidden, dtype=np.float32)
        W = (rng.standard_normal((args.hidden, len(LABELS))) * np.sqrt(1 / args.hidden)).astype(np.float32)
        b = np.zeros(len(LABELS), dtype=np.float32)
        params = [W1, b1, W, b]
    optimiser = Adam(params, 0.01 if args.model == "lr" else 0.003)
    batch = 256
    for epoch in range(args.epochs):
        order = rng.permutation(len(Xt))
        for start in range(0, len(order), batch):
            at = order[start : start + batch]
            x, y, w = Xt[at], Yt[at], weights[at]
            if args.model == "lr":
                grad_out = (sigmoid(x @ W + b) - y) * w / len(at)
                optimiser.step([x.T @ grad_out + args.l2 * W, grad_out.sum(axis=0)])
            else:
                hidden = np.maximum(x @ W1 + b1, 0)
                grad_out = (sigmoid(hidden @ W + b) - y) * w / len(at)
                grad_hidden = (grad_out @ W.T) * (hidden > 0)
                optimiser.step(
                    [x.T @ grad_hidden + args.l2 * W1, grad_hidden.sum(axis=0), hidden.T @ grad_out + args.l2 * W, grad_out.sum(axis=0)]
                )
    return params


if args.head:
    with np.load(args.head) as saved:
        params = [saved[f"arr_{index}"] for index in range(4)]
        saved_thresholds = saved["thresholds"]
else:
    params = fit()


def scores(x):
    if args.model == "lr":
        W, b = params
        return sigmoid(x @ W + b)
    W1, b1, W, b = params
    return sigmoid(np.maximum(x @ W1 + b1, 0) @ W + b)


def choose(score, positive, is_benign):
    for threshold in sorted(set(np.round(score, 3))):
        if threshold < 0.5:
            continue
        flagged = score >= threshold
        precision = (flagged & positive).sum() / max(flagged.sum(), 1)
        if (flagged & is_benign).sum() / max(is_benign.sum(), 1) <= 0.003 and precision >= 0.95:
            return float(threshold)
    return 0.99


S = scores(X)
if args.head:
    thresholds = saved_thresholds
else:
    thresholds = np.array([choose(S[validation, h], Y[validation, h] == 1, benign[validation]) for h in range(len(LABELS))])
found = S >= thresholds


def report(mask, name):
    harmful = mask & ~benign
    caught = (found & (Y == 1)).any(axis=1) & harmful
    flagged = found.any(axis=1) & mask & benign
    print(f"{name}: harmful caught {caught.sum()}/{harmful.sum()} ({caught.sum() / harmful.sum():.3f}), benign flagged {flagged.sum()}/{(mask & benign).sum()}")
    for h, label in enumerate(LABELS):
        positive = (Y[:, h] == 1) & mask
        by_language = " ".join(
            f"{lang}:{(found[positive & (language == lang), h]).sum()}/{(positive & (language == lang)).sum()}"
            for lang in ["eng", "spa", "fra", "deu", "por", "ita"]
        )
        tp = (found[:, h] & positive).sum()
        precision = tp / max((found[:, h] & mask).sum(), 1)
        print(f"  {label:16s} t={thresholds[h]:.3f} recall {tp}/{positive.sum()} precision {precision:.3f}  {by_language}")




def kind_of(row):
    """The kind of a hard negative or minimal pair from its family (`eng:hard-benign:homonyms:3`, `eng:pair:homonyms:0:benign:2`)."""
    parts = row.get("family", "").split(":")
    return parts[2] if len(parts) > 2 and parts[1] in ("hard-benign", "hard-harm", "pair", "pair-free") else None


kinds = np.array([kind_of(row) or "" for row in rows])


def report_kinds(mask, name):
    """Benign flagged per kind and harmful caught per source, for the hard negatives, the minimal pairs and the
    conversational texts."""
    for origin in ("hard-negatives", "minimal-pairs", "conversational"):
        rows_of = mask & (source == origin)
        if not rows_of.any():
            continue
        harmful = rows_of & ~benign
        caught = (found & (Y == 1)).any(axis=1) & harmful
        flagged = found.any(axis=1) & rows_of & benign
        print(f"{name}, {origin}: harmful caught {caught.sum()}/{harmful.sum()}, benign flagged {flagged.sum()}/{(rows_of & benign).sum()}")
        by_kind = " ".join(
            f"{kind}:{(flagged & (kinds == kind)).sum()}/{(rows_of & benign & (kinds == kind)).sum()}"
            for kind in sorted(set(kinds[rows_of & benign]))
        )
        print(f"  benign flagged by kind: {by_kind}")


report(validation, "validation")
report(validation & free_form, "validation, free-form texts")
report(validation & (source == "training"), "validation, the fourth pass's texts")
report_kinds(validation, "validation")
report(test, "test")
report(test & free_form, "test, free-form texts")
report(test & (source == "training"), "test, the fourth pass's texts")
report_kinds(test, "test")
if args.score_features:
    found_scored = scores(np.load(args.score_features).astype(np.float32)) >= thresholds
    with open(args.score_out, "w") as file:
        json.dump([[LABELS[h] for h in range(len(LABELS)) if row[h]] for row in found_scored], file)
if args.save:
    np.savez(args.save, thresholds=thresholds, dims=args.dims, model=args.model, *params)
