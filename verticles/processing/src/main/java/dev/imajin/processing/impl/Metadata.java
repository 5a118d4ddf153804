package dev.imajin.processing.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.common.MediaType;
import dev.imajin.contracts.processing.GenerationParameters;
import dev.imajin.contracts.processing.ImageMetadata;
import dev.imajin.contracts.processing.TextChunk;
import dev.imajin.processing.image.PngText;
import dev.imajin.runtime.images.ImageCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generation parameters in PNG text chunks: as JSON under {@code imajin:parameters}, and in the
 * {@code parameters} text form other image tools read and write.
 */
final class Metadata {
  private Metadata() {}

  static byte[] write(
      byte[] png, GenerationParameters parameters, List<TextChunk> chunks, boolean replace) {
    List<PngText.Chunk> written = new ArrayList<>();
    if (parameters != null) {
      written.add(new PngText.Chunk(PngText.JSON_KEYWORD, json(parameters)));
      written.add(
          new PngText.Chunk(
              PngText.A1111_KEYWORD,
              PngText.a1111(
                  parameters.prompt() == null ? "" : parameters.prompt(),
                  parameters.negativePrompt(),
                  settings(parameters))));
    }
    if (chunks != null) {
      for (TextChunk chunk : chunks) {
        written.add(
            new PngText.Chunk(
                chunk.keyword(), chunk.text(), Boolean.TRUE.equals(chunk.compressed())));
      }
    }
    return PngText.write(png, written, replace);
  }

  static ImageMetadata read(byte[] file, ImageCodec.Header header) {
    List<TextChunk> chunks = new ArrayList<>();
    GenerationParameters fromJson = null;
    GenerationParameters fromText = null;
    if (header.format() == MediaType.PNG) {
      for (PngText.Chunk chunk : PngText.read(file)) {
        chunks.add(new TextChunk(chunk.keyword(), chunk.text(), chunk.compressed()));
        if (chunk.keyword().equals(PngText.JSON_KEYWORD)) {
          fromJson = fromJson(chunk.text());
        } else if (chunk.keyword().equals(PngText.A1111_KEYWORD)) {
          fromText = fromA1111(PngText.parseA1111(chunk.text()));
        }
      }
    }
    return new ImageMetadata(
        header.format(),
        header.width(),
        header.height(),
        file.length,
        fromJson != null ? fromJson : fromText,
        chunks);
  }

  private static String json(GenerationParameters parameters) {
    try {
      return Json.mapper().writeValueAsString(parameters);
    } catch (JsonProcessingException e) {
      throw ImajinException.internal("the parameters cannot be written as JSON", e);
    }
  }

  /** The JSON chunk, or null when another tool wrote something else under that keyword. */
  private static GenerationParameters fromJson(String text) {
    try {
      return Json.mapper().readValue(text, GenerationParameters.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  static Map<String, String> settings(GenerationParameters p) {
    Map<String, String> settings = new LinkedHashMap<>();
    put(settings, "Steps", p.steps());
    put(settings, "Sampler", p.scheduler());
    put(settings, "CFG scale", p.guidance());
    put(settings, "Seed", p.seed());
    if (p.width() != null && p.height() != null) {
      settings.put("Size", p.width() + "x" + p.height());
    }
    put(settings, "Model hash", p.modelHash());
    put(settings, "Model", p.model());
    put(settings, "Denoising strength", p.strength());
    put(settings, "Version", p.software());
    return settings;
  }

  private static void put(Map<String, String> settings, String key, Object value) {
    if (value != null) {
      settings.put(key, value.toString());
    }
  }

  /** The parameters the text form carries; values outside the contract's ranges are left out. */
  static GenerationParameters fromA1111(PngText.A1111 text) {
    Map<String, String> s = text.settings();
    Integer width = null;
    Integer height = null;
    String size = s.get("Size");
    if (size != null && size.matches("\\d{1,5}x\\d{1,5}")) {
      width = within(Integer.parseInt(size.substring(0, size.indexOf('x'))), 1, 16384);
      height = within(Integer.parseInt(size.substring(size.indexOf('x') + 1)), 1, 16384);
    }
    Long seed = number(s.get("Seed"), Long::valueOf);
    Integer steps = number(s.get("Steps"), Integer::valueOf);
    Double guidance = number(s.get("CFG scale"), Double::valueOf);
    Double strength = number(s.get("Denoising strength"), Double::valueOf);
    String hash = s.get("Model hash");
    return new GenerationParameters(
        limit(text.prompt(), 4000),
        limit(text.negativePrompt(), 4000),
        limit(s.get("Model"), 128),
        hash != null && hash.matches("[0-9a-fA-F]{8,64}") ? hash : null,
        seed != null && seed >= 0 && seed <= 4294967295L ? seed : null,
        steps != null ? within(steps, 1, 150) : null,
        guidance != null && guidance >= 0 && guidance <= 30 ? guidance : null,
        limit(s.get("Sampler"), 64),
        strength != null && strength >= 0 && strength <= 1 ? strength : null,
        width,
        height,
        limit(s.get("Version"), 128),
        null,
        null);
  }

  private static <T> T number(String text, java.util.function.Function<String, T> parse) {
    try {
      return text == null ? null : parse.apply(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Integer within(int value, int min, int max) {
    return value >= min && value <= max ? value : null;
  }

  private static String limit(String text, int max) {
    return text == null || text.isEmpty() || text.length() > max ? null : text;
  }
}
