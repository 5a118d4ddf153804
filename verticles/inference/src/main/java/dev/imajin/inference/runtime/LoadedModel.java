package dev.imajin.inference.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.imajin.gpuboss.client.HeldLease;
import dev.imajin.inference.model.ModelEntry;
import java.util.Map;

/**
 * A model whose ONNX sessions are open on a device, under a resident lease. Its sessions are used
 * only through {@link ModelHost#run}, on the device's worker pool.
 */
public final class LoadedModel {
  private final ModelEntry entry;
  private final HeldLease lease;
  private final Map<String, OrtSession> sessions;
  private int running;
  private boolean sessionsOpen = true;
  private volatile boolean closed;

  LoadedModel(ModelEntry entry, HeldLease lease, Map<String, OrtSession> sessions) {
    this.entry = entry;
    this.lease = lease;
    this.sessions = Map.copyOf(sessions);
  }

  public String id() {
    return entry.id();
  }

  public ModelEntry entry() {
    return entry;
  }

  public String device() {
    return lease.device();
  }

  public HeldLease lease() {
    return lease;
  }

  /** The session of a component ({@code unet}, {@code text_encoder}, ...). */
  public OrtSession session(String component) {
    OrtSession session = sessions.get(component);
    if (session == null) {
      throw new IllegalArgumentException(
          "model " + id() + " has no component " + component + " (has " + sessions.keySet() + ")");
    }
    return session;
  }

  public boolean has(String component) {
    return sessions.containsKey(component);
  }

  /** A component's declared input, by name. */
  public NodeInfo input(String component, String name) throws OrtException {
    NodeInfo info = session(component).getInputInfo().get(name);
    if (info == null) {
      throw new IllegalArgumentException(
          "model "
              + id()
              + ": "
              + component
              + " has no input "
              + name
              + " (has "
              + session(component).getInputNames()
              + ")");
    }
    return info;
  }

  public synchronized boolean busy() {
    return running > 0;
  }

  public boolean closed() {
    return closed;
  }

  /** Counts a run in: the number of runs now, or -1 when the model is closed. */
  synchronized int tryEnter() {
    if (closed) {
      return -1;
    }
    return ++running;
  }

  /** Counts a run out; closes the sessions when the model was closed while it ran. */
  synchronized int leave() {
    running--;
    if (running == 0 && closed) {
      closeSessions();
    }
    return running;
  }

  /** Closes the model only if nothing runs on it; true when it did. */
  synchronized boolean closeIfIdle() {
    if (running > 0) {
      return false;
    }
    close();
    return true;
  }

  /**
   * Closes the model: no new run starts, and the sessions close now or, when runs are in progress,
   * as the last one ends. The caller releases the lease.
   */
  synchronized void close() {
    closed = true;
    if (running == 0) {
      closeSessions();
    }
  }

  private void closeSessions() {
    if (!sessionsOpen) {
      return;
    }
    sessionsOpen = false;
    for (OrtSession session : sessions.values()) {
      try {
        session.close();
      } catch (OrtException e) {
        // closing frees native memory; a failure here leaves nothing to retry
      }
    }
  }
}
