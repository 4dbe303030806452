"""Joins the engine's verdicts (`engine-verdicts.ts`) with an experimental model's heads
(`embedding-classifier.py --score-out`) and prints, per set, how many texts are blocked by the lexicon only,
as shipped, by the lexicon with the experimental model in place of the shipped classifier, and by the shipped
engine with the experimental model beside its classifier (fused: blocked when either blocks):

    python3 tools/guardrails/experiments/join-verdicts.py <texts.jsonl> <verdicts.json> <heads.json>

An input text counts for the experimental model when any head fires; a corpus paragraph (output check) when
a harm head fires (the injection head is not run on answers, as in serving).
"""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1])]
verdicts = json.load(open(sys.argv[2]))
heads = json.load(open(sys.argv[3]))
assert len(rows) == len(verdicts["lexicon"]) == len(heads), "the three files must list the same texts"
table = {}
for row, lexicon, shipped, found in zip(rows, verdicts["lexicon"], verdicts["shipped"], heads):
    flagged = any(label != "injection" for label in found) if row["check"] == "output" else len(found) > 0
    entry = table.setdefault(row["set"], [row["kind"], 0, 0, 0, 0, 0])
    entry[1] += 1
    entry[2] += lexicon
    entry[3] += shipped
    entry[4] += lexicon or flagged
    entry[5] += shipped or flagged
print("| set | kind | texts | lexicon only | shipped (lexicon + n-grams) | lexicon + experiment | shipped + experiment |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for name, (kind, count, lexicon, shipped, experiment, fused) in table.items():
    share = lambda value: f"{value} ({100 * value / count:.1f} %)"
    print(f"| {name} | {kind} | {count} | {share(lexicon)} | {share(shipped)} | {share(experiment)} | {share(fused)} |")
