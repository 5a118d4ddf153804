package dev.imajin.processing;

import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.processing.ConvertRequest;
import dev.imajin.contracts.processing.CropRequest;
import dev.imajin.contracts.processing.OverlayTextRequest;
import dev.imajin.contracts.processing.ReadMetadataRequest;
import dev.imajin.contracts.processing.ResizeRequest;
import dev.imajin.contracts.processing.ThumbnailRequest;
import dev.imajin.contracts.processing.WatermarkDetectRequest;
import dev.imajin.contracts.processing.WatermarkEmbedRequest;
import dev.imajin.contracts.processing.WatermarkVisibleRequest;
import dev.imajin.contracts.processing.WriteMetadataRequest;
import dev.imajin.processing.impl.DefaultProcessingService;
import dev.imajin.runtime.OperationInput;
import dev.imajin.runtime.Operations;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;
import io.vertx.core.Future;

/**
 * The processing service on its contract. Background removal and upscaling need models and are not
 * built yet: they answer 501.
 */
public final class ProcessingVerticle extends ServiceVerticle {
  private ProcessingService service;

  public ProcessingVerticle(ServiceContext context) {
    super(ServiceId.PROCESSING, context);
  }

  @Override
  protected void bind(Operations operations) {
    service = ProcessingService.create(vertx, context.config().processing());
    operations
        .bind("resize", ResizeRequest.class, service::resize)
        .bind("crop", CropRequest.class, service::crop)
        .bind("convert", ConvertRequest.class, service::convert)
        .bind("thumbnail", ThumbnailRequest.class, service::thumbnail)
        .bind("overlayText", OverlayTextRequest.class, service::overlayText)
        .bind("watermarkVisible", WatermarkVisibleRequest.class, service::watermarkVisible)
        .bind("watermarkEmbed", WatermarkEmbedRequest.class, service::watermarkEmbed)
        .bind("watermarkDetect", WatermarkDetectRequest.class, service::watermarkDetect)
        .bind("writeMetadata", WriteMetadataRequest.class, service::writeMetadata)
        .bind("readMetadata", this::readMetadata);
  }

  private Future<?> readMetadata(OperationInput in) {
    byte[] file =
        in.raw() != null
            ? in.raw().getBytes()
            : DefaultProcessingService.bytes(in.body(ReadMetadataRequest.class).image());
    return service.readMetadata(file);
  }

  @Override
  public Future<?> stop() {
    return super.stop().compose(v -> service == null ? Future.succeededFuture() : service.close());
  }
}
