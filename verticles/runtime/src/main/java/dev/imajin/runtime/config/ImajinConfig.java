package dev.imajin.runtime.config;

import dev.imajin.contracts.ServiceId;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * imajin's configuration, parsed once at start from the layers {@link ConfigLoader} merges, and
 * validated as it is built: a bad value fails with a {@link ConfigException} naming its key. Checks
 * in the nested records name the key relative to their section; the loader adds the section.
 */
public record ImajinConfig(
    Node node,
    Http http,
    EventBus eventBus,
    Redis redis,
    Cluster cluster,
    Processing processing,
    GpuBoss gpuBoss,
    Models models,
    Diffusion diffusion,
    Semantic semantic,
    Aesthetic aesthetic,
    Identity identity,
    Moderator moderator,
    Map<String, Service> services) {

  public ImajinConfig {
    Check.present("node", node);
    Check.present("http", http);
    Check.present("event-bus", eventBus);
    Check.present("redis", redis);
    Check.present("cluster", cluster);
    Check.present("processing", processing);
    Check.present("gpu-boss", gpuBoss);
    Check.present("models", models);
    Check.present("diffusion", diffusion);
    Check.present("semantic", semantic);
    Check.present("aesthetic", aesthetic);
    Check.present("identity", identity);
    Check.present("moderator", moderator);
    Check.present("services", services);
    for (String name : services.keySet()) {
      try {
        ServiceId.of(name);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("services." + name + ": " + e.getMessage());
      }
    }
    services = Map.copyOf(services);
  }

  /** The configuration of one service; every service has one in the defaults. */
  public Service service(ServiceId id) {
    return Check.present("services." + id.id(), services.get(id.id()));
  }

  /** The services to deploy: the enabled ones, or exactly {@code only} when it is not empty. */
  public Map<ServiceId, Service> selected(Set<ServiceId> only) {
    Map<ServiceId, Service> chosen = new EnumMap<>(ServiceId.class);
    for (ServiceId id : ServiceId.values()) {
      Service s = service(id);
      if (only.isEmpty() ? s.enabled() : only.contains(id)) {
        chosen.put(id, s);
      }
    }
    return chosen;
  }

  public record Node(String name) {
    public Node {
      Check.notBlank("name", name);
    }
  }

  public record Http(String host, String publicHost, long maxBodyBytes) {
    public static final long MIN_BODY_BYTES = 1024;
    public static final long MAX_BODY_BYTES = 1L << 30;

    public Http {
      Check.notBlank("host", host);
      Check.notBlank("public-host", publicHost);
      Check.range("max-body-bytes", maxBodyBytes, MIN_BODY_BYTES, MAX_BODY_BYTES);
    }
  }

  public record EventBus(long requestTimeoutMs) {
    public EventBus {
      Check.range("request-timeout-ms", requestTimeoutMs, 100, 600_000);
    }
  }

  /**
   * An external Redis by URL, or (empty URL) an embedded one on the given port, keeping its
   * append-only file in {@code embeddedDataDir} in single-node mode (empty: no files).
   */
  public record Redis(String url, int embeddedPort, String embeddedDataDir) {
    public Redis {
      url = url == null ? "" : url.trim();
      embeddedDataDir = embeddedDataDir == null ? "" : embeddedDataDir.strip();
      if (!url.isEmpty() && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
        throw new ConfigException("url: must start with redis:// or rediss://, was " + url);
      }
      Check.portOrZero("embedded-port", embeddedPort);
    }

    public boolean embedded() {
      return url.isEmpty();
    }
  }

  public record Cluster(
      boolean enabled,
      String host,
      int port,
      List<String> members,
      String name,
      String configFile) {
    public Cluster {
      Check.notBlank("host", host);
      Check.port("port", port);
      Check.present("members", members);
      if (members.isEmpty()) {
        throw new ConfigException("members: must name at least one member");
      }
      members = List.copyOf(members);
      Check.notBlank("name", name);
      configFile = configFile == null ? "" : configFile.trim();
    }
  }

  /**
   * The processing service's limits.
   *
   * @param maxPixels the most pixels an input image may declare (width x height); more is a 413
   * @param workers threads of the processing worker pool; 0 means one per core
   * @param maxQueued requests that may wait for a worker; more are refused with 503
   * @param deadlineMs how long one request may take, decoding to encoding; longer is a 503
   * @param watermarkThreshold detection confidence at or above which a watermark is present
   */
  public record Processing(
      long maxPixels, int workers, int maxQueued, long deadlineMs, double watermarkThreshold) {
    public Processing {
      Check.range("max-pixels", maxPixels, 1, 1L << 31);
      Check.range("workers", workers, 0, 256);
      Check.range("max-queued", maxQueued, 0, 100_000);
      Check.range("deadline-ms", deadlineMs, 100, 600_000);
      if (!(watermarkThreshold > 0 && watermarkThreshold < 1)) {
        throw new ConfigException(
            "watermark-threshold: must be between 0 and 1 (exclusive), was " + watermarkThreshold);
      }
    }

    /** The worker pool size: {@link #workers()}, or the number of cores when it is 0. */
    public int poolSize() {
      return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
  }

  /**
   * The GPU Boss: where device capacities come from, the worker pools, and how the broker waits,
   * sweeps and evicts.
   *
   * @param discovery {@code auto} (NVML, then {@code nvidia-smi}, then {@link #devices}) or {@code
   *     config} (only the GPUs listed in {@link #devices})
   * @param nvidiaSmi the {@code nvidia-smi} command to run when NVML does not load
   * @param gpuReserveBytes memory never leased on each GPU, unless a device entry says otherwise
   * @param gpuPoolSize threads of each GPU's worker pool
   * @param cpuCapacityBytes memory the {@code cpu} device leases; 0 means half the physical memory
   * @param cpuReserveBytes memory never leased on the {@code cpu} device
   * @param cpuPoolSize threads of the {@code cpu} worker pool; 0 means one per core
   * @param devices per-device overrides by id ({@code cuda:0}, {@code cpu}); a GPU listed here that
   *     discovery did not find is added with the given capacity
   * @param sweepIntervalMs how often the broker reclaims expired leases on each device
   * @param maxWaiting requests that may wait on one device; more are refused with 503
   * @param starvationMs how long the head of a device's queue may be overtaken by smaller requests
   *     behind it; after that, memory that frees is kept for it
   * @param reclaimTimeoutMs how long a resident holder has to answer a request to unload
   */
  public record GpuBoss(
      String discovery,
      String nvidiaSmi,
      long gpuReserveBytes,
      int gpuPoolSize,
      long cpuCapacityBytes,
      long cpuReserveBytes,
      int cpuPoolSize,
      Map<String, DeviceOverride> devices,
      long sweepIntervalMs,
      int maxWaiting,
      long starvationMs,
      long reclaimTimeoutMs) {
    public GpuBoss {
      if (!"auto".equals(discovery) && !"config".equals(discovery)) {
        throw new ConfigException("discovery: must be auto or config, was " + discovery);
      }
      Check.notBlank("nvidia-smi", nvidiaSmi);
      Check.range("gpu-reserve-bytes", gpuReserveBytes, 0, Long.MAX_VALUE);
      Check.range("gpu-pool-size", gpuPoolSize, 1, 64);
      Check.range("cpu-capacity-bytes", cpuCapacityBytes, 0, Long.MAX_VALUE);
      Check.range("cpu-reserve-bytes", cpuReserveBytes, 0, Long.MAX_VALUE);
      Check.range("cpu-pool-size", cpuPoolSize, 0, 256);
      devices = devices == null ? Map.of() : Map.copyOf(devices);
      for (Map.Entry<String, DeviceOverride> device : devices.entrySet()) {
        if (!device.getKey().matches("cpu|cuda:[0-9]{1,3}")) {
          throw new ConfigException(
              "devices." + device.getKey() + ": a device is cpu or cuda:<index>");
        }
        Check.present("devices." + device.getKey(), device.getValue());
      }
      Check.range("sweep-interval-ms", sweepIntervalMs, 50, 60_000);
      Check.range("max-waiting", maxWaiting, 0, 1_000_000);
      Check.range("starvation-ms", starvationMs, 0, 3_600_000);
      Check.range("reclaim-timeout-ms", reclaimTimeoutMs, 100, 600_000);
    }
  }

  /**
   * Where the model registry looks for models.
   *
   * @param roots folders scanned for model folders, in order (the first folder to claim an id keeps
   *     it); relative ones are resolved against the working directory. A root that does not exist
   *     is reported by the registry, not refused here.
   */
  public record Models(List<String> roots) {
    public Models {
      Check.present("roots", roots);
      for (int i = 0; i < roots.size(); i++) {
        Check.notBlank("roots[" + i + "]", roots.get(i));
      }
      roots = List.copyOf(roots);
    }

    /** The roots as paths, as configured (relative ones stay relative). */
    public List<Path> paths() {
      return roots.stream().map(Path::of).toList();
    }
  }

  /**
   * The diffusion service.
   *
   * @param defaultModel the model of requests that name none; empty means the first text-to-image
   *     model of the registry, by id
   * @param maxQueued generations that may wait for the model and a worker of its device; more are
   *     refused with 503 and a retry hint
   * @param loadWaitMs how long loading a model waits for device memory (the GPU Boss's queue) when
   *     the request gives no deadline
   * @param maxImagesPerRequest the most images one request may ask for ({@code n}); at most the
   *     contract's 10
   * @param jobRetentionMs how long a finished job and its events stay readable
   * @param maxInputPixels the most pixels an input image (img2img, inpaint) may declare; more is a
   *     413, answered before decoding
   */
  public record Diffusion(
      String defaultModel,
      int maxQueued,
      long loadWaitMs,
      int maxImagesPerRequest,
      long jobRetentionMs,
      long maxInputPixels) {
    /** The contract's cap on {@code n}. */
    public static final int CONTRACT_MAX_IMAGES = 10;

    public Diffusion {
      defaultModel = Check.modelIdOrEmpty("default-model", defaultModel);
      Check.range("max-queued", maxQueued, 1, 100_000);
      Check.range("load-wait-ms", loadWaitMs, 0, 600_000);
      Check.range("max-images-per-request", maxImagesPerRequest, 1, CONTRACT_MAX_IMAGES);
      Check.range("job-retention-ms", jobRetentionMs, 1_000, 30L * 24 * 3_600_000);
      Check.range("max-input-pixels", maxInputPixels, 4_096, 1L << 31);
    }
  }

  /**
   * The semantic service.
   *
   * @param defaultModel the image-text-similarity model of requests that name none; when it is not
   *     installed (or empty), the first such model of the registry, by id
   * @param maxQueued requests that may wait for the model and a worker of its device; more are
   *     refused with 503 and a retry hint
   * @param loadWaitMs how long loading the model waits for device memory (the GPU Boss's queue)
   * @param maxInputPixels the most pixels an input image may declare; more is a 413, answered
   *     before decoding
   */
  public record Semantic(String defaultModel, int maxQueued, long loadWaitMs, long maxInputPixels) {
    public Semantic {
      defaultModel = Check.modelIdOrEmpty("default-model", defaultModel);
      Check.range("max-queued", maxQueued, 1, 100_000);
      Check.range("load-wait-ms", loadWaitMs, 0, 600_000);
      Check.range("max-input-pixels", maxInputPixels, 4_096, 1L << 31);
    }
  }

  /**
   * The aesthetic service.
   *
   * @param rewardModel the image-reward model of requests that name none; when it is not installed
   *     (or empty), the first image-reward model of the registry, by id
   * @param maxQueued requests that may be in progress (decoding, waiting for the model or a worker
   *     of its device, running); more are refused with 503 and a retry hint
   * @param loadWaitMs how long loading a reward model waits for device memory (the GPU Boss's
   *     queue)
   * @param maxInputPixels the most pixels an image to score may declare; more is a 413, answered
   *     before decoding
   */
  public record Aesthetic(String rewardModel, int maxQueued, long loadWaitMs, long maxInputPixels) {
    public Aesthetic {
      rewardModel = Check.modelIdOrEmpty("reward-model", rewardModel);
      Check.range("max-queued", maxQueued, 1, 100_000);
      Check.range("load-wait-ms", loadWaitMs, 0, 600_000);
      Check.range("max-input-pixels", maxInputPixels, 4_096, 1L << 31);
    }
  }

  /**
   * The identity service.
   *
   * @param detectorModel the face-detection model; when it is not installed (or empty), the first
   *     face-detection model of the registry, by id
   * @param embedderModel the face-embedding model, chosen the same way; identities remember the
   *     model that embedded them and are compared only with faces of the same model
   * @param matchThreshold the cosine similarity at or above which a face matches, for requests that
   *     give none; 0 takes the embedder manifest's {@code thresholds.same_person}, else 0.45
   * @param maxFaces the most faces of one image that are embedded (the largest); the others are
   *     counted but not compared
   * @param maxQueued requests that may be in progress at once; more are refused with 503 and a
   *     retry hint
   * @param loadWaitMs how long loading a face model waits for device memory (the GPU Boss's queue)
   * @param maxInputPixels the most pixels an image may declare; more is a 413, answered before
   *     decoding
   */
  public record Identity(
      String detectorModel,
      String embedderModel,
      double matchThreshold,
      int maxFaces,
      int maxQueued,
      long loadWaitMs,
      long maxInputPixels) {
    public Identity {
      detectorModel = Check.modelIdOrEmpty("detector-model", detectorModel);
      embedderModel = Check.modelIdOrEmpty("embedder-model", embedderModel);
      if (!(matchThreshold >= 0 && matchThreshold <= 1)) {
        throw new ConfigException(
            "match-threshold: must be between 0 and 1 (0: the embedder's manifest), was "
                + matchThreshold);
      }
      Check.range("max-faces", maxFaces, 1, 1_000);
      Check.range("max-queued", maxQueued, 1, 100_000);
      Check.range("load-wait-ms", loadWaitMs, 0, 600_000);
      Check.range("max-input-pixels", maxInputPixels, 4_096, 1L << 31);
    }
  }

  /**
   * The moderator service.
   *
   * @param maxInputPixels the most pixels an image to moderate, hash or match may declare; more is
   *     a 413, answered before decoding
   * @param maxImportHashes the most hashes one {@code importHashes} body may hold; more is a 413
   * @param maxImportBytes the largest {@code importHashes} body (other operations keep {@code
   *     http.max-body-bytes})
   * @param changeLogMaxEntries the bank change stream every node's in-memory index follows is
   *     trimmed to about this many entries
   * @param syncWaitMs how long a bank change waits for this node's index to apply it before it
   *     answers (the change is durable in Redis either way)
   * @param policyFile the moderation policy file; empty for the starter policy
   * @param incidentRetentionDays incidents older than this are trimmed from the log
   * @param loadWaitMs how long loading a moderation model waits for device memory
   */
  public record Moderator(
      long maxInputPixels,
      int maxImportHashes,
      long maxImportBytes,
      int changeLogMaxEntries,
      long syncWaitMs,
      String policyFile,
      int incidentRetentionDays,
      long loadWaitMs) {
    public Moderator {
      Check.range("max-input-pixels", maxInputPixels, 4_096, 1L << 31);
      Check.range("max-import-hashes", maxImportHashes, 1, 100_000_000);
      Check.range("max-import-bytes", maxImportBytes, 1_024, 1L << 31);
      Check.range("change-log-max-entries", changeLogMaxEntries, 100, 100_000_000);
      Check.range("sync-wait-ms", syncWaitMs, 0, 600_000);
      policyFile = policyFile == null ? "" : policyFile.strip();
      Check.range("incident-retention-days", incidentRetentionDays, 1, 36_500);
      Check.range("load-wait-ms", loadWaitMs, 0, 3_600_000);
    }
  }

  /**
   * What configuration says about one device; absent values keep what discovery found.
   *
   * @param name what the device is called in listings
   * @param capacityBytes the device's memory
   * @param reserveBytes memory never leased
   * @param poolSize threads of the device's worker pool
   */
  public record DeviceOverride(
      String name, Long capacityBytes, Long reserveBytes, Integer poolSize) {
    public DeviceOverride {
      if (capacityBytes != null) {
        Check.range("capacity-bytes", capacityBytes, 0, Long.MAX_VALUE);
      }
      if (reserveBytes != null) {
        Check.range("reserve-bytes", reserveBytes, 0, Long.MAX_VALUE);
      }
      if (poolSize != null) {
        Check.range("pool-size", poolSize, 1, 256);
      }
    }

    /** Reads an entry whose keys are all optional (the loader otherwise requires every key). */
    @com.fasterxml.jackson.annotation.JsonCreator(
        mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
    static DeviceOverride of(Map<String, Object> entry) {
      for (String key : entry.keySet()) {
        if (!List.of("name", "capacity-bytes", "reserve-bytes", "pool-size").contains(key)) {
          throw new ConfigException(
              key
                  + ": unknown key; known keys here: capacity-bytes, name, pool-size, reserve-bytes");
        }
      }
      Object name = entry.get("name");
      Long pool = number(entry, "pool-size");
      return new DeviceOverride(
          name == null ? null : name.toString(),
          number(entry, "capacity-bytes"),
          number(entry, "reserve-bytes"),
          pool == null ? null : Math.toIntExact(Math.min(pool, Integer.MAX_VALUE)));
    }

    private static Long number(Map<String, Object> entry, String key) {
      Object value = entry.get(key);
      if (value == null) {
        return null;
      }
      if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
        return n.longValue();
      }
      throw new ConfigException(key + ": expected a whole number, was '" + value + "'");
    }
  }

  /** A service's switch and HTTP port (0 picks a free port, for tests). */
  public record Service(boolean enabled, int port) {
    public Service {
      Check.portOrZero("port", port);
    }
  }
}
