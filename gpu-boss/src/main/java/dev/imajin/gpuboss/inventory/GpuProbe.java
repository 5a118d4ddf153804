package dev.imajin.gpuboss.inventory;

import java.util.List;

/**
 * One way of finding the machine's GPUs. {@link #probe()} never throws: a probe that cannot run
 * (library missing, command missing, output it does not understand) answers why, and discovery goes
 * on to the next.
 */
interface GpuProbe {
  /** What the probe is called when {@link DeviceInventory#describe()} says why it found nothing. */
  String label();

  /** The {@link DeviceSpec#source()} of the GPUs it finds. */
  String source();

  Result probe();

  /** A GPU as found: its index, product name and total memory. */
  record Gpu(int index, String name, long memoryBytes) {}

  /** The GPUs found, or, when there are none, why not. */
  record Result(List<Gpu> gpus, String problem) {
    public Result {
      gpus = List.copyOf(gpus);
    }

    static Result found(List<Gpu> gpus) {
      return gpus.isEmpty() ? unavailable("no GPU listed") : new Result(gpus, null);
    }

    static Result unavailable(String problem) {
      return new Result(List.of(), problem);
    }

    boolean available() {
      return !gpus.isEmpty();
    }
  }
}
