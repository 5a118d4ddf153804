package dev.imajin.moderator;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.common.FieldError;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.contracts.moderator.AddHashesRequest;
import dev.imajin.contracts.moderator.CreateBankRequest;
import dev.imajin.contracts.moderator.HashImageRequest;
import dev.imajin.contracts.moderator.ImportHashesRequest;
import dev.imajin.contracts.moderator.MatchHashRequest;
import dev.imajin.contracts.moderator.MatchImageRequest;
import dev.imajin.contracts.moderator.ModerateImageRequest;
import dev.imajin.contracts.moderator.ModeratePromptRequest;
import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.contracts.moderator.RemoveHashesRequest;
import dev.imajin.runtime.OperationInput;
import dev.imajin.runtime.Operations;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The moderation service on its contract ({@code contracts/.../openapi/moderator.yaml}): every
 * operation over HTTP and the event bus. {@code importHashes} takes bodies up to {@code
 * moderator.max-import-bytes}; every other operation is bounded by {@code http.max-body-bytes}.
 */
public final class ModeratorVerticle extends ServiceVerticle {
  /** The contract's default page of incidents. */
  static final int DEFAULT_PAGE = 50;

  private ModeratorService service;

  public ModeratorVerticle(ServiceContext context) {
    super(ServiceId.MODERATOR, context);
  }

  @Override
  public Future<?> start() {
    return ModeratorService.start(vertx, context)
        .compose(
            started -> {
              service = started;
              return super.start().onFailure(e -> started.close());
            });
  }

  /** The service, for callers in the same JVM; null before start. */
  public ModeratorService service() {
    return service;
  }

  @Override
  protected Map<String, Supplier<Future<?>>> readinessChecks() {
    return Map.of("layers", () -> service.ready());
  }

  @Override
  protected List<ModelRef> loadedModels() {
    return service == null ? List.of() : service.loadedModels();
  }

  @Override
  protected Map<String, Long> bodyLimits() {
    return Map.of("importHashes", context.config().moderator().maxImportBytes());
  }

  @Override
  protected void bind(Operations operations) {
    operations
        .bind("hashImage", HashImageRequest.class, service::hashImage)
        .bind("createBank", CreateBankRequest.class, service::createBank)
        .bind("listBanks", in -> service.listBanks())
        .bind("getBank", in -> service.getBank(in.param("bank_id")))
        .bind("deleteBank", in -> service.deleteBank(in.param("bank_id")))
        .bind(
            "addHashes",
            AddHashesRequest.class,
            (body, in) -> service.addHashes(in.param("bank_id"), body))
        .bind(
            "removeHashes",
            RemoveHashesRequest.class,
            (body, in) -> service.removeHashes(in.param("bank_id"), body))
        .bind("importHashes", this::importHashes)
        .bind("matchImage", MatchImageRequest.class, service::matchImage)
        .bind("matchHash", MatchHashRequest.class, service::matchHash)
        .bind(
            "moderateImage",
            ModerateImageRequest.class,
            (body, in) -> service.moderateImage(body, in.requestId()))
        .bind(
            "moderatePrompt",
            ModeratePromptRequest.class,
            (body, in) -> service.moderatePrompt(body, in.requestId()))
        .bind("getPolicy", in -> service.getPolicy())
        .bind("listIncidents", this::listIncidents)
        .bind("getIncident", in -> service.getIncident(in.param("incident_id")));
  }

  private Future<?> listIncidents(OperationInput in) {
    Set<ModerationCategory> categories = new LinkedHashSet<>();
    Object category = in.params().getValue("category");
    if (category instanceof JsonArray many) {
      for (Object c : many) {
        categories.add(Json.mapper().convertValue(c, ModerationCategory.class));
      }
    } else if (category != null) {
      categories.add(Json.mapper().convertValue(category, ModerationCategory.class));
    }
    String limit = in.param("limit");
    return service.listIncidents(
        instant(in, "since"),
        instant(in, "until"),
        categories,
        in.param("verdict"),
        limit == null ? DEFAULT_PAGE : (int) Double.parseDouble(limit),
        in.param("cursor"));
  }

  private static Instant instant(OperationInput in, String name) {
    String value = in.param(name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw ImajinException.validation(
          name + " is not a date-time",
          List.of(new FieldError("/" + name, "must be an RFC 3339 date-time, was " + value)));
    }
  }

  private Future<?> importHashes(OperationInput in) {
    String text;
    if (in.raw() != null) {
      text = in.raw().toString(StandardCharsets.UTF_8);
    } else if (in.body() != null) {
      text = in.body(ImportHashesRequest.class).text();
    } else {
      throw ImajinException.badRequest(
          "the import has no body: send text/plain or {\"text\": ...}");
    }
    return service.importHashes(in.param("bank_id"), text);
  }

  @Override
  public Future<?> stop() {
    return super.stop().compose(v -> service == null ? Future.succeededFuture() : service.close());
  }
}
