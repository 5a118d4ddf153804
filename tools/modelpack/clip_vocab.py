"""A small CLIP-format byte-level BPE vocabulary in which every word of a list is one token.

The layout is CLIP's: the 256 byte characters (in CLIP's byte-to-unicode order), the same 256 with
the end-of-word mark `</w>`, one token per merge, then `<|startoftext|>` and `<|endoftext|>` as
the last two ids. Merges are added, in order, until each listed word is a single token under
byte-level BPE; words outside the list still tokenise, to byte pieces. The files written
(`vocab.json`, `merges.txt`, `tokenizer_config.json`, `special_tokens_map.json`) are what a
Stable Diffusion export's `tokenizer/` folder holds, and imajin's ClipTokenizer reads them.

    /usr/bin/python3 tools/modelpack/clip_vocab.py --out /tmp/tok --check "a small red star"
"""

import argparse
import json
import os
import re

BOS = "<|startoftext|>"
EOS = "<|endoftext|>"
END = "</w>"
MAX_LENGTH = 77


def bytes_to_unicode():
    """CLIP's (and GPT-2's) reversible map from bytes to printable characters."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    chars = printable[:]
    n = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(printable, chars)}


BYTE_CHARS = bytes_to_unicode()
# CLIP's pre-tokeniser: special tokens, contractions, letter runs, single digits, other runs.
PIECES = re.compile(
    r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|[^\s\w]+", re.UNICODE
)


class ClipVocabulary:
    def __init__(self, words):
        base = [BYTE_CHARS[b] for b in sorted(BYTE_CHARS, key=_clip_byte_order)]
        self.tokens = base + [c + END for c in base]
        self.merges = []
        self.ranks = {}
        for word in words:
            self._add(word.lower())
        self.tokens += [BOS, EOS]
        self.ids = {t: i for i, t in enumerate(self.tokens)}

    def _add(self, word):
        while True:
            symbols = self._bpe(self._symbols(word))
            if len(symbols) == 1:
                return
            pair = (symbols[0], symbols[1])
            self.ranks[pair] = len(self.merges)
            self.merges.append(pair)
            self.tokens.append(pair[0] + pair[1])

    @staticmethod
    def _symbols(piece):
        chars = [BYTE_CHARS[b] for b in piece.encode("utf-8")]
        chars[-1] += END
        return chars

    def _bpe(self, symbols):
        symbols = list(symbols)
        while len(symbols) > 1:
            ranked = [
                (self.ranks.get((a, b)), i)
                for i, (a, b) in enumerate(zip(symbols, symbols[1:]))
                if (a, b) in self.ranks
            ]
            if not ranked:
                break
            _, i = min(ranked)
            symbols[i : i + 2] = [symbols[i] + symbols[i + 1]]
        return symbols

    def encode(self, text, length=MAX_LENGTH, pad=EOS):
        """CLIP's ids for text: BOS, the pieces' tokens, EOS, truncated to length, padded."""
        clean = " ".join(text.split()).lower()
        ids = [self.ids[BOS]]
        for piece in PIECES.findall(clean):
            if piece in (BOS, EOS):
                ids.append(self.ids[piece])
                continue
            ids += [self.ids[s] for s in self._bpe(self._symbols(piece))]
        ids = ids[: length - 1] + [self.ids[EOS]]
        return ids + [self.ids[pad]] * (length - len(ids))

    def write(self, folder, pad=EOS):
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
            json.dump(self.ids, f, ensure_ascii=False)
        with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
            f.write("#version: 0.2\n")
            for a, b in self.merges:
                f.write(f"{a} {b}\n")
        special = {"bos_token": BOS, "eos_token": EOS, "unk_token": EOS, "pad_token": pad}
        with open(os.path.join(folder, "special_tokens_map.json"), "w", encoding="utf-8") as f:
            json.dump(special, f)
        with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(self.tokenizer_json(), f, ensure_ascii=False)
        config = dict(special, model_max_length=MAX_LENGTH, do_lower_case=True)
        config["tokenizer_class"] = "CLIPTokenizer"
        with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as f:
            json.dump(config, f)


    def tokenizer_json(self):
        """The fast tokenizer's file for this vocabulary, with CLIP's normaliser (NFC, whitespace
        runs to one space, lower case), pre-tokeniser (CLIP's pattern, then byte-level) and a BPE
        model with `</w>` word ends; BOS and EOS are added tokens. The same file imajin's Java
        tokenizer builds from vocab.json and merges.txt."""
        pattern = ("<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d"
                   "|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+")
        byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}
        added = [{"id": self.ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": True, "special": True} for t in (BOS, EOS)]
        return {
            "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
                {"type": "Lowercase"}]},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Removed", "invert": True},
                byte_level]},
            "post_processor": None,
            "decoder": dict(byte_level, add_prefix_space=True, use_regex=True),
            "model": {"type": "BPE", "dropout": None, "unk_token": EOS, "continuing_subword_prefix": "",
                      "end_of_word_suffix": END, "fuse_unk": False, "byte_fallback": False,
                      "vocab": self.ids, "merges": [f"{a} {b}" for a, b in self.merges]},
        }


def _clip_byte_order(b):
    """CLIP lists the printable bytes first (in value order), then the others."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    return (0, b) if b in printable else (1, b)


def main():
    import world

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--check", nargs="*", default=[])
    args = parser.parse_args()
    vocabulary = ClipVocabulary(world.vocabulary())
    vocabulary.write(args.out)
    print(f"{len(vocabulary.tokens)} tokens, {len(vocabulary.merges)} merges -> {args.out}")
    for text in args.check:
        ids = vocabulary.encode(text)
        print(text, "->", ids[: ids.index(vocabulary.ids[EOS]) + 1])


if __name__ == "__main__":
    main()
