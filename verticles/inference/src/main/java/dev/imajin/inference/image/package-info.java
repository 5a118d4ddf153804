/**
 * Image pre-processing for vision models: {@link dev.imajin.inference.image.Resize} squash-resizes
 * as PIL does, and {@link dev.imajin.inference.image.ImagePreprocess} turns an image into the
 * normalised NCHW planes a manifest's {@code preprocess} section describes.
 */
package dev.imajin.inference.image;
