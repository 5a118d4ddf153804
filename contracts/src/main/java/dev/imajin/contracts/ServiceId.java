package dev.imajin.contracts;

import java.util.Arrays;
import java.util.Locale;

/** The services of imajin, with the name used in event-bus addresses, contracts and config. */
public enum ServiceId {
  PIPELINE("pipeline", 8080),
  PROXY("proxy", 8081),
  DIFFUSION("diffusion", 8002),
  PROMPT("prompt", 8003),
  PROCESSING("processing", 8004),
  SEMANTIC("semantic", 8005),
  AESTHETIC("aesthetic", 8006),
  GPU_BOSS("gpu-boss", 8007),
  MODERATOR("moderator", 8008),
  IDENTITY("identity", 8009),
  REQUEST_CLASSIFIER("request-classifier", 8010),
  PROMPT_GENERATOR("prompt-generator", 8011);

  private final String id;
  private final int defaultPort;

  ServiceId(String id, int defaultPort) {
    this.id = id;
    this.defaultPort = defaultPort;
  }

  /** The service's name, for example {@code request-classifier}. */
  public String id() {
    return id;
  }

  public int defaultPort() {
    return defaultPort;
  }

  /** Classpath location of the service's OpenAPI document. */
  public String contractResource() {
    return "openapi/" + id + ".yaml";
  }

  /** Java package holding the records of the service's bodies. */
  public String recordPackage() {
    return "dev.imajin.contracts." + id.replace("-", "");
  }

  /**
   * The service with the given name.
   *
   * @throws IllegalArgumentException naming the known services when there is none
   */
  public static ServiceId of(String id) {
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(s -> s.id.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown service '" + id + "'; known services: " + Arrays.toString(ids())));
  }

  static String[] ids() {
    return Arrays.stream(values()).map(ServiceId::id).toArray(String[]::new);
  }

  @Override
  public String toString() {
    return id;
  }
}
