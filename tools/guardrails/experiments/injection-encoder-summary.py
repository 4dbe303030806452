"""Summarises `injection-encoder.ts`'s scores: per set, what the injection check catches and flags before (heuristics,
then the n-gram head) and after (the encoder's injection head behind them, at a threshold):

    python3 tools/guardrails/experiments/injection-encoder-summary.py <scores.jsonl> [--threshold T] [--choose]

`--pieces` summarises a file of `injection-encoder-passages.ts` per way of reading a passage (whole, by sentence,
by word windows of each size), for the default check and with the encoder stage (`--missed KEY` lists its misses
and benign flags on the sets shown; `--sets A,B` shows only those sets, to choose on develop sets only).

A file of `injection-encoder-passages.ts` (passages) is summarised twice: the encoder reading each passage whole,
and reading it whole and sentence by sentence (`--by whole` or `--by bySentence`; whole by default).

`--choose` picks the threshold on the team's validation split only, by the trainer's rule applied to what the stage
adds: the lowest score >= 0.5 at which the stage flags at most 0.3 % of the validation's benign texts and at least
95 % of what it adds is an injection. Without `--threshold` the head's own threshold (printed by the scorer) is used.
"""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1])]
if "--pieces" in sys.argv:
    # A passages file read by pieces: per way of reading (whole, sentences, sentence windows, passage windows), what
    # the default injection check (heuristics, n-gram head) and the check with the encoder stage catch and flag.
    t = float(sys.argv[sys.argv.index("--threshold") + 1]) if "--threshold" in sys.argv else 0.505
    sets = sorted({r["set"] for r in rows})
    if "--sets" in sys.argv:
        # Choose on the develop sets only (`--sets poisoned-validation,paragraph-train`), report the others once.
        sets = sys.argv[sys.argv.index("--sets") + 1].split(",")
    print(f"encoder threshold {t}; per set: default policy (heuristics + n-grams) / with the encoder stage")
    print(f"{'reading':14}" + "".join(f"{name:>28}" for name in sets))
    for key in rows[0]["units"]:
        cells = []
        for name in sets:
            selected = [r["units"][key] for r in rows if r["set"] == name]
            default = sum(1 for v in selected if v["heuristics"] or v["ngram"])
            encoder = sum(1 for v in selected if v["heuristics"] or v["ngram"] or v["encoder"] >= t)
            cells.append(f"{default:>4} / {encoder:>4} of {len(selected):>4}")
        print(f"{key:14}" + "".join(f"{cell:>28}" for cell in cells))
    if "--missed" in sys.argv:
        key = sys.argv[sys.argv.index("--missed") + 1]
        for r in rows:
            v = r["units"][key]
            caught = v["heuristics"] or v["ngram"] or v["encoder"] >= t
            if caught != r["injection"] and r["set"] in sets:
                print(f"  {r['set']} {v['encoder']:.3f} {r['text'][:150]}")
    raise SystemExit(0)
by = sys.argv[sys.argv.index("--by") + 1] if "--by" in sys.argv else "whole"
for r in rows:
    if "score" not in r:
        r["score"] = r[by]
threshold = float(sys.argv[sys.argv.index("--threshold") + 1]) if "--threshold" in sys.argv else None


def summary(selected, t):
    injections = [r for r in selected if r["injection"]]
    benign = [r for r in selected if not r["injection"]]
    before = lambda r: r["heuristics"] or r["ngram"]
    after = lambda r: before(r) or r["score"] >= t
    return {
        "injections": len(injections),
        "caught_before": sum(map(before, injections)),
        "caught_after": sum(map(after, injections)),
        "benign": len(benign),
        "flagged_before": sum(map(before, benign)),
        "flagged_after": sum(map(after, benign)),
    }


if "--choose" in sys.argv:
    validation = [r for r in rows if r["set"] == "team-validation"]
    chosen = None
    for step in range(500, 1000):
        t = step / 1000
        added = [r for r in validation if not (r["heuristics"] or r["ngram"]) and r["score"] >= t]
        benign = sum(1 for r in validation if not r["injection"])
        false = sum(1 for r in added if not r["injection"])
        if false <= 0.003 * benign and (not added or (len(added) - false) / len(added) >= 0.95):
            chosen = t
            break
    print(f"threshold chosen on validation: {chosen}")
    threshold = chosen
if threshold is None:
    raise SystemExit("give --threshold T (the head's own is printed by injection-encoder.ts) or --choose")
for name in sorted({r["set"] for r in rows}):
    s = summary([r for r in rows if r["set"] == name], threshold)
    print(
        f"{name:28} injections {s['caught_before']:>4} -> {s['caught_after']:>4} of {s['injections']:>4}"
        f"   benign flagged {s['flagged_before']:>3} -> {s['flagged_after']:>3} of {s['benign']:>5}"
    )
missed = [r for r in rows if r["injection"] and not (r["heuristics"] or r["ngram"] or r["score"] >= threshold)]
added = [r for r in rows if not r["injection"] and not (r["heuristics"] or r["ngram"]) and r["score"] >= threshold]
print(f"\nstill missed ({len(missed)}):")
for r in missed[:15]:
    print(f"  {r['set']} {r['score']:.3f} {r['text'][:110]}")
print(f"benign the stage adds ({len(added)}):")
for r in added[:25]:
    print(f"  {r['set']} {r['score']:.3f} {r['text'][:110]}")
