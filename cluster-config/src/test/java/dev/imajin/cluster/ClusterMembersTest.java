package dev.imajin.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two cluster members in separate JVMs: an imajin member started by {@link ImajinCluster} and a
 * plain Vert.x peer configured only by the shipped XML. Ports 5801-5810 and a per-run cluster name
 * keep it away from a developer's cluster on 5701-5710 and from concurrent runs.
 */
class ClusterMembersTest {

  private static final int PORT = 5801;
  private static final Path LOG_DIR = Path.of("target", "cluster-it");

  private final List<ChildJvm> children = new ArrayList<>();

  @AfterEach
  void destroyChildren() throws InterruptedException {
    for (ChildJvm child : children) {
      child.close();
      System.out.println(child.output());
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  @DisplayName("A plain Vert.x JVM with only imajin-cluster.xml gets a reply from an imajin member")
  void plainPeerCallsImajinMember() throws Exception {
    Files.createDirectories(LOG_DIR);
    String clusterName = "imajin-it-" + ProcessHandle.current().pid();
    Path peerXml = writePeerXml(clusterName);
    String nonce = UUID.randomUUID().toString();
    long start = System.nanoTime();

    ChildJvm member =
        started(
            ChildJvm.start(
                "imajin-member",
                LOG_DIR,
                List.of(),
                EchoMember.class,
                String.valueOf(PORT),
                clusterName));
    member.awaitLine("READY", Duration.ofSeconds(40));
    long memberReady = System.nanoTime();

    ChildJvm peer =
        started(
            ChildJvm.start(
                "plain-peer",
                LOG_DIR,
                List.of("-Dvertx.hazelcast.config=" + peerXml.toAbsolutePath()),
                PlainPeer.class,
                nonce));
    int exit = peer.awaitExit(Duration.ofSeconds(60));

    assertThat(exit).as("plain peer exit status" + peer.output()).isZero();
    JsonObject reply = new JsonObject(peer.awaitLine("REPLY ", Duration.ZERO).substring(6));
    assertThat(reply.getJsonObject("echo").getString("ping")).isEqualTo(nonce);
    assertThat(reply.getString("member")).isEqualTo("imajin");
    System.out.printf(
        "imajin member ready after %d ms, plain peer done after %d ms more%n",
        TimeUnit.NANOSECONDS.toMillis(memberReady - start),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - memberReady));
  }

  /**
   * The shipped XML with only the test's port and cluster name changed, for the peer to read
   * through {@code -Dvertx.hazelcast.config}.
   */
  private static Path writePeerXml(String clusterName) throws IOException {
    String shipped;
    try (InputStream in =
        ClusterMembersTest.class
            .getClassLoader()
            .getResourceAsStream(ImajinCluster.CONFIG_RESOURCE)) {
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String xml =
        shipped
            .replace(
                "<cluster-name>imajin</cluster-name>",
                "<cluster-name>" + clusterName + "</cluster-name>")
            .replace(">5701</port>", ">" + PORT + "</port>");
    assertThat(xml).contains(clusterName).contains(">" + PORT + "</port>");
    return Files.writeString(LOG_DIR.resolve("peer-cluster.xml"), xml);
  }

  private ChildJvm started(ChildJvm child) {
    children.add(child);
    return child;
  }
}
