package dev.imajin.inference.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.imajin.gpuboss.inventory.DeviceSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which execution provider a device's sessions use. The CUDA provider is used for {@code cuda:N}
 * devices when the ONNX Runtime build has it (the {@code cuda} Maven profile's {@code
 * onnxruntime_gpu}); that is checked once per process from the providers the native library
 * reports, not by trying {@code addCUDA} on every load. Without it, models run on {@code cpu}.
 */
public final class ExecutionProviders {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionProviders.class);
  private static volatile Boolean cuda;

  private ExecutionProviders() {}

  /** Whether this ONNX Runtime build can run on CUDA devices. */
  public static boolean cudaAvailable() {
    Boolean known = cuda;
    if (known == null) {
      synchronized (ExecutionProviders.class) {
        if (cuda == null) {
          cuda = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
          LOG.info(
              "ONNX Runtime {}: providers {}{}",
              OrtEnvironment.getEnvironment().getVersion(),
              OrtEnvironment.getAvailableProviders(),
              cuda ? "" : "; models run on the cpu device (build with -Pcuda for GPUs)");
        }
        known = cuda;
      }
    }
    return known;
  }

  /** Whether a device can run sessions in this build. */
  public static boolean canRun(DeviceSpec device) {
    return !device.isGpu() || cudaAvailable();
  }

  /**
   * Session options for a device.
   *
   * @param threads intra-op threads for a cpu session (the cores a session may use)
   */
  public static OrtSession.SessionOptions options(DeviceSpec device, int threads)
      throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    if (device.isGpu()) {
      if (!cudaAvailable()) {
        options.close();
        throw new IllegalStateException(
            "device " + device.id() + " needs the CUDA build of ONNX Runtime (-Pcuda)");
      }
      options.addCUDA(device.index());
    } else {
      options.setIntraOpNumThreads(Math.max(1, threads));
    }
    return options;
  }
}
