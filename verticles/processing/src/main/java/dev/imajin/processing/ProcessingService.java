package dev.imajin.processing;

import dev.imajin.contracts.processing.ConvertRequest;
import dev.imajin.contracts.processing.CropRequest;
import dev.imajin.contracts.processing.ImageMetadata;
import dev.imajin.contracts.processing.ImageResponse;
import dev.imajin.contracts.processing.OverlayTextRequest;
import dev.imajin.contracts.processing.ResizeRequest;
import dev.imajin.contracts.processing.TextOverlayResult;
import dev.imajin.contracts.processing.ThumbnailRequest;
import dev.imajin.contracts.processing.WatermarkDetectRequest;
import dev.imajin.contracts.processing.WatermarkDetection;
import dev.imajin.contracts.processing.WatermarkEmbedRequest;
import dev.imajin.contracts.processing.WatermarkEmbedResult;
import dev.imajin.contracts.processing.WatermarkVisibleRequest;
import dev.imajin.contracts.processing.WriteMetadataRequest;
import dev.imajin.processing.impl.DefaultProcessingService;
import dev.imajin.runtime.config.ImajinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Image processing: geometry, formats, text, visible and invisible watermarks, PNG metadata. The
 * methods are called on an event loop and return at once; the work runs on the {@code processing}
 * worker pool. Inputs are checked before they are decoded. Failures are {@link
 * dev.imajin.contracts.ImajinException}s: 400 for undecodable base64, 413 for an image that
 * declares more pixels than the limit, 422 for an unknown format, a truncated file or options that
 * cannot apply to the image, 501 for WebP output, 503 when the pool is full or the deadline passed.
 */
public interface ProcessingService {
  static ProcessingService create(Vertx vertx, ImajinConfig.Processing config) {
    return new DefaultProcessingService(vertx, config);
  }

  Future<ImageResponse> resize(ResizeRequest request);

  Future<ImageResponse> crop(CropRequest request);

  Future<ImageResponse> convert(ConvertRequest request);

  Future<ImageResponse> thumbnail(ThumbnailRequest request);

  Future<TextOverlayResult> overlayText(OverlayTextRequest request);

  Future<ImageResponse> watermarkVisible(WatermarkVisibleRequest request);

  Future<WatermarkEmbedResult> watermarkEmbed(WatermarkEmbedRequest request);

  Future<WatermarkDetection> watermarkDetect(WatermarkDetectRequest request);

  Future<ImageResponse> writeMetadata(WriteMetadataRequest request);

  /** The metadata of an encoded image file (PNG text chunks; none for other formats). */
  Future<ImageMetadata> readMetadata(byte[] file);

  /** Stops the worker pool. */
  Future<Void> close();
}
