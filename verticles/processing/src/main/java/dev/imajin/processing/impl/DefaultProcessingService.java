package dev.imajin.processing.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.common.ImageResult;
import dev.imajin.contracts.common.MediaType;
import dev.imajin.contracts.processing.ConvertRequest;
import dev.imajin.contracts.processing.CropRequest;
import dev.imajin.contracts.processing.Font;
import dev.imajin.contracts.processing.ImageFormat;
import dev.imajin.contracts.processing.ImageMetadata;
import dev.imajin.contracts.processing.ImageResponse;
import dev.imajin.contracts.processing.OutputOptions;
import dev.imajin.contracts.processing.OverlayTextRequest;
import dev.imajin.contracts.processing.Placement;
import dev.imajin.contracts.processing.Rect;
import dev.imajin.contracts.processing.ResizeRequest;
import dev.imajin.contracts.processing.TextOverlayResult;
import dev.imajin.contracts.processing.ThumbnailRequest;
import dev.imajin.contracts.processing.WatermarkDetectRequest;
import dev.imajin.contracts.processing.WatermarkDetection;
import dev.imajin.contracts.processing.WatermarkEmbedRequest;
import dev.imajin.contracts.processing.WatermarkEmbedResult;
import dev.imajin.contracts.processing.WatermarkVisibleRequest;
import dev.imajin.contracts.processing.WriteMetadataRequest;
import dev.imajin.processing.ProcessingService;
import dev.imajin.processing.image.InvisibleWatermark;
import dev.imajin.processing.image.Resampler;
import dev.imajin.processing.image.TextOverlay;
import dev.imajin.processing.image.VisibleWatermark;
import dev.imajin.runtime.config.ImajinConfig;
import dev.imajin.runtime.images.ImageCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.function.Function;

/** {@link ProcessingService} on the {@code processing} worker pool. */
public final class DefaultProcessingService implements ProcessingService {
  static final int DEFAULT_QUALITY = OutputOptions.DEFAULT_QUALITY;

  private final Worker worker;
  private final ImajinConfig.Processing config;

  public DefaultProcessingService(Vertx vertx, ImajinConfig.Processing config) {
    this.worker = new Worker(vertx, config);
    this.config = config;
  }

  @Override
  public Future<ImageResponse> resize(ResizeRequest r) {
    return work(
        job -> {
          ImageCodec.Decoded in = read(r.image(), job);
          BufferedImage src = in.image();
          Resampler.Plan plan =
              Resampler.plan(
                  or(r.mode(), ResizeRequest.Mode.FIT) == ResizeRequest.Mode.FIT
                      ? Resampler.Mode.FIT
                      : r.mode() == ResizeRequest.Mode.FILL
                          ? Resampler.Mode.FILL
                          : Resampler.Mode.EXACT,
                  src.getWidth(),
                  src.getHeight(),
                  r.width(),
                  r.height(),
                  anchor(r.anchor(), Resampler.Anchor.CENTER),
                  or(r.allowEnlarge(), true));
          BufferedImage out = Resampler.resize(src, plan, filter(r.filter()));
          return new ImageResponse(write(out, in, r.output(), job));
        });
  }

  @Override
  public Future<ImageResponse> crop(CropRequest r) {
    return work(
        job -> {
          ImageCodec.Decoded in = read(r.image(), job);
          BufferedImage out = Resampler.crop(in.image(), r.x(), r.y(), r.width(), r.height());
          return new ImageResponse(write(out, in, r.output(), job));
        });
  }

  @Override
  public Future<ImageResponse> convert(ConvertRequest r) {
    return work(
        job -> {
          ImageCodec.Decoded in = read(r.image(), job);
          Color background =
              TextOverlay.parseColor(or(r.background(), ConvertRequest.DEFAULT_BACKGROUND));
          MediaType format = mediaType(r.format());
          return new ImageResponse(
              encode(
                  in.image(),
                  format,
                  or(r.quality(), ConvertRequest.DEFAULT_QUALITY),
                  background,
                  job));
        });
  }

  @Override
  public Future<ImageResponse> thumbnail(ThumbnailRequest r) {
    return work(
        job -> {
          ImageCodec.Decoded in = read(r.image(), job);
          BufferedImage src = in.image();
          int size = or(r.maxSize(), ThumbnailRequest.DEFAULT_MAX_SIZE);
          Resampler.Plan plan =
              Resampler.plan(
                  or(r.square(), false) ? Resampler.Mode.FILL : Resampler.Mode.FIT,
                  src.getWidth(),
                  src.getHeight(),
                  size,
                  size,
                  Resampler.Anchor.CENTER,
                  false);
          return new ImageResponse(
              write(Resampler.resize(src, plan, filter(r.filter())), in, r.output(), job));
        });
  }

  @Override
  public Future<TextOverlayResult> overlayText(OverlayTextRequest r) {
    return work(
        job -> {
          ImageCodec.Decoded in = read(r.image(), job);
          Font font = or(r.font(), new Font(null, null, null, null));
          Placement at = or(r.position(), new Placement(null, null, null));
          TextOverlay.Options.Builder options =
              TextOverlay.Options.builder()
                  .font(
                      or(font.family(), Font.DEFAULT_FAMILY),
                      or(font.size(), Font.DEFAULT_SIZE),
                      or(font.bold(), false),
                      or(font.italic(), false))
                  .color(TextOverlay.parseColor(or(r.color(), OverlayTextRequest.DEFAULT_COLOR)))
                  .opacity(or(r.opacity(), 1.0))
                  .position(
                      anchor(at.anchor(), Resampler.Anchor.BOTTOM),
                      or(at.offsetX(), 0),
                      or(at.offsetY(), 0))
                  .align(
                      TextOverlay.Align.valueOf(
                          or(r.align(), OverlayTextRequest.Align.CENTER).name()))
                  .wrap(or(r.wrap(), true))
                  .maxWidth(r.maxWidth())
                  .maxLines(r.maxLines())
                  .lineSpacing(or(r.lineSpacing(), OverlayTextRequest.DEFAULT_LINE_SPACING))
                  .shrinkToFit(or(r.shrinkToFit(), false));
          if (r.outline() != null) {
            options.outline(
                new TextOverlay.Outline(
                    TextOverlay.parseColor(
                        or(
                            r.outline().color(),
                            dev.imajin.contracts.processing.TextOutline.DEFAULT_COLOR)),
                    or(
                        r.outline().width(),
                        dev.imajin.contracts.processing.TextOutline.DEFAULT_WIDTH)));
          }
          if (r.shadow() != null) {
            options.shadow(
                new TextOverlay.Shadow(
                    TextOverlay.parseColor(
                        or(
                            r.shadow().color(),
                            dev.imajin.contracts.processing.TextShadow.DEFAULT_COLOR)),
                    or(r.shadow().offsetX(), 2),
                    or(r.shadow().offsetY(), 2),
                    or(r.shadow().blur(), 0)));
          }
          TextOverlay.Result drawn = TextOverlay.draw(in.image(), r.text(), options.build());
          Resampler.Rect b = drawn.bounds();
          return new TextOverlayResult(
              write(drawn.image(), in, r.output(), job),
              drawn.lines(),
              drawn.fontSize(),
              new Rect(b.x(), b.y(), b.width(), b.height()),
              drawn.truncated());
        });
  }

  @Override
  public Future<ImageResponse> watermarkVisible(WatermarkVisibleRequest r) {
    return work(
        job -> {
          ImageCodec.Decoded in = read(r.image(), job);
          Font font = or(r.font(), new Font(null, null, null, null));
          Placement at = or(r.position(), new Placement(null, null, null));
          VisibleWatermark.Options options =
              VisibleWatermark.Options.builder()
                  .font(
                      or(font.family(), Font.DEFAULT_FAMILY),
                      font.size(),
                      or(font.bold(), false),
                      or(font.italic(), false))
                  .color(TextOverlay.parseColor(or(r.color(), "#FFFFFF")))
                  .opacity(or(r.opacity(), WatermarkVisibleRequest.DEFAULT_OPACITY))
                  .position(
                      anchor(at.anchor(), Resampler.Anchor.BOTTOM_RIGHT),
                      at.offsetX(),
                      at.offsetY())
                  .scale(or(r.scale(), WatermarkVisibleRequest.DEFAULT_SCALE))
                  .tile(
                      or(r.tile(), false),
                      or(r.tileSpacing(), WatermarkVisibleRequest.DEFAULT_TILE_SPACING))
                  .angle(or(r.angle(), 0.0))
                  .build();
          BufferedImage out =
              r.logo() != null
                  ? VisibleWatermark.applyLogo(in.image(), read(r.logo(), job).image(), options)
                  : VisibleWatermark.applyText(in.image(), r.text(), options);
          return new ImageResponse(write(out, in, r.output(), job));
        });
  }

  @Override
  public Future<WatermarkEmbedResult> watermarkEmbed(WatermarkEmbedRequest r) {
    return work(
        job -> {
          ImageCodec.Decoded in = read(r.image(), job);
          double strength = or(r.strength(), WatermarkEmbedRequest.DEFAULT_STRENGTH);
          InvisibleWatermark.Embedded marked =
              InvisibleWatermark.embed(in.image(), r.key(), strength);
          return new WatermarkEmbedResult(
              write(marked.image(), in, r.output(), job),
              strength,
              Math.round(marked.psnr() * 100) / 100.0);
        });
  }

  @Override
  public Future<WatermarkDetection> watermarkDetect(WatermarkDetectRequest r) {
    return work(
        job -> {
          ImageCodec.Decoded in = read(r.image(), job);
          double threshold = or(r.threshold(), config.watermarkThreshold());
          double confidence = InvisibleWatermark.detect(in.image(), r.key());
          return new WatermarkDetection(confidence >= threshold, confidence, threshold);
        });
  }

  @Override
  public Future<ImageResponse> writeMetadata(WriteMetadataRequest r) {
    return work(
        job -> {
          byte[] file = bytes(r.image());
          ImageCodec.Header header = ImageCodec.header(file);
          checkHint(r.image(), header.format());
          byte[] png =
              header.format() == MediaType.PNG
                  ? file
                  : ImageCodec.encode(
                      decode(file, job).image(), MediaType.PNG, DEFAULT_QUALITY, Color.WHITE);
          job.checkDeadline();
          byte[] written = Metadata.write(png, r.parameters(), r.chunks(), or(r.replace(), false));
          return new ImageResponse(result(written, MediaType.PNG, header.width(), header.height()));
        });
  }

  @Override
  public Future<ImageMetadata> readMetadata(byte[] file) {
    return work(job -> Metadata.read(file, ImageCodec.header(file)));
  }

  /** Decodes base64 from a request; used for JSON bodies. */
  public static byte[] bytes(ImageData image) {
    try {
      return Base64.getMimeDecoder().decode(image.b64());
    } catch (IllegalArgumentException e) {
      throw ImajinException.badRequest("image.b64 is not valid base64: " + e.getMessage());
    }
  }

  @Override
  public Future<Void> close() {
    return worker.close();
  }

  private <T> Future<T> work(Function<Worker.Job, T> task) {
    return worker.run(
        job -> {
          try {
            return task.apply(job);
          } catch (IllegalArgumentException e) {
            throw ImajinException.unprocessable(e.getMessage());
          }
        });
  }

  private ImageCodec.Decoded read(ImageData image, Worker.Job job) {
    byte[] file = bytes(image);
    ImageCodec.Decoded decoded = decode(file, job);
    checkHint(image, decoded.format());
    image.checkDescribes(
        decoded.image().getWidth(), decoded.image().getHeight(), file.length, "image");
    return decoded;
  }

  private ImageCodec.Decoded decode(byte[] file, Worker.Job job) {
    job.checkDeadline();
    ImageCodec.Decoded decoded = ImageCodec.decode(file, config.maxPixels(), job::onExpiry);
    job.checkDeadline();
    return decoded;
  }

  private static void checkHint(ImageData image, MediaType actual) {
    if (image.mediaType() != null && image.mediaType() != actual) {
      throw ImajinException.unprocessable(
          "image.media_type says "
              + wire(image.mediaType())
              + " but the bytes are "
              + wire(actual));
    }
  }

  /**
   * Encodes the result as asked, or in the input's format (PNG for WebP input, which is not
   * written).
   */
  private static ImageResult write(
      BufferedImage out, ImageCodec.Decoded in, OutputOptions output, Worker.Job job) {
    MediaType format =
        output != null && output.format() != null
            ? mediaType(output.format())
            : in.format() == MediaType.WEBP ? MediaType.PNG : in.format();
    int quality = output != null && output.quality() != null ? output.quality() : DEFAULT_QUALITY;
    return encode(out, format, quality, Color.WHITE, job);
  }

  private static ImageResult encode(
      BufferedImage image, MediaType format, int quality, Color background, Worker.Job job) {
    job.checkDeadline();
    return result(
        ImageCodec.encode(image, format, quality, background),
        format,
        image.getWidth(),
        image.getHeight());
  }

  static ImageResult result(byte[] file, MediaType format, int width, int height) {
    return new ImageResult(
        Base64.getEncoder().encodeToString(file), format, width, height, file.length);
  }

  private static MediaType mediaType(ImageFormat format) {
    return switch (format) {
      case PNG -> MediaType.PNG;
      case JPEG -> MediaType.JPEG;
      case WEBP -> MediaType.WEBP;
    };
  }

  static String wire(MediaType type) {
    return switch (type) {
      case PNG -> "image/png";
      case JPEG -> "image/jpeg";
      case WEBP -> "image/webp";
    };
  }

  private static Resampler.Filter filter(dev.imajin.contracts.processing.Filter filter) {
    return filter == null ? Resampler.Filter.LANCZOS : Resampler.Filter.valueOf(filter.name());
  }

  private static Resampler.Anchor anchor(
      dev.imajin.contracts.processing.Anchor anchor, Resampler.Anchor absent) {
    return anchor == null ? absent : Resampler.Anchor.valueOf(anchor.name());
  }

  private static <T> T or(T value, T absent) {
    return value == null ? absent : value;
  }
}
