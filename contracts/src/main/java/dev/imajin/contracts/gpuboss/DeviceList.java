package dev.imajin.contracts.gpuboss;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/** Every device the broker manages. */
public record DeviceList(List<Device> devices) implements BusMessage {

  public DeviceList {
    devices = List.copyOf(devices);
  }
}
