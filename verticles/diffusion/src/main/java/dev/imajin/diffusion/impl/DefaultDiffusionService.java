package dev.imajin.diffusion.impl;

import dev.imajin.contracts.Addresses;
import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.common.Job;
import dev.imajin.contracts.common.ModelRef;
import dev.imajin.contracts.diffusion.DiffusionModel;
import dev.imajin.contracts.diffusion.GenerateRequest;
import dev.imajin.contracts.diffusion.GenerationJob;
import dev.imajin.contracts.diffusion.GenerationJobRequest;
import dev.imajin.contracts.diffusion.GenerationResult;
import dev.imajin.contracts.diffusion.Img2ImgRequest;
import dev.imajin.contracts.diffusion.InpaintRequest;
import dev.imajin.contracts.diffusion.LoadModelRequest;
import dev.imajin.contracts.diffusion.ModelComponent;
import dev.imajin.contracts.diffusion.ModelList;
import dev.imajin.diffusion.DiffusionService;
import dev.imajin.gpuboss.client.DeviceDiscovery;
import dev.imajin.inference.diffusion.Cancellation;
import dev.imajin.inference.diffusion.StepEvent;
import dev.imajin.runtime.EventStream;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.config.ImajinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** {@link DiffusionService} on the model registry, the GPU Boss and Redis. */
public final class DefaultDiffusionService implements DiffusionService {
  /** The worker pool for file checks, hashing and image codecs. */
  static final String IO_POOL = "diffusion-io";

  static final int IO_THREADS = 2;

  private final Vertx vertx;
  private final WorkerExecutor io;
  private final Catalog catalog;
  private final DeviceDiscovery devices;
  private final Residency residency;
  private final Plans plans;
  private final Admission admission;
  private final Generator generator;
  private final Jobs jobs;

  private DefaultDiffusionService(
      Vertx vertx, ServiceContext context, WorkerExecutor io, Catalog catalog) {
    ImajinConfig config = context.config();
    ImajinConfig.Diffusion diffusion = config.diffusion();
    long busTimeoutMs = config.eventBus().requestTimeoutMs();
    this.vertx = vertx;
    this.io = io;
    this.catalog = catalog;
    this.devices = new DeviceDiscovery(vertx, busTimeoutMs, "diffusion");
    this.residency =
        new Residency(
            vertx,
            io,
            catalog,
            devices.discover(),
            "diffusion@" + config.node().name(),
            busTimeoutMs,
            diffusion.loadWaitMs());
    this.plans = new Plans(catalog, io, diffusion);
    this.admission = new Admission(diffusion.maxQueued());
    this.generator = new Generator(io, residency);
    this.jobs =
        new Jobs(
            vertx,
            new JobStore(context.redis()),
            plans,
            generator,
            admission,
            diffusion.jobRetentionMs());
  }

  /** Scans the model roots (on a worker) and starts asking the GPU Boss for devices. */
  public static Future<DefaultDiffusionService> start(Vertx vertx, ServiceContext context) {
    WorkerExecutor io = vertx.createSharedWorkerExecutor(IO_POOL, IO_THREADS, 10, TimeUnit.MINUTES);
    ImajinConfig config = context.config();
    return Catalog.scan(io, config.models().paths(), config.diffusion().defaultModel())
        .map(catalog -> new DefaultDiffusionService(vertx, context, io, catalog))
        .onFailure(e -> io.close());
  }

  @Override
  public Future<GenerationResult> generate(GenerateRequest request) {
    return plans.txt2img(request).compose(this::runNow);
  }

  @Override
  public Future<GenerationResult> img2img(Img2ImgRequest request) {
    return plans.img2img(request).compose(this::runNow);
  }

  @Override
  public Future<GenerationResult> inpaint(InpaintRequest request) {
    return plans.inpaint(request).compose(this::runNow);
  }

  private Future<GenerationResult> runNow(Plans.Plan plan) {
    Admission.Ticket ticket = admission.admit();
    Generator.Listener listener =
        plan.progressId() == null ? Generator.Listener.NONE : new Publisher(plan);
    return generator
        .run(plan, ticket, listener, new Cancellation())
        .recover(e -> Future.failedFuture(ImajinException.unavailableIfConflict(e, null)));
  }

  /**
   * Publishes each step on {@code imajin.progress.<progress_id>}, with ids local to the request.
   */
  private final class Publisher implements Generator.Listener {
    private final Plans.Plan plan;
    private final long base = System.currentTimeMillis();
    private final AtomicLong sequence = new AtomicLong();

    Publisher(Plans.Plan plan) {
      this.plan = plan;
    }

    @Override
    public void step(StepEvent step) {
      String id = base + "-" + sequence.getAndIncrement();
      vertx
          .eventBus()
          .publish(
              Addresses.progress(plan.progressId()),
              StepEvents.withId(
                  StepEvents.of(plan.progressId(), step, plan.request().previewEvery()), id));
    }
  }

  @Override
  public Future<ModelList> listModels() {
    return Future.succeededFuture(
        new ModelList(catalog.models().stream().map(m -> describe(m, null)).toList()));
  }

  @Override
  public Future<DiffusionModel> getModel(String modelId) {
    return known(modelId).map(m -> describe(m, residency.files(m.entry())));
  }

  /** The model, or a 404 that says why a folder of that name was refused. */
  private Future<Catalog.Model> known(String modelId) {
    return catalog
        .resolve(modelId)
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof ImajinException ie && ie.type() == ErrorType.UNPROCESSABLE
                        ? new ImajinException(ErrorType.NOT_FOUND, ie.getMessage())
                        : e));
  }

  @Override
  public Future<DiffusionModel> loadModel(String modelId, LoadModelRequest request) {
    String device =
        request == null
                || request.device() == null
                || LoadModelRequest.DEFAULT_DEVICE.equals(request.device())
            ? null
            : request.device();
    Integer waitMs = request == null ? null : request.deadlineMs();
    return catalog
        .resolve(modelId)
        .compose(
            m ->
                residency
                    .ensure(m, device, waitMs)
                    .map(ready -> describe(m, residency.files(m.entry()))));
  }

  @Override
  public Future<DiffusionModel> unloadModel(String modelId) {
    return known(modelId)
        .compose(m -> residency.unload(m.id()).map(v -> describe(m, residency.files(m.entry()))));
  }

  private DiffusionModel describe(Catalog.Model m, List<ModelComponent> files) {
    return m.profile().toContract(m.entry(), residency.state(m.id()), files);
  }

  @Override
  public Future<Job> createJob(GenerationJobRequest request, String idempotencyKey) {
    return jobs.create(request, idempotencyKey);
  }

  @Override
  public Future<GenerationJob> getJob(String jobId) {
    return jobs.job(jobId);
  }

  @Override
  public Future<Job> cancelJob(String jobId) {
    return jobs.cancel(jobId);
  }

  @Override
  public Future<EventStream> streamJobEvents(String jobId, String lastEventId) {
    return jobs.events(jobId, lastEventId);
  }

  @Override
  public Future<Void> devicesReady() {
    return residency.ready();
  }

  @Override
  public List<ModelRef> loadedModels() {
    return residency.loaded().stream()
        .map(
            ready ->
                new ModelRef(
                    ready.model().id(),
                    ready.model().entry().task().wireName(),
                    ready.model().entry().family(),
                    ready.model().device(),
                    ready.hashes().stream()
                        .filter(c -> c.name().equals("unet"))
                        .map(ModelComponent::sha256)
                        .findFirst()
                        .orElse(null)))
        .toList();
  }

  @Override
  public Future<Void> close() {
    devices.stop();
    return jobs.close().compose(v -> residency.close()).eventually(() -> io.close());
  }
}
