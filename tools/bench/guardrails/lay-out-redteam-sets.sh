#!/usr/bin/env bash
# Lays out the public red-team and benign sets the guardrail bench reads (`learned-classifier.ts --redteam DIR`),
# from git copies of their public repositories. Measuring only: never commit DIR, never train or tune on it.
#
#   bash tools/bench/guardrails/lay-out-redteam-sets.sh DIR MULTIJAIL_GIT XSAFETY_GIT XSTEST_GIT [GPTFUZZ_GIT]
#
# Each *_GIT is a clone (or bare git directory) of:
#   MULTIJAIL_GIT  DAMO-NLP-SG/multilingual-safety-for-LLMs   (measured at 577ac511437e07a256130945ef312a99158a18ad)
#   XSAFETY_GIT    Jarviswang94/Multilingual_safety_benchmark (measured at 8c55b6a6cda594cd550a4921513238a2dd40eb5a)
#   XSTEST_GIT     paul-rottger/exaggerated-safety            (measured at d7bb5bd738c1fcbc36edd83d5e7d1b71a3e2d84d)
#   GPTFUZZ_GIT    sherdencooper/GPTFuzz, optional            (measured at 1eddeb565740ae311b5f4950492b011a6f866fe7):
#                  datasets/prompts/GPTFuzzer.csv → gptfuzz/templates.csv (77 jailbreak templates, columns id,text),
#                  datasets/questions/question_list.csv → gptfuzz/questions.csv (100 harmful questions, index,text)
# Files are read from each repository's HEAD. XSafety's Spanish folder is `sp/`; the bench reads it as `es`.
set -euo pipefail
if [ "$#" -ne 4 ] && [ "$#" -ne 5 ]; then
  echo "usage: $0 DIR MULTIJAIL_GIT XSAFETY_GIT XSTEST_GIT [GPTFUZZ_GIT]" >&2
  exit 2
fi
out=$1
show() { git --git-dir="$1" show "HEAD:$2"; }
gitdir() { if [ -d "$1/.git" ]; then echo "$1/.git"; else echo "$1"; fi; }
multijail=$(gitdir "$2")
xsafety=$(gitdir "$3")
xstest=$(gitdir "$4")
mkdir -p "$out"
show "$multijail" data/MultiJail.csv >"$out/multijail.csv"
show "$xstest" xstest_prompts.csv >"$out/xstest.csv"
for language in en sp fr de; do
  target=$language
  [ "$language" = sp ] && target=es
  mkdir -p "$out/xsafety/$target"
  for file in $(git --git-dir="$xsafety" ls-tree --name-only HEAD "$language/"); do
    case "$file" in *.csv) show "$xsafety" "$file" >"$out/xsafety/$target/$(basename "$file")" ;; esac
  done
done
laid_out="multijail.csv, xstest.csv, xsafety/{en,es,fr,de}"
if [ "$#" -eq 5 ]; then
  gptfuzz=$(gitdir "$5")
  mkdir -p "$out/gptfuzz"
  show "$gptfuzz" datasets/prompts/GPTFuzzer.csv >"$out/gptfuzz/templates.csv"
  show "$gptfuzz" datasets/questions/question_list.csv >"$out/gptfuzz/questions.csv"
  laid_out="$laid_out, gptfuzz/{templates,questions}.csv"
fi
echo "laid out in $out: $laid_out"
