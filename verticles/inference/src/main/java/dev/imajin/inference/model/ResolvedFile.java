package dev.imajin.inference.model;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A file of a model as found by the scan.
 *
 * @param role the manifest's role ({@code unet}, {@code model}); for recognised diffusers folders,
 *     the component name for its ONNX graph ({@code unet}) and the relative path for every other
 *     file ({@code unet/model.onnx_data}, {@code tokenizer/vocab.json})
 * @param relativePath relative to the model folder, {@code /}-separated
 * @param path the absolute path
 * @param bytes the size when scanned
 * @param sha256 the digest the manifest pins, if any
 */
public record ResolvedFile(
    String role, String relativePath, Path path, long bytes, Optional<String> sha256) {}
