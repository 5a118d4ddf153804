package dev.imajin.launcher;

import dev.imajin.runtime.config.ConfigLoader;
import dev.imajin.runtime.config.ImajinConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The configuration options every command shares: the file, overrides and the cluster members. */
final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Configuration file (YAML). Default: ./config.yaml when present.")
  Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override one configuration key, e.g. --set services.pipeline.port=9080. Repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--cluster-members",
      split = ",",
      paramLabel = "HOST[:PORT[-PORT]]",
      description = "Members to join (cluster.members).")
  List<String> clusterMembers = new ArrayList<>();

  /**
   * Loads the configuration: file, environment, then {@code first} (a command's own shortcuts),
   * then {@code --cluster-members} and the {@code --set} overrides.
   *
   * @throws dev.imajin.runtime.config.ConfigException naming the key of a bad value
   */
  ImajinConfig load(List<String> first) {
    List<String> all = new ArrayList<>(first);
    if (!clusterMembers.isEmpty()) {
      all.add("cluster.members=[" + String.join(",", clusterMembers) + "]");
    }
    all.addAll(overrides);
    return ConfigLoader.load(Optional.ofNullable(configFile), System.getenv(), all);
  }
}
