"""Token ids and embeddings of texts by the wordllama package itself, to check the TypeScript port.

Usage: python wordllama-reference.py <texts.json> <out.json>   (with `wordllama` installed in that python)
"""
import json
import sys
from pathlib import Path

import wordllama
from safetensors import safe_open
from tokenizers import Tokenizer
from wordllama.inference import WordLlamaInference

# WordLlama.load() looks for the tokenizer under wordllama/tokenizer/ (singular) while the wheel ships it
# under wordllama/tokenizers/, then tries Hugging Face; so build the inference object from the files directly.
root = Path(wordllama.__file__).parent
tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))
with safe_open(str(root / "weights" / "l2_supercat_256.safetensors"), framework="np", device="cpu") as weights:
    model = WordLlamaInference(weights.get_tensor("embedding.weight"), tokenizer)

texts = json.load(open(sys.argv[1], encoding="utf8"))
rows = []
for text in texts:
    encoding = model.tokenize(text)[0]
    rows.append({"ids": encoding.ids, "embedding": [float(x) for x in model.embed(text)[0]]})
json.dump(rows, open(sys.argv[2], "w", encoding="utf8"))
