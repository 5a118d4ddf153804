/**
 * Faces: {@link dev.imajin.inference.face.FaceDetector} finds faces and their five landmarks with
 * an SCRFD-layout detector, {@link dev.imajin.inference.face.FaceAligner} warps each face onto
 * ArcFace's 112x112 template by the least-squares similarity transform of its landmarks, and {@link
 * dev.imajin.inference.face.FaceEmbedder} turns aligned faces into L2-normalised embeddings
 * compared by cosine similarity. The classes hold an open ONNX session and are called on the
 * device's worker pool (through {@link dev.imajin.inference.runtime.ModelHost#run}); the decoding,
 * NMS and alignment arithmetic are plain static functions, testable without a model.
 */
package dev.imajin.inference.face;
