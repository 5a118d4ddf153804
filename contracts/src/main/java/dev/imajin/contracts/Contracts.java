package dev.imajin.contracts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI documents of imajin's services. Each service's document references shared components
 * as {@code common.yaml#/components/...}; {@link #bundled(ServiceId)} copies the referenced ones
 * in, so that the document a service serves and validates against is self-contained. Thread-safe;
 * documents are read once and cached.
 */
public final class Contracts {
  static final String COMMON = "common.yaml";

  /** The keys of an OpenAPI path item that are operations. */
  public static final java.util.Set<String> HTTP_METHODS =
      java.util.Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .build())
          .registerModule(new io.vertx.core.json.jackson.VertxModule());
  private static final Map<ServiceId, JsonObject> BUNDLED = new ConcurrentHashMap<>();

  private Contracts() {}

  /** The service's self-contained OpenAPI document. Callers must not modify it; copy first. */
  public static JsonObject bundled(ServiceId service) {
    return BUNDLED.computeIfAbsent(service, s -> bundle(read(s.contractResource())));
  }

  /**
   * The document as vertx-openapi can load it: vertx-openapi 5.0 refuses response media types other
   * than JSON, text and octet streams, and the router does not validate responses, so response
   * contents of other media types ({@code application/problem+json}, images, event streams) are
   * left out. Requests are kept whole, except that a {@code text/plain} body's schema becomes raw
   * bytes (see {@link #rawTextBodies}).
   */
  public static JsonObject routable(ServiceId service) {
    JsonObject doc = bundled(service).copy();
    JsonObject responses =
        doc.getJsonObject("components").getJsonObject("responses", new JsonObject());
    responses.forEach(e -> dropUnroutableContent((JsonObject) e.getValue()));
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!HTTP_METHODS.contains(method)) {
          continue;
        }
        JsonObject byStatus = item.getJsonObject(method).getJsonObject("responses");
        byStatus.forEach(e -> dropUnroutableContent((JsonObject) e.getValue()));
        rawTextBodies(item.getJsonObject(method).getJsonObject("requestBody"));
      }
    }
    return doc;
  }

  /**
   * A {@code text/plain} request body reaches the handler as raw bytes: vertx-openapi cannot check
   * bytes against a string schema (it skips validation only for {@code type: string, format:
   * binary}), so the routed copy declares that, and the service checks the text itself.
   */
  private static void rawTextBodies(JsonObject requestBody) {
    JsonObject content = requestBody == null ? null : requestBody.getJsonObject("content");
    if (content == null) {
      return;
    }
    for (String type : content.fieldNames()) {
      if (type.startsWith("text/plain")) {
        content
            .getJsonObject(type)
            .put("schema", new JsonObject().put("type", "string").put("format", "binary"));
      }
    }
  }

  private static void dropUnroutableContent(JsonObject response) {
    JsonObject content = response.getJsonObject("content");
    if (content != null) {
      content
          .fieldNames()
          .removeIf(type -> !io.vertx.openapi.contract.MediaType.isMediaTypeSupported(type));
      if (content.isEmpty()) {
        response.remove("content");
      }
    }
  }

  /** The service's self-contained document as YAML. */
  public static String bundledYaml(ServiceId service) {
    return yaml(bundled(service));
  }

  /**
   * The document as a service serves it at {@code /openapi.yaml}: with its own address as server.
   */
  public static String bundledYaml(ServiceId service, String serverUrl) {
    JsonObject doc = bundled(service).copy();
    doc.put(
        "servers",
        new JsonArray()
            .add(
                new JsonObject()
                    .put("url", serverUrl)
                    .put("description", "This " + service.id() + " service")));
    return yaml(doc);
  }

  private static String yaml(JsonObject doc) {
    try {
      return YAML.writeValueAsString(doc.getMap());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject read(String resource) {
    try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("contract " + resource + " is not on the classpath");
      }
      return new JsonObject(YAML.readValue(in, new TypeReference<Map<String, Object>>() {}));
    } catch (IOException e) {
      throw new UncheckedIOException("contract " + resource + " is not valid YAML", e);
    }
  }

  static JsonObject bundle(JsonObject document) {
    JsonObject doc = document.copy();
    JsonObject common = read("openapi/" + COMMON);
    Deque<String> wanted = new ArrayDeque<>();
    rewriteRefs(doc, wanted);
    while (!wanted.isEmpty()) {
      String pointer = wanted.pop();
      JsonPointer at = JsonPointer.from(pointer);
      Object component = at.queryJson(common);
      if (component == null) {
        throw new IllegalStateException(COMMON + "#" + pointer + " does not exist");
      }
      Object existing = at.queryJson(doc);
      if (existing == null) {
        Object copy = component instanceof JsonObject o ? o.copy() : component;
        at.writeJson(doc, copy, true);
        collectLocalRefs(copy, wanted, doc);
      } else if (!existing.equals(component)) {
        throw new IllegalStateException(
            "the contract defines " + pointer + " itself and also takes it from " + COMMON);
      }
    }
    return doc;
  }

  private static void rewriteRefs(Object node, Deque<String> wanted) {
    if (node instanceof JsonObject object) {
      Object ref = object.getValue("$ref");
      if (ref instanceof String s && s.startsWith(COMMON + "#")) {
        String pointer = s.substring(COMMON.length() + 1);
        object.put("$ref", "#" + pointer);
        wanted.add(pointer);
      }
      object.forEach(e -> rewriteRefs(e.getValue(), wanted));
    } else if (node instanceof JsonArray array) {
      array.forEach(v -> rewriteRefs(v, wanted));
    }
  }

  private static void collectLocalRefs(Object node, Deque<String> wanted, JsonObject doc) {
    if (node instanceof JsonObject object) {
      Object ref = object.getValue("$ref");
      if (ref instanceof String s
          && s.startsWith("#/")
          && JsonPointer.from(s.substring(1)).queryJson(doc) == null) {
        wanted.add(s.substring(1));
      }
      object.forEach(e -> collectLocalRefs(e.getValue(), wanted, doc));
    } else if (node instanceof JsonArray array) {
      array.forEach(v -> collectLocalRefs(v, wanted, doc));
    }
  }
}
