package dev.imajin.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.cluster.ImajinCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two members started by the launcher in separate JVMs, each with different services, call each
 * other over the clustered event bus; a third JVM joins with {@code imajin call} and calls them.
 */
class ClusterLaunchTest {
  private static final Pattern LISTENING =
      Pattern.compile("\\s+(\\S+)\\s+http://localhost:(\\d+)\\s.*");
  private final List<Jvm> jvms = new ArrayList<>();
  private final String cluster = "imajin-it-" + ProcessHandle.current().pid();
  private final int basePort = 5920 + (int) (ProcessHandle.current().pid() % 40);

  @AfterEach
  void killAll() {
    jvms.forEach(Jvm::close);
  }

  private List<String> clusterArgs() {
    return List.of(
        "--cluster",
        "--cluster-port",
        String.valueOf(basePort),
        "--cluster-members",
        "127.0.0.1:" + basePort + "-" + (basePort + 4),
        "--set",
        "cluster.name=" + cluster);
  }

  private Jvm member(String name, String services) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--services", services));
    args.addAll(clusterArgs());
    for (String service : services.split(",")) {
      args.addAll(List.of("--set", "services." + service + ".port=0"));
    }
    Jvm jvm = Jvm.start(name, List.of(), Imajin.class, args);
    jvms.add(jvm);
    assertThat(jvm.awaitLine(l -> l.startsWith("Press Ctrl-C"), Duration.ofSeconds(60)))
        .as("%s started:%n%s", name, jvm.output())
        .isPresent();
    return jvm;
  }

  private static int port(Jvm jvm, String service) {
    return jvm.output()
        .lines()
        .map(LISTENING::matcher)
        .filter(Matcher::matches)
        .filter(m -> m.group(1).equals(service))
        .mapToInt(m -> Integer.parseInt(m.group(2)))
        .findFirst()
        .orElseThrow();
  }

  @Test
  @DisplayName("Members with different services call each other; a joining JVM calls them too")
  void membersCallEachOther() throws Exception {
    Jvm orchestrator = member("member-a", "proxy");
    Vertx vertx = Vertx.vertx();
    try {
      WebClient http = WebClient.create(vertx);
      int proxy = port(orchestrator, "proxy");
      JsonObject alone =
          http.get(proxy, "localhost", "/health/ready").send().await().bodyAsJsonObject();
      assertThat(alone.getString("status")).isEqualTo("DOWN");
      assertThat(alone.getJsonObject("checks").getString("service:processing")).contains("no node");

      member("member-b", "request-classifier,prompt-generator,diffusion,processing");
      JsonObject ready = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        ready = http.get(proxy, "localhost", "/health/ready").send().await().bodyAsJsonObject();
        if ("UP".equals(ready.getString("status"))) {
          break;
        }
        Thread.sleep(250);
      }
      assertThat(ready.getString("status"))
          .as("proxy readiness across the cluster: %s", ready)
          .isEqualTo("UP");
    } finally {
      vertx.close().await();
    }

    List<String> call = new ArrayList<>(List.of("call", "imajin.processing.info", "{}"));
    call.addAll(
        List.of(
            "--cluster-members",
            "127.0.0.1:" + basePort + "-" + (basePort + 4),
            "--set",
            "cluster.name=" + cluster,
            "--set",
            "cluster.port=" + (basePort + 2)));
    Jvm caller = Jvm.start("caller", List.of(), Imajin.class, call);
    jvms.add(caller);
    assertThat(caller.awaitExit(Duration.ofSeconds(60))).as(caller.output()).isZero();
    assertThat(caller.output())
        .contains("\"service\" : \"processing\"")
        .contains("\"operation_id\" : \"resize\"");

    List<String> invalid = new ArrayList<>(call);
    invalid.set(1, "imajin.processing.resize");
    invalid.set(2, "{\"width\": -3}");
    Jvm bad = Jvm.start("caller-bad", List.of(), Imajin.class, invalid);
    jvms.add(bad);
    assertThat(bad.awaitExit(Duration.ofSeconds(60))).as(bad.output()).isEqualTo(1);
    assertThat(bad.output()).contains("code 400").contains("urn:imajin:problem:validation");

    Path xml = Path.of("target", "jvms", "plain-peer-cluster.xml");
    String shipped =
        new String(
            ImajinCluster.class
                .getClassLoader()
                .getResourceAsStream(ImajinCluster.CONFIG_RESOURCE)
                .readAllBytes(),
            StandardCharsets.UTF_8);
    Files.writeString(
        xml,
        shipped
            .replace(
                "<cluster-name>imajin</cluster-name>",
                "<cluster-name>" + cluster + "</cluster-name>")
            .replace(">5701</port>", ">" + basePort + "</port>"));
    for (String[] request :
        List.of(
            new String[] {
              "imajin.request-classifier.info", "{}", "reply: {\"service\":\"request-classifier\""
            },
            // No model folder is installed where the test runs: the default model is missing.
            new String[] {
              "imajin.diffusion.generate", "{\"prompt\":\"a red star\"}", "failed: 404 "
            },
            new String[] {"imajin.diffusion.generate", "{\"steps\":0}", "failed: 400 "})) {
      Jvm peer =
          Jvm.start(
              "plain-peer",
              List.of("-Dvertx.hazelcast.config=" + xml.toAbsolutePath()),
              PlainPeer.class,
              List.of(request[0], request[1]));
      jvms.add(peer);
      assertThat(peer.awaitExit(Duration.ofSeconds(60))).as(peer.output()).isZero();
      assertThat(peer.output()).as(peer.output()).contains(request[2]);
    }

    assertThat(orchestrator.stop(Duration.ofSeconds(30))).isIn(0, 143);
    assertThat(orchestrator.output()).contains("imajin: stopped");
  }
}
