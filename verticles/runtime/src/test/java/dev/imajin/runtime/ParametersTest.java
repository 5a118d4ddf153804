package dev.imajin.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.testing.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Parameters read the same over HTTP and the event bus, on the moderator's {@code listIncidents} (a
 * repeated, exploded array of enum values and an integer), and unreadable values are 400s.
 */
class ParametersTest {
  private static Vertx vertx;
  private static WebClient http;
  private static int port;

  /** Answers listIncidents with the parameters it was given, in place of the real service. */
  static final class EchoParameters extends ServiceVerticle {
    EchoParameters(ServiceContext context) {
      super(ServiceId.MODERATOR, context);
    }

    @Override
    protected void bind(Operations operations) {
      operations.bind("listIncidents", in -> Future.succeededFuture(in.params()));
    }
  }

  @BeforeAll
  static void deploy() {
    vertx = Vertx.vertx();
    EchoParameters service = new EchoParameters(TestNodes.context(vertx));
    vertx.deployVerticle(service).await();
    port = service.actualPort();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  @DisplayName("A repeated query parameter and its JSON array on the bus give the same values")
  void arraysReadAlike() {
    HttpResponse<Buffer> response =
        http.get(port, "localhost", "/v1/incidents?category=sexual&category=violence&limit=5")
            .send()
            .await();
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonObject overHttp = response.bodyAsJsonObject();
    JsonObject overBus =
        (JsonObject)
            vertx
                .eventBus()
                .request(
                    Addresses.Moderator.LIST_INCIDENTS,
                    new JsonObject()
                        .put("category", new JsonArray().add("sexual").add("violence"))
                        .put("limit", 5))
                .await()
                .body();
    assertThat(overHttp.getJsonArray("category")).containsExactly("sexual", "violence");
    assertThat(overHttp.getInteger("limit")).isEqualTo(5);
    assertThat(overBus).isEqualTo(overHttp);
  }

  @Test
  @DisplayName("Values outside the contract, or unreadable, are 400 problems on both transports")
  void badValuesAre400() {
    for (String query : new String[] {"?category=nonsense", "?category=", "?limit=many"}) {
      HttpResponse<Buffer> response =
          http.get(port, "localhost", "/v1/incidents" + query).send().await();
      assertThat(response.statusCode()).as(query + ": " + response.bodyAsString()).isEqualTo(400);
    }
    for (Object category : new Object[] {new JsonArray().add("nonsense"), "", "sexual,nonsense"}) {
      assertThatThrownBy(
              () ->
                  vertx
                      .eventBus()
                      .request(
                          Addresses.Moderator.LIST_INCIDENTS,
                          new JsonObject().put("category", category))
                      .await())
          .as("category %s", category)
          .isInstanceOfSatisfying(
              ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
    }
  }
}
