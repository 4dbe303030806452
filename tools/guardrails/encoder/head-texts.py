"""The texts the encoder's head is trained and measured on, from a `dump-texts.ts` file (the team's texts, the
free-form texts and the own benign texts of `own-benign-texts.ts`):

    python3 tools/guardrails/encoder/head-texts.py <texts.jsonl> <out.jsonl>

Kept: every third templated training text (in file order; the encoder costs milliseconds per text), every
free-form and own benign training text, and every validation, test and held-out text. The third pass of issue 14
trained its teacher on the same kind of selection (13,327 training texts). No public set is read.
"""
import json
import sys

source, out = sys.argv[1], sys.argv[2]
kept, templated = [], 0
for line in open(source):
    row = json.loads(line)
    if row["split"] == "train" and row["source"] == "training" and not row["freeForm"]:
        templated += 1
        if templated % 3 != 1:
            continue
    kept.append(line)
open(out, "w").writelines(kept)
train = sum(1 for line in kept if json.loads(line)["split"] == "train")
print(f"{len(kept)} texts ({train} to train on) -> {out}")
