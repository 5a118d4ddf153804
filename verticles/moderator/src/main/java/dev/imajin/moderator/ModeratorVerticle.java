package dev.imajin.moderator;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.moderator.AddHashesRequest;
import dev.imajin.contracts.moderator.CreateBankRequest;
import dev.imajin.contracts.moderator.HashImageRequest;
import dev.imajin.contracts.moderator.ImportHashesRequest;
import dev.imajin.contracts.moderator.MatchHashRequest;
import dev.imajin.contracts.moderator.MatchImageRequest;
import dev.imajin.contracts.moderator.RemoveHashesRequest;
import dev.imajin.runtime.OperationInput;
import dev.imajin.runtime.Operations;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;

/**
 * The moderation service on its contract ({@code contracts/.../openapi/moderator.yaml}). Built so
 * far: PDQ hashing and the hash banks ({@code hashImage}, {@code createBank}, {@code listBanks},
 * {@code getBank}, {@code deleteBank}, {@code addHashes}, {@code removeHashes}, {@code
 * importHashes}, {@code matchImage}, {@code matchHash}) and {@code info}. The other operations
 * (moderation, incidents, policy) answer 501 over HTTP and the event bus.
 */
public final class ModeratorVerticle extends ServiceVerticle {
  private ModeratorService service;

  public ModeratorVerticle(ServiceContext context) {
    super(ServiceId.MODERATOR, context);
  }

  @Override
  public Future<?> start() {
    ModeratorService created =
        ModeratorService.create(vertx, context.redis(), context.config().moderator());
    return created
        .start()
        .compose(
            v -> {
              service = created;
              return super.start();
            })
        .onFailure(e -> created.close());
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
        .bind("matchHash", MatchHashRequest.class, service::matchHash);
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
