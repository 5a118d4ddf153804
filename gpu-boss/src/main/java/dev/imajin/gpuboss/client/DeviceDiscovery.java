package dev.imajin.gpuboss.client;

import dev.imajin.contracts.ServiceId;
import dev.imajin.contracts.gpuboss.Device;
import dev.imajin.contracts.gpuboss.DeviceList;
import dev.imajin.gpuboss.inventory.DeviceSpec;
import dev.imajin.runtime.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's view of the node's devices, asked of the GPU Boss ({@code listDevices}) over the
 * event bus, for its {@link dev.imajin.gpuboss.pool.DevicePools} and model host. The GPU Boss may
 * start after this service: the question is asked again, every {@link #FIRST_RETRY_MS} at first and
 * then less often (at most every {@link #MAX_RETRY_MS}), until it is answered or the service stops.
 */
public final class DeviceDiscovery {
  static final long FIRST_RETRY_MS = 100;
  static final long MAX_RETRY_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(DeviceDiscovery.class);

  private final Vertx vertx;
  private final ServiceClient gpuBoss;
  private final String service;
  private final Promise<List<DeviceSpec>> found = Promise.promise();
  private volatile boolean stopped;
  private int attempts;

  /**
   * @param timeoutMs how long one question may take
   * @param service the asking service, for messages
   */
  public DeviceDiscovery(Vertx vertx, long timeoutMs, String service) {
    this.vertx = vertx;
    this.service = service;
    this.gpuBoss = new ServiceClient(vertx, ServiceId.GPU_BOSS, timeoutMs);
  }

  /** Starts asking; the future completes with the first answer. */
  public Future<List<DeviceSpec>> discover() {
    ask(FIRST_RETRY_MS);
    return found.future();
  }

  /** The devices, once the GPU Boss has answered. */
  public Future<List<DeviceSpec>> future() {
    return found.future();
  }

  /** Stops asking; a discovery in progress fails. */
  public void stop() {
    stopped = true;
    found.tryFail("the " + service + " service stopped before the GPU Boss listed its devices");
  }

  private void ask(long nextDelayMs) {
    if (stopped) {
      return;
    }
    attempts++;
    gpuBoss
        .call("listDevices", null, DeviceList.class, null)
        .onSuccess(
            list -> {
              List<DeviceSpec> specs = list.devices().stream().map(DeviceDiscovery::spec).toList();
              LOG.info(
                  "{}: devices from the GPU Boss: {}",
                  service,
                  specs.stream().map(DeviceSpec::id).toList());
              found.tryComplete(specs);
            })
        .onFailure(
            e -> {
              if (attempts == 1 || attempts % 20 == 0) {
                LOG.warn(
                    "the GPU Boss has not listed its devices yet (attempt {}): {}; asking again",
                    attempts,
                    e.getMessage());
              }
              if (!stopped) {
                vertx.setTimer(nextDelayMs, t -> ask(Math.min(MAX_RETRY_MS, nextDelayMs * 3 / 2)));
              }
            });
  }

  /** A device of the GPU Boss's listing as the spec its pools and the model host take. */
  public static DeviceSpec spec(Device d) {
    boolean gpu = d.kind() == Device.Kind.CUDA;
    int index = gpu ? Integer.parseInt(d.id().substring(d.id().indexOf(':') + 1)) : -1;
    String source =
        switch (d.source()) {
          case NVML -> DeviceSpec.NVML;
          case NVIDIA_SMI -> DeviceSpec.NVIDIA_SMI;
          case CONFIG -> DeviceSpec.CONFIG;
          case SYSTEM -> DeviceSpec.SYSTEM;
        };
    return new DeviceSpec(
        d.id(),
        gpu ? DeviceSpec.CUDA : DeviceSpec.CPU,
        index,
        d.name(),
        source,
        d.capacityBytes(),
        d.reserveBytes(),
        d.poolSize());
  }
}
