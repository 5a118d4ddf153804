package dev.imajin.gpuboss.inventory;

import java.lang.management.ManagementFactory;

/**
 * What the {@code cpu} device's defaults are made from: the machine's physical memory (the
 * container's limit where there is one) and its processors.
 */
record Host(long physicalMemoryBytes, int processors) {
  static Host current() {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new Host(os.getTotalMemorySize(), Runtime.getRuntime().availableProcessors());
  }
}
