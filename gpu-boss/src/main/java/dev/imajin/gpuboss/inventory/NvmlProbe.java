package dev.imajin.gpuboss.inventory;

import static org.bytedeco.cuda.global.nvml.NVML_DEVICE_NAME_V2_BUFFER_SIZE;
import static org.bytedeco.cuda.global.nvml.NVML_SUCCESS;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetCount_v2;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetHandleByIndex_v2;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetMemoryInfo;
import static org.bytedeco.cuda.global.nvml.nvmlDeviceGetName;
import static org.bytedeco.cuda.global.nvml.nvmlErrorString;
import static org.bytedeco.cuda.global.nvml.nvmlInit_v2;
import static org.bytedeco.cuda.global.nvml.nvmlShutdown;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.cuda.global.nvml;
import org.bytedeco.cuda.nvml.nvmlDevice_st;
import org.bytedeco.cuda.nvml.nvmlMemory_t;
import org.bytedeco.javacpp.Loader;

/**
 * Finds GPUs through NVML, the driver's management library, by way of the org.bytedeco bindings.
 * Where the library (or the driver's {@code libnvidia-ml}) cannot be loaded, the first failure is
 * remembered for the life of the JVM: loading is never tried again, and every probe answers the
 * same reason. Errors NVML reports once loaded (no driver running) are answered as they come.
 */
final class NvmlProbe implements GpuProbe {
  private static final AtomicReference<String> UNLOADABLE = new AtomicReference<>();
  private static final int MAX_REASON = 200;

  @Override
  public String label() {
    return "NVML";
  }

  @Override
  public String source() {
    return DeviceSpec.NVML;
  }

  @Override
  public Result probe() {
    String known = UNLOADABLE.get();
    if (known != null) {
      return Result.unavailable(known);
    }
    try {
      Loader.load(nvml.class);
    } catch (Throwable e) { // whatever loading throws, NVML is not there: remember it, go on
      return unloadable(e);
    }
    try {
      return query();
    } catch (LinkageError e) {
      return unloadable(e);
    }
  }

  /** Whether loading has failed in this JVM, and so will never be tried again. */
  static boolean knownUnloadable() {
    return UNLOADABLE.get() != null;
  }

  private static Result unloadable(Throwable e) {
    String why = "not loadable (" + rootCause(e) + ")";
    UNLOADABLE.compareAndSet(null, why.length() > MAX_REASON ? why.substring(0, MAX_REASON) : why);
    return Result.unavailable(UNLOADABLE.get());
  }

  /**
   * What failed to load, in a few words: the innermost cause's message without the paths around it,
   * e.g. {@code libcuda.so.1: cannot open shared object file: No such file or directory}. The
   * bindings need the driver's {@code libcuda.so.1} and {@code libnvidia-ml.so.1} and the CUDA
   * runtime {@code libcudart.so.13}.
   */
  static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
    int library = message.indexOf(".so: ");
    if (library >= 0) {
      message = message.substring(message.lastIndexOf('/', library) + 1);
    }
    int path = message.indexOf(" in java.library.path");
    if (path >= 0) {
      message = message.substring(0, path);
    }
    return root.getClass().getSimpleName() + ": " + message;
  }

  private static Result query() {
    int status = nvmlInit_v2();
    if (status != NVML_SUCCESS) {
      return Result.unavailable("nvmlInit failed: " + error(status));
    }
    try {
      int[] count = new int[1];
      check(nvmlDeviceGetCount_v2(count), "nvmlDeviceGetCount");
      List<Gpu> gpus = new ArrayList<>();
      for (int index = 0; index < count[0]; index++) {
        gpus.add(gpu(index));
      }
      return Result.found(gpus);
    } catch (NvmlError e) {
      return Result.unavailable(e.getMessage());
    } finally {
      nvmlShutdown();
    }
  }

  private static Gpu gpu(int index) {
    nvmlDevice_st device = new nvmlDevice_st();
    check(nvmlDeviceGetHandleByIndex_v2(index, device), "nvmlDeviceGetHandleByIndex " + index);
    byte[] name = new byte[NVML_DEVICE_NAME_V2_BUFFER_SIZE];
    check(nvmlDeviceGetName(device, name, name.length), "nvmlDeviceGetName " + index);
    try (nvmlMemory_t memory = new nvmlMemory_t()) {
      check(nvmlDeviceGetMemoryInfo(device, memory), "nvmlDeviceGetMemoryInfo " + index);
      return new Gpu(index, cString(name), memory.total());
    }
  }

  private static String cString(byte[] bytes) {
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8).strip();
  }

  private static void check(int status, String call) {
    if (status != NVML_SUCCESS) {
      throw new NvmlError(call + " failed: " + error(status));
    }
  }

  private static String error(int status) {
    return nvmlErrorString(status).getString() + " (" + status + ")";
  }

  private static final class NvmlError extends RuntimeException {
    NvmlError(String message) {
      super(message, null, false, false);
    }
  }
}
