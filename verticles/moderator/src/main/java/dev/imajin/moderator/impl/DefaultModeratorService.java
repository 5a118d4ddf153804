package dev.imajin.moderator.impl;

import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.contracts.moderator.AddHashesRequest;
import dev.imajin.contracts.moderator.BankDeletion;
import dev.imajin.contracts.moderator.BankList;
import dev.imajin.contracts.moderator.CreateBankRequest;
import dev.imajin.contracts.moderator.HashBank;
import dev.imajin.contracts.moderator.HashChangeResult;
import dev.imajin.contracts.moderator.HashImageRequest;
import dev.imajin.contracts.moderator.Incident;
import dev.imajin.contracts.moderator.IncidentPage;
import dev.imajin.contracts.moderator.MatchHashRequest;
import dev.imajin.contracts.moderator.MatchImageRequest;
import dev.imajin.contracts.moderator.MatchResult;
import dev.imajin.contracts.moderator.ModerateImageRequest;
import dev.imajin.contracts.moderator.ModeratePromptRequest;
import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.contracts.moderator.ModerationResult;
import dev.imajin.contracts.moderator.PdqHash;
import dev.imajin.contracts.moderator.Policy;
import dev.imajin.contracts.moderator.RemoveHashesRequest;
import dev.imajin.inference.model.ModelCatalog;
import dev.imajin.inference.model.ModelTask;
import dev.imajin.inference.runtime.HostedModels;
import dev.imajin.moderator.ModeratorService;
import dev.imajin.moderator.banks.BankStore;
import dev.imajin.moderator.banks.BankSync;
import dev.imajin.moderator.incidents.IncidentLog;
import dev.imajin.moderator.layers.Layers;
import dev.imajin.moderator.layers.ModerationLayer;
import dev.imajin.moderator.policy.ModerationPolicy;
import dev.imajin.moderator.policy.PolicyException;
import dev.imajin.runtime.ServiceClient;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.config.ImajinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.redis.client.Redis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moderator: moderation of images and prompts (see {@link Moderation}), the policy, the
 * incident log ({@link IncidentLog}), and PDQ hashing and hash banks ({@link HashBanks}), all on
 * the worker pool {@code imajin-moderator}.
 */
public final class DefaultModeratorService implements ModeratorService {
  static final String SERVICE = "moderator";
  static final String INCIDENTS_KEY = "imajin:moderator:incidents";
  static final long TRIM_EVERY_MS = 3_600_000;

  private static final Logger LOG = LoggerFactory.getLogger(DefaultModeratorService.class);

  private final Vertx vertx;
  private final ImajinConfig.Moderator config;
  private final BankSync sync;
  private final WorkerExecutor worker;
  private final HashBanks banks;
  private HostedModels models;
  private IncidentLog incidents;
  private Moderation moderation;
  private volatile Future<Void> warmed;
  private long trimTimer;

  public DefaultModeratorService(Vertx vertx, Redis redis, ImajinConfig.Moderator config) {
    this.vertx = vertx;
    this.config = config;
    BankStore store = new BankStore(redis, config.changeLogMaxEntries());
    this.worker =
        vertx.createSharedWorkerExecutor(
            "imajin-moderator", Math.max(2, Runtime.getRuntime().availableProcessors()));
    this.sync = new BankSync(vertx, store, worker);
    this.banks = new HashBanks(config, store, sync, worker);
  }

  /**
   * The whole moderator: the banks, the policy ({@code moderator.policy-file}, else the starter
   * policy), the five layers and the incident log. Fails when the policy is invalid, naming what is
   * wrong. Models load in the background once the GPU Boss lists the node's devices.
   */
  public static Future<ModeratorService> start(Vertx vertx, ServiceContext context) {
    ImajinConfig all = context.config();
    ImajinConfig.Moderator config = all.moderator();
    ModerationPolicy policy;
    try {
      policy =
          config.policyFile().isEmpty()
              ? ModerationPolicy.starter()
              : ModerationPolicy.read(Path.of(config.policyFile()));
    } catch (PolicyException e) {
      return Future.failedFuture(e);
    }
    DefaultModeratorService service = new DefaultModeratorService(vertx, context.redis(), config);
    long busTimeoutMs = all.eventBus().requestTimeoutMs();
    return ModelCatalog.scan(
            service.worker, all.models().paths(), SERVICE, ModelTask.IMAGE_CLASSIFICATION)
        .compose(
            catalog -> {
              service.models =
                  HostedModels.discovering(
                      SERVICE,
                      vertx,
                      context,
                      service.worker,
                      catalog::registry,
                      config.loadWaitMs());
              List<ModerationLayer> layers =
                  Layers.standard(
                      service,
                      service.models,
                      catalog,
                      service.worker,
                      new ServiceClient(vertx, ServiceId.SEMANTIC, busTimeoutMs),
                      new ServiceClient(vertx, ServiceId.IDENTITY, busTimeoutMs));
              service.incidents =
                  new IncidentLog(
                      context.redis(),
                      INCIDENTS_KEY,
                      Duration.ofDays(config.incidentRetentionDays()),
                      Clock.systemUTC());
              service.moderation =
                  new Moderation(
                      vertx,
                      service.worker,
                      policy,
                      layers,
                      service.incidents,
                      config.maxInputPixels());
              return service.start();
            })
        .map(
            v -> {
              service.models.listed().onSuccess(listed -> service.warm());
              service.trimTimer =
                  vertx.setPeriodic(
                      TRIM_EVERY_MS,
                      t ->
                          service
                              .incidents
                              .trim()
                              .onFailure(
                                  e -> LOG.warn("moderator: incident trim: {}", e.getMessage())));
              LOG.info(
                  "moderator: policy {} ({}), response floor {} ms",
                  policy.version(),
                  config.policyFile().isEmpty() ? "the starter policy" : config.policyFile(),
                  policy.responseFloorMs());
              return (ModeratorService) service;
            })
        .onFailure(e -> service.close());
  }

  @Override
  public Future<Void> start() {
    return sync.start();
  }

  private Future<Void> warm() {
    Future<Void> warming =
        moderation
            .warm()
            .onSuccess(v -> LOG.info("moderator: every layer is ready"))
            .onFailure(e -> LOG.warn("moderator: {}", e.getMessage()));
    warmed = warming;
    return warming;
  }

  @Override
  public Future<Void> ready() {
    if (moderation == null) {
      return Future.succeededFuture();
    }
    Future<Void> current = warmed;
    if (current == null) {
      return Future.failedFuture(
          ImajinException.unavailable(
              SERVICE, "the GPU Boss has not listed this node's devices yet", 1));
    }
    if (current.failed()) {
      // try again, in the background; this check still answers not ready
      warm();
    }
    return current;
  }

  @Override
  public Future<Void> close() {
    sync.close();
    if (trimTimer != 0) {
      vertx.cancelTimer(trimTimer);
    }
    Future<Void> unloaded = models == null ? Future.succeededFuture() : models.close();
    return unloaded.otherwiseEmpty().compose(v -> worker.close());
  }

  // ---------------------------------------------------------------- moderation

  @Override
  public Future<ModerationResult> moderateImage(ModerateImageRequest request, String requestId) {
    return moderation == null ? notBuilt("moderateImage") : moderation.image(request, requestId);
  }

  @Override
  public Future<ModerationResult> moderatePrompt(ModeratePromptRequest request, String requestId) {
    return moderation == null ? notBuilt("moderatePrompt") : moderation.prompt(request, requestId);
  }

  @Override
  public List<ModelRef> loadedModels() {
    return models == null ? List.of() : models.refs();
  }

  @Override
  public Future<Policy> getPolicy() {
    return moderation == null
        ? notBuilt("getPolicy")
        : Future.succeededFuture(moderation.policy().policy());
  }

  @Override
  public Future<IncidentPage> listIncidents(
      Instant since,
      Instant until,
      Set<ModerationCategory> categories,
      String verdict,
      int limit,
      String cursor) {
    return incidents == null
        ? notBuilt("listIncidents")
        : incidents.list(since, until, categories, verdict, limit, cursor);
  }

  @Override
  public Future<Incident> getIncident(String incidentId) {
    return incidents == null ? notBuilt("getIncident") : incidents.get(incidentId);
  }

  private static <T> Future<T> notBuilt(String operation) {
    return Future.failedFuture(ImajinException.notImplemented(SERVICE, operation));
  }

  // ---------------------------------------------------------------- hashing and banks

  @Override
  public Future<PdqHash> hashImage(HashImageRequest request) {
    return banks.hashImage(request);
  }

  @Override
  public Future<HashBank> createBank(CreateBankRequest request) {
    return banks.createBank(request);
  }

  @Override
  public Future<BankList> listBanks() {
    return banks.listBanks();
  }

  @Override
  public Future<HashBank> getBank(String bankId) {
    return banks.getBank(bankId);
  }

  @Override
  public Future<BankDeletion> deleteBank(String bankId) {
    return banks.deleteBank(bankId);
  }

  @Override
  public Future<HashChangeResult> addHashes(String bankId, AddHashesRequest request) {
    return banks.addHashes(bankId, request);
  }

  @Override
  public Future<HashChangeResult> removeHashes(String bankId, RemoveHashesRequest request) {
    return banks.removeHashes(bankId, request);
  }

  @Override
  public Future<HashChangeResult> importHashes(String bankId, String text) {
    return banks.importHashes(bankId, text);
  }

  @Override
  public Future<MatchResult> matchImage(MatchImageRequest request) {
    return banks.matchImage(request);
  }

  @Override
  public Future<MatchResult> matchHash(MatchHashRequest request) {
    return banks.matchHash(request);
  }
}
