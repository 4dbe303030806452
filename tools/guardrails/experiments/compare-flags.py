"""One table for the distillation experiment: how each model's heads do on the team's validation split, its
free-form texts and the held-out half of the own benign texts (none of them trained on):

    python3 tools/guardrails/experiments/compare-flags.py <texts.jsonl> NAME=flags.json [NAME=a.json+b.json ...]

`flags.json` lists the labels found for each line of the texts file (`shipped-flags.ts`, or
`embedding-classifier.py --score-features <same features> --score-out`); `a.json+b.json` fuses two models (a text
is flagged when either flags it). A harmful text counts as caught when a head of one of its labels fires; a
benign text as flagged when any head fires, a paragraph when a harm head fires (answers are not judged for
injection). Public red-team sets are never read here.
"""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1])]


def load(spec):
    parts = [json.load(open(path)) for path in spec.split("+")]
    assert all(len(part) == len(rows) for part in parts), f"{spec}: not one entry per text"
    return [sorted(set().union(*(part[i] for part in parts))) for i in range(len(rows))]


def share(hit, total):
    return f"{hit} of {total} ({100 * hit / max(total, 1):.1f} %)"


print("| model | validation harmful caught | validation benign flagged | free-form harmful caught | free-form benign flagged | own questions flagged (held-out half) | own paragraphs flagged (held-out half) |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for spec in sys.argv[2:]:
    name, path = spec.split("=", 1)
    flags = load(path)
    cells = []
    for free in (False, True):
        mask = [row["split"] == "validation" and row["source"] == "training" and (row["freeForm"] or not free) for row in rows]
        harmful = [i for i, row in enumerate(rows) if mask[i] and row["labels"]]
        benign = [i for i, row in enumerate(rows) if mask[i] and not row["labels"]]
        caught = sum(1 for i in harmful if set(flags[i]) & set(rows[i]["labels"]))
        flagged = sum(1 for i in benign if flags[i])
        cells += [share(caught, len(harmful)), share(flagged, len(benign))]
    for source in ("question", "paragraph"):
        own = [i for i, row in enumerate(rows) if row["split"] == "held-out" and row["source"] == source]
        hit = sum(1 for i in own if [label for label in flags[i] if source == "question" or label != "injection"])
        cells.append(share(hit, len(own)))
    print(f"| {name} | {' | '.join(cells)} |")
