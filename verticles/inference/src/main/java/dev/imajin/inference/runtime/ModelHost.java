package dev.imajin.inference.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.contracts.ImajinException;
import dev.imajin.contracts.gpuboss.LeaseRequest;
import dev.imajin.contracts.gpuboss.ReclaimRequest;
import dev.imajin.gpuboss.client.HeldLease;
import dev.imajin.gpuboss.client.LeaseClient;
import dev.imajin.gpuboss.inventory.DeviceSpec;
import dev.imajin.gpuboss.pool.DevicePools;
import dev.imajin.inference.model.ModelEntry;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a service's models live while loaded: each model's ONNX sessions are opened on one device,
 * inside a resident GPU Boss lease sized from the model's files, on that device's worker pool, and
 * are reused by every request until the model is unloaded (by the service, or because the broker
 * asked for the memory while the model was idle, or because the lease was lost).
 *
 * <p>All inference runs through {@link #run}, which marks the model busy (a busy model is never
 * asked to unload) and runs the task on the device's pool under the lease's fencing token.
 */
public final class ModelHost {
  private static final Logger LOG = LoggerFactory.getLogger(ModelHost.class);

  /** How long a model's lease lives without renewal; holders renew every third of it. */
  static final int LEASE_TTL_MS = 30_000;

  private final LeaseClient leases;
  private final DevicePools pools;
  private final Map<String, DeviceSpec> devices = new LinkedHashMap<>();
  private final int maxWaitMs;
  private final Map<String, Future<LoadedModel>> models = new ConcurrentHashMap<>();

  /**
   * @param devices the node's devices (the GPU Boss inventory)
   * @param maxWaitMs how long a load waits for memory to free
   */
  public ModelHost(LeaseClient leases, DevicePools pools, List<DeviceSpec> devices, int maxWaitMs) {
    this.leases = leases;
    this.pools = pools;
    devices.forEach(d -> this.devices.put(d.id(), d));
    this.maxWaitMs = maxWaitMs;
  }

  /** Starts answering the broker's requests to unload idle models. */
  public Future<Void> start() {
    return leases.onReclaim(this::reclaim);
  }

  /** The loaded model, if it is loaded now. */
  public Optional<LoadedModel> loaded(String modelId) {
    Future<LoadedModel> model = models.get(modelId);
    return model != null && model.succeeded() && !model.result().closed()
        ? Optional.of(model.result())
        : Optional.empty();
  }

  /** The models loaded now. */
  public List<LoadedModel> loadedModels() {
    return models.values().stream()
        .filter(Future::succeeded)
        .map(Future::result)
        .filter(m -> !m.closed())
        .toList();
  }

  /**
   * Loads a model (or returns it when it is loaded or loading): leases its memory on {@code device}
   * (null: a GPU when this build can use one, else {@code cpu}), then opens one session per
   * component on the device's pool.
   *
   * @param components ONNX files by component name ({@code unet}, {@code text_encoder}, ...)
   */
  public Future<LoadedModel> load(ModelEntry entry, Map<String, Path> components, String device) {
    return load(entry, components, device, maxWaitMs);
  }

  /** {@link #load}, waiting at most {@code maxWaitMs} for the memory instead of the default. */
  public Future<LoadedModel> load(
      ModelEntry entry, Map<String, Path> components, String device, int maxWaitMs) {
    return models.compute(
        entry.id(),
        (id, current) ->
            current != null
                    && !(current.isComplete() && (current.failed() || current.result().closed()))
                ? current
                : open(entry, components, device, maxWaitMs));
  }

  /** Closes a model's sessions and releases its lease; a model that is not loaded is a no-op. */
  public Future<Void> unload(String modelId) {
    Future<LoadedModel> model = models.remove(modelId);
    if (model == null) {
      return Future.succeededFuture();
    }
    return model.transform(
        loaded -> {
          if (loaded.failed()) {
            return Future.succeededFuture();
          }
          return close(loaded.result());
        });
  }

  /**
   * Runs inference on a loaded model: on its device's pool, under its lease, marked busy while it
   * runs. Fails with 409 when the model's lease is no longer valid (the model must be loaded
   * again).
   */
  public <T> Future<T> run(LoadedModel model, SessionTask<T> task) {
    int running = model.tryEnter();
    if (running < 0) {
      return Future.failedFuture(
          ImajinException.conflict("model " + model.id() + " was unloaded; load it again"));
    }
    if (running == 1) {
      model.lease().busy(true);
    }
    return pools
        .run(model.lease(), () -> task.run(model))
        .onComplete(
            done -> {
              if (model.leave() == 0 && !model.closed()) {
                model.lease().busy(false);
              }
            });
  }

  /** What runs on the device's pool with a loaded model's sessions. */
  @FunctionalInterface
  public interface SessionTask<T> {
    T run(LoadedModel model) throws Exception;
  }

  private Future<LoadedModel> open(
      ModelEntry entry, Map<String, Path> components, String device, int maxWaitMs) {
    DeviceSpec target = device == null ? null : devices.get(device);
    if (device != null && target == null) {
      return Future.failedFuture(ImajinException.notFound("device", device));
    }
    if (target != null && !ExecutionProviders.canRun(target)) {
      return Future.failedFuture(
          ImajinException.unprocessable(
              "device " + device + " needs the CUDA build of ONNX Runtime (build with -Pcuda)"));
    }
    String requested =
        device != null
            ? device
            : devices.values().stream().anyMatch(DeviceSpec::isGpu)
                    && ExecutionProviders.cudaAvailable()
                ? "cuda"
                : "cpu";
    LeaseRequest request =
        new LeaseRequest(
            requested,
            Math.max(1, entry.memoryBytes()),
            leases.holder(),
            LeaseRequest.DEFAULT_PRIORITY,
            true,
            entry.id(),
            LEASE_TTL_MS,
            maxWaitMs);
    return leases
        .acquire(request)
        .compose(
            lease ->
                pools
                    .run(lease, () -> sessions(entry, components, devices.get(lease.device())))
                    .map(sessions -> new LoadedModel(entry, lease, sessions))
                    .onFailure(e -> lease.release())
                    .onSuccess(
                        model -> {
                          lease.onLost(reason -> lost(model, reason));
                          LOG.info(
                              "model {} loaded on {} ({} bytes leased, lease {})",
                              entry.id(),
                              lease.device(),
                              lease.lease().bytes(),
                              lease.leaseId());
                        }));
  }

  /** Opens every component's session; on a failure closes those already open. */
  private static Map<String, OrtSession> sessions(
      ModelEntry entry, Map<String, Path> components, DeviceSpec device) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OrtSession> open = new LinkedHashMap<>();
    try (OrtSession.SessionOptions options =
        ExecutionProviders.options(device, Math.max(1, cores() / device.poolSize()))) {
      for (Map.Entry<String, Path> component : components.entrySet()) {
        try {
          open.put(component.getKey(), env.createSession(component.getValue().toString(), options));
        } catch (OrtException e) {
          throw new ModelLoadException(
              "model "
                  + entry.id()
                  + ": "
                  + component.getValue()
                  + " does not load in ONNX Runtime: "
                  + e.getMessage(),
              e);
        }
      }
      return open;
    } catch (RuntimeException | OrtException e) {
      for (OrtSession session : open.values()) {
        session.close();
      }
      throw e;
    }
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private Future<Boolean> reclaim(ReclaimRequest request) {
    return models.values().stream()
        .filter(Future::succeeded)
        .map(Future::result)
        .filter(m -> m.lease().leaseId().equals(request.leaseId()))
        .findFirst()
        .map(
            model -> {
              if (!model.closeIfIdle()) {
                return Future.succeededFuture(false);
              }
              LOG.info("model {}: unloaded, the GPU Boss needs its memory", model.id());
              models.remove(model.id());
              return Future.succeededFuture(true);
            })
        .orElse(Future.succeededFuture(false));
  }

  private void lost(LoadedModel model, String reason) {
    if (!model.closed()) {
      LOG.warn("model {}: lease lost ({}); closing its sessions", model.id(), reason);
      models.remove(model.id());
      model.close();
    }
  }

  private Future<Void> close(LoadedModel model) {
    model.close();
    HeldLease lease = model.lease();
    return lease.release().recover(e -> Future.succeededFuture());
  }
}
