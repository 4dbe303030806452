"""Measures a model's cosine as a rerank signal over the improved spec's 50 candidates, by halves.

    python score.py --candidates /tmp/xenc-candidates.jsonl --vectors /tmp/xenc-e5.npz --half develop|check

Variants, fixed before measuring (those of use-encoder-retrieval.ts): `shipped` (the lexical rerank order),
`model alone` (the candidates ordered by the cosine), `rrf` (reciprocal rank fusion, constant 60, of the
two orders) and `sum w` ((1 - w) x lexical rerank score + w x cosine min-max scaled over the candidates,
w in 0.15 / 0.3 / 0.5). Top 1 / 3 / 5 and MRR count the first candidate holding a reference within the top
5 (the retrieved k), as retrieval-quality.ts does; up / down compare each question's rank with the shipped
order (beyond 5 counts 6). The rule of choice, fixed before measuring: on the develop halves, the variant
with the largest mean MRR change over the two manuals among those that lose no help-center question at
top 1 (printed as `choice`); only that one is read on the check halves. Cost: CPU seconds and tokens per embedded text, from embed.py.
"""
import argparse
import json
from collections import defaultdict

import numpy as np


def load(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def first_hit(order, holds):
    for rank, position in enumerate(order[:5], start=1):
        if holds[position]:
            return rank
    return 0


def orders(lexical, cosine):
    count = len(lexical)
    shipped = list(range(count))
    by_cosine = sorted(range(count), key=lambda i: (-cosine[i], i))
    dense_rank = [0] * count
    for rank, position in enumerate(by_cosine):
        dense_rank[position] = rank
    result = {"shipped": shipped, "model alone": by_cosine}
    result["rrf"] = sorted(range(count), key=lambda i: (-(1 / (61 + i) + 1 / (61 + dense_rank[i])), i))
    low, span = min(cosine), (max(cosine) - min(cosine)) or 1.0
    for weight in (0.15, 0.3, 0.5):
        fused = [(1 - weight) * lexical[i] + weight * (cosine[i] - low) / span for i in range(count)]
        result[f"sum {weight}"] = sorted(range(count), key=lambda i: (-fused[i], i))
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", required=True)
    parser.add_argument("--vectors", required=True)
    parser.add_argument("--half", choices=["develop", "check", "all"], required=True)
    args = parser.parse_args()
    stored = np.load(args.vectors)
    vectors = {key: row for key, row in zip(stored["keys"], stored["vectors"])}
    totals = defaultdict(lambda: defaultdict(float))
    corpora = []
    for row in load(args.candidates):
        if args.half != "all" and row["develop"] != (args.half == "develop"):
            continue
        corpus = row["corpus"]
        if corpus not in corpora:
            corpora.append(corpus)
        query = vectors[f"{corpus}\tq\t{row['id']}"]
        candidates = row["candidates"]
        lexical = [candidate["lexical"] for candidate in candidates]
        cosine = [float(vectors[f"{corpus}\t{candidate['id']}"] @ query) for candidate in candidates]
        holds = [candidate["holds"] for candidate in candidates]
        ranked = {name: first_hit(order, holds) for name, order in orders(lexical, cosine).items()}
        base = ranked["shipped"] or 6
        for name, rank in ranked.items():
            entry = totals[(corpus, name)]
            entry["n"] += 1
            entry["top1"] += rank == 1
            entry["top3"] += 1 <= rank <= 3
            entry["top5"] += 1 <= rank <= 5
            entry["rr"] += 1 / rank if rank else 0
            entry["up"] += (rank or 6) < base
            entry["down"] += (rank or 6) > base
    names = list(orders([0.0, 1.0], [0.0, 1.0]).keys())
    print(f"half: {args.half}; vectors: {args.vectors}")
    print("| variant | " + " | ".join(corpora) + " |")
    print("| --- |" + " --- |" * len(corpora))
    for name in names:
        cells = []
        for corpus in corpora:
            entry = totals[(corpus, name)]
            n = entry["n"]
            cell = f"{entry['top1'] / n:.3f}/{entry['top3'] / n:.3f}/{entry['top5'] / n:.3f}/{entry['rr'] / n:.3f}"
            if name != "shipped":
                shipped_rr = totals[(corpus, "shipped")]["rr"] / n
                cell += f" ({entry['rr'] / n - shipped_rr:+.3f}, {int(entry['up'])}↑{int(entry['down'])}↓)"
            cells.append(f"{cell} (n {int(n)})" if name == "shipped" else cell)
        print(f"| {name} | " + " | ".join(cells) + " |")
    manuals = [corpus for corpus in corpora if corpus != "help center"]

    def gain(name):
        return np.mean([(totals[(c, name)]["rr"] - totals[(c, "shipped")]["rr"]) / totals[(c, name)]["n"] for c in manuals])

    allowed = [n for n in names[1:] if totals[("help center", n)]["top1"] >= totals[("help center", "shipped")]["top1"]]
    if allowed:
        best = max(allowed, key=gain)
        print(f"choice (meaningful on develop only): {best}, mean MRR change over the manuals {gain(best):+.3f}")
    else:
        print("choice: none (every variant loses a help-center question at top 1)")
    seconds, tokens = stored["seconds"], stored["tokens"]
    questions = np.array(["\tq\t" in key for key in stored["keys"]])
    for label, mask in (("passages", ~questions), ("questions", questions)):
        print(
            f"cost, {label}: {mask.sum()} texts, median {np.median(tokens[mask]):.0f} tokens, "
            f"median {1000 * np.median(seconds[mask]):.1f} ms CPU, {1000 * seconds[mask].sum() / tokens[mask].sum():.2f} ms CPU per token"
        )


if __name__ == "__main__":
    main()
