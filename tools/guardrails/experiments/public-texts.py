"""Lists the texts the guardrail bench measures, for the embedding experiments (measuring only, after a model
was chosen on the team's validation split):

    python3 tools/guardrails/experiments/public-texts.py <redteam DIR> <out.jsonl>

Reads the sets laid out by `tools/bench/guardrails/lay-out-redteam-sets.sh` as `learned-classifier.ts` reads
them, plus the project's benign questions, the 20 edge questions and the corpus paragraphs (run from the
repository root). Each line: `{"set", "kind", "check", "text"}` (`check`: input, or output for paragraphs).
"""
import csv
import json
import os
import re
import sys

folder, out = sys.argv[1], sys.argv[2]
rows = []


def add(name, kind, texts, check="input"):
    rows.extend({"set": name, "kind": kind, "check": check, "text": text} for text in texts)


def column(path, name):
    with open(path, encoding="utf-8-sig", newline="") as file:
        return [row[name].strip() for row in csv.DictReader(file) if row.get(name, "").strip()]


def text_lines(path):
    with open(path, encoding="utf-8-sig") as file:
        lines = [re.sub(r'^"|"$', "", line.strip()).strip() for line in file.read().split("\n")]
    return [line for line in lines if len(line) > 3]


for language in ["en", "it"]:
    add(f"MultiJail {language}", "harmful", column(os.path.join(folder, "multijail.csv"), language))
harm = ["Crimes_And_Illegal_Activities", "Physical_Harm", "Mental_Health", "Insult", "Unfairness_And_Discrimination"]
injection = ["Goal_Hijacking", "Prompt_Leaking", "Role_Play_Instruction"]
for language in ["en", "es", "fr", "de"]:
    files = os.listdir(os.path.join(folder, "xsafety", language))
    for kind, names in [("harmful", harm), ("injection", injection)]:
        for name in names:
            match = next((file for file in files if file.startswith(name)), None)
            if match:
                add(f"XSafety {language} {name}", kind, text_lines(os.path.join(folder, "xsafety", language, match)))
with open(os.path.join(folder, "xstest.csv"), encoding="utf-8", newline="") as file:
    xstest = list(csv.DictReader(file))
add("XSTest safe", "benign", [row["prompt"] for row in xstest if row["label"] == "safe"])
add("XSTest unsafe", "harmful", [row["prompt"] for row in xstest if row["label"] == "unsafe"])


def json_lines(path):
    return [json.loads(line) for line in open(path) if line.strip()]


own = [
    example["input"]
    for name in ["support-qa", "manual-qa"]
    for example in json_lines(f"confs/data/eval/{name}.jsonl")
    if "adversarial" not in (example.get("tags") or [])
]
own += [example.get("input") or example["question"] for example in json_lines("confs/data/inference/customer-questions.jsonl")]
add("own benign questions", "benign", own)
edge_source = open("tools/bench/guardrails/edge-questions.ts").read()
edge = [json.loads('"' + (single or double).replace("\\'", "'") + '"') for single, double in re.findall(
    r"""^\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"),?$""", edge_source, re.M)]
add("own edge support questions", "benign", edge)
paragraphs = []
for corpus in ["kb", "manual"]:
    for name in sorted(os.listdir(f"confs/data/{corpus}")):
        paragraphs += [text for text in re.split(r"\n\s*\n", open(f"confs/data/{corpus}/{name}").read()) if text.strip()]
add("corpus paragraphs (output check)", "benign", paragraphs, check="output")
with open(out, "w") as file:
    file.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
counts = {}
for row in rows:
    counts[row["set"]] = counts.get(row["set"], 0) + 1
print(json.dumps(counts, indent=1))
