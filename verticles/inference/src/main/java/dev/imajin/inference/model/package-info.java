/**
 * The model registry: model folders under the configured roots, their manifests, files, memory
 * estimates and, for Stable Diffusion, the layout of their components.
 *
 * <p>A model folder holds ONNX files and an {@code imajin-model.yaml}:
 *
 * <pre>{@code
 * id: starter/semantic                # ^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$
 * task: image-text-similarity         # text-to-image, image-text-similarity, image-reward,
 *                                     # image-classification, face-detection, face-embedding,
 *                                     # age-estimation, background-removal, upscaling,
 *                                     # text-classification
 * family: siglip                      # lower-case; see ModelFamilies
 * license: Apache-2.0                 # an SPDX id or the licence's text
 * description: The starter pack's image-text model   # optional
 * files:                              # role -> file; at least one
 *   vision:
 *     path: vision/model.onnx         # relative to this folder, inside it
 *     sha256: 481333f9f5da1d519028356f56b5384ee08d8c3d14fb059dbd5afa827aa4b7af  # optional
 *     bytes: 2097152                  # optional; a file of another size is refused at scan
 *   text:
 *     path: text/model.onnx
 * tokenizer: tokenizer/tokenizer.json # optional: a file or folder
 * preprocess:                         # optional, free-form; read with ModelParameters
 *   size: [224, 224]
 *   mean: [0.5, 0.5, 0.5]
 *   std: [0.5, 0.5, 0.5]
 *   resample: bicubic                 # nearest, bilinear, bicubic
 * postprocess: {logit_scale: 4.6}     # optional, free-form
 * labels: [photo, drawing]            # optional
 * thresholds: {match: 0.25}           # optional: name -> number
 * memory_bytes: 1500000000            # optional; else MEMORY_FACTOR x the ONNX weights' bytes
 * }</pre>
 *
 * <p>A text-to-image manifest names its graphs by the roles {@code text_encoder}, {@code unet} and
 * {@code vae_decoder} (optionally {@code text_encoder_2}, {@code vae_encoder} and {@code
 * scheduler}) and needs a {@code tokenizer}. Stable Diffusion exports need no manifest: Optimum and
 * diffusers ONNX folders are recognised from their {@code model_index.json}.
 */
package dev.imajin.inference.model;
