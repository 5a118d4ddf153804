package dev.imajin.contracts.common;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** What a service is and what it has built; the answer of every service's {@code info}. */
public record ServiceInfo(
    String service,
    String version,
    BuildInfo build,
    List<ModelRef> models,
    List<OperationStatus> operations)
    implements BusMessage {

  public ServiceInfo {
    models = List.copyOf(models);
    operations = List.copyOf(operations);
  }
}
