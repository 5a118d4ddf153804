package dev.imajin.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.NumericNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Holds every contract to its examples and its records: each example is valid against its schema
 * (with the same validator the HTTP edge uses), reads into its record and writes back unchanged,
 * and each record has exactly the properties of its schema.
 */
class ContractExamplesTest {
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  @ParameterizedTest
  @EnumSource(ServiceId.class)
  @DisplayName("Every example of a contract is valid and round-trips through its record")
  void examplesAreValidAndRoundTrip(ServiceId service) throws Exception {
    JsonObject doc = Contracts.bundled(service);
    OpenAPIContract contract =
        OpenAPIContract.from(vertx, Contracts.routable(service))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    List<String> checked = new ArrayList<>();
    for (Operation op : contract.operations()) {
      JsonObject raw = rawOperation(doc, op);
      JsonObject body = resolve(doc, raw.getJsonObject("requestBody"));
      if (body != null) {
        checkContent(
            service,
            contract,
            doc,
            op.getOperationId() + " request",
            body.getJsonObject("content"),
            checked);
      }
      JsonObject responses = raw.getJsonObject("responses");
      for (String code : responses.fieldNames()) {
        JsonObject response = resolve(doc, responses.getJsonObject(code));
        if (response.containsKey("content") && !code.equals("default")) {
          checkContent(
              service,
              contract,
              doc,
              op.getOperationId() + " " + code,
              response.getJsonObject("content"),
              checked);
        }
      }
    }
    assertThat(checked).as("examples checked in %s", service).isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(ServiceId.class)
  @DisplayName("Every object schema has a record with exactly its properties")
  void everySchemaHasItsRecord(ServiceId service) {
    JsonObject schemas =
        Contracts.bundled(service).getJsonObject("components").getJsonObject("schemas");
    for (String name : schemas.fieldNames()) {
      JsonObject schema = schemas.getJsonObject(name);
      if (!"object".equals(schema.getString("type"))) {
        continue;
      }
      Class<?> record = recordFor(service, name);
      assertThat(record.isRecord()).as("%s is a record", record.getName()).isTrue();
      Set<String> recordProperties = jsonProperties(record);
      Set<String> schemaProperties = new TreeSet<>(schema.getJsonObject("properties").fieldNames());
      assertThat(recordProperties)
          .as("properties of %s vs schema %s", record.getName(), name)
          .isEqualTo(schemaProperties);
    }
  }

  @ParameterizedTest
  @EnumSource(ServiceId.class)
  @DisplayName("Every contract has an info operation and no parameter collides with a body field")
  void operationsAreBusAddressable(ServiceId service) {
    JsonObject doc = Contracts.bundled(service);
    Set<String> operationIds = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!Contracts.HTTP_METHODS.contains(method)) {
          continue;
        }
        JsonObject op = item.getJsonObject(method);
        String id = op.getString("operationId");
        assertThat(id).as("%s %s has an operationId", method, path).isNotBlank();
        assertThat(operationIds.add(id)).as("operationId %s is unique", id).isTrue();
        Set<String> params = new TreeSet<>();
        for (Object p : op.getJsonArray("parameters", new JsonArray())) {
          params.add(busName(resolve(doc, (JsonObject) p).getString("name")));
        }
        JsonObject body = resolve(doc, op.getJsonObject("requestBody"));
        if (body != null) {
          JsonObject content = body.getJsonObject("content");
          for (String media : content.fieldNames()) {
            JsonObject schema = resolve(doc, content.getJsonObject(media).getJsonObject("schema"));
            Set<String> fields =
                new TreeSet<>(schema.getJsonObject("properties", new JsonObject()).fieldNames());
            fields.retainAll(params);
            assertThat(fields).as("%s: parameters that collide with body fields", id).isEmpty();
          }
        }
      }
    }
    assertThat(operationIds).contains("info");
  }

  static String busName(String parameter) {
    return parameter.toLowerCase().replace('-', '_');
  }

  private void checkContent(
      ServiceId service,
      OpenAPIContract contract,
      JsonObject doc,
      String where,
      JsonObject rawContent,
      List<String> checked)
      throws Exception {
    for (String mediaType : rawContent.fieldNames()) {
      JsonObject raw = rawContent.getJsonObject(mediaType);
      for (Object example : examples(doc, raw)) {
        String label = service + " " + where + " " + mediaType;
        OutputUnit result =
            contract
                .getSchemaRepository()
                .validator(
                    JsonSchema.of(absoluteRefs(raw.getJsonObject("schema").copy())),
                    SCHEMA_OPTIONS,
                    false)
                .validate(example);
        if (!result.getValid()) {
          fail(
              label
                  + " example is invalid: "
                  + result.getErrors().stream()
                      .map(u -> u.getInstanceLocation() + ": " + u.getError())
                      .collect(Collectors.joining("; ")));
        }
        String ref = raw.getJsonObject("schema").getString("$ref");
        if (ref != null
            && ref.startsWith("#/components/schemas/")
            && example instanceof JsonObject json) {
          Class<?> type = recordFor(service, ref.substring(ref.lastIndexOf('/') + 1));
          Object record = Json.fromJson(json, type);
          JsonNode back = Json.mapper().valueToTree(record);
          JsonNode original = Json.mapper().valueToTree(json);
          assertThat(back.equals(NUMERIC_EQUAL, original))
              .as(
                  "%s example round-trips through %s:%n%s%nvs%n%s",
                  label, type.getSimpleName(), original, back)
              .isTrue();
        }
        checked.add(label);
      }
    }
  }

  private static final JsonSchemaOptions SCHEMA_OPTIONS =
      new JsonSchemaOptions()
          .setBaseUri("app:///")
          .setDraft(Draft.DRAFT202012)
          .setOutputFormat(OutputFormat.Basic);

  private static final java.util.Comparator<JsonNode> NUMERIC_EQUAL =
      (a, b) -> {
        if (a instanceof NumericNode && b instanceof NumericNode) {
          return Double.compare(a.doubleValue(), b.doubleValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  /** Schemas of the contract are known to its repository under the base {@code app:///}. */
  private static JsonObject absoluteRefs(JsonObject schema) {
    schema.forEach(
        e -> {
          if (e.getKey().equals("$ref")
              && e.getValue() instanceof String ref
              && ref.startsWith("#")) {
            e.setValue(SCHEMA_OPTIONS.getBaseUri() + ref);
          } else if (e.getValue() instanceof JsonObject nested) {
            absoluteRefs(nested);
          } else if (e.getValue() instanceof JsonArray items) {
            items.forEach(
                i -> {
                  if (i instanceof JsonObject o) absoluteRefs(o);
                });
          }
        });
    return schema;
  }

  private static List<Object> examples(JsonObject doc, JsonObject media) {
    List<Object> found = new ArrayList<>();
    if (media.containsKey("example")) {
      found.add(media.getValue("example"));
    }
    JsonObject named = media.getJsonObject("examples", new JsonObject());
    for (String name : named.fieldNames()) {
      found.add(resolve(doc, named.getJsonObject(name)).getValue("value"));
    }
    return found;
  }

  private static JsonObject rawOperation(JsonObject doc, Operation op) {
    return doc.getJsonObject("paths")
        .getJsonObject(op.getOpenAPIPath())
        .getJsonObject(op.getHttpMethod().name().toLowerCase());
  }

  private static JsonObject resolve(JsonObject doc, JsonObject node) {
    while (node != null && node.containsKey("$ref")) {
      node = (JsonObject) JsonPointer.from(node.getString("$ref").substring(1)).queryJson(doc);
    }
    return node;
  }

  static Class<?> recordFor(ServiceId service, String schema) {
    for (String pkg : List.of(service.recordPackage(), "dev.imajin.contracts.common")) {
      try {
        return Class.forName(pkg + "." + schema);
      } catch (ClassNotFoundException e) {
        // try the next package
      }
    }
    throw new AssertionError(
        "schema "
            + schema
            + " of "
            + service
            + " has no record in "
            + service.recordPackage()
            + " or dev.imajin.contracts.common");
  }

  private static Set<String> jsonProperties(Class<?> type) {
    BeanDescription description =
        Json.mapper().getSerializationConfig().introspect(Json.mapper().constructType(type));
    return description.findProperties().stream()
        .map(BeanPropertyDefinition::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
