/**
 * Image classification: {@link dev.imajin.inference.classify.ImageClassifier} runs a ViT-style
 * classifier export ({@code pixel_values} in, {@code logits} out) with the labels, thresholds and
 * preprocessing of its manifest, as the policy and age classifiers of the moderator need. It holds
 * an open ONNX session and is called on the device's worker pool (through {@link
 * dev.imajin.inference.runtime.ModelHost#run}).
 */
package dev.imajin.inference.classify;
