/**
 * Text tokenizers for the text encoders: {@link dev.imajin.inference.text.ClipTokenizer} turns a
 * prompt into the fixed-length ids of a Stable Diffusion CLIP text encoder. Tokenisation runs in
 * DJL's bundled native Hugging Face tokenizers library, kept offline.
 */
package dev.imajin.inference.text;
