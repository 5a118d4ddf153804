/**
 * Text tokenizers for the text encoders: {@link dev.imajin.inference.text.ClipTokenizer} turns a
 * prompt into the fixed-length ids of a CLIP text encoder (Stable Diffusion, CLIP-tokenized dual
 * encoders), and {@link dev.imajin.inference.text.JsonTokenizer} runs any other {@code
 * tokenizer.json} as it is (SigLIP's); both frame ids as a {@link
 * dev.imajin.inference.text.SequenceTokenizer}. Tokenisation runs in DJL's bundled native Hugging
 * Face tokenizers library, kept offline.
 */
package dev.imajin.inference.text;
