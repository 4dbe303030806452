"""Keeps, of a `public-texts.py` file, the public texts, the 20 edge questions and only the held-out half of the
own benign questions and paragraphs (the half `own-benign-texts.ts` never trains on; same hash: the first byte of
the SHA-256 of the trimmed text is odd):

    python3 tools/guardrails/experiments/held-out-only.py <texts.jsonl> <out.jsonl>
"""
import hashlib
import json
import sys

OWN = {"own benign questions", "corpus paragraphs (output check)"}
kept = []
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row["set"] in OWN and hashlib.sha256(row["text"].strip().encode("utf-8")).digest()[0] % 2 == 0:
        continue
    kept.append(line)
open(sys.argv[2], "w").writelines(kept)
print(f"{len(kept)} texts kept")
