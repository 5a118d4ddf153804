package dev.imajin.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ImajinClusterTest {

  private static final String VERTX_CONFIG_PROPERTY = "vertx.hazelcast.config";

  @Test
  @DisplayName(
      "The shipped XML, read the way a plain Vert.x peer reads it, is the loopback cluster")
  void plainVertxReadsTheShippedXml() {
    Config config = loadLikePlainVertx("classpath:" + ImajinCluster.CONFIG_RESOURCE);

    assertThat(config.getClusterName()).isEqualTo("imajin");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isTrue();
    assertThat(config.getNetworkConfig().getPortCount()).isEqualTo(10);
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces())
        .containsExactly("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
    assertThat(config.getProperties())
        .containsEntry("hazelcast.phone.home.enabled", "false")
        .containsEntry("hazelcast.logging.type", "slf4j")
        .containsEntry("hazelcast.tcp.join.port.try.count", "10")
        .containsEntry("hazelcast.wait.seconds.before.join", "1")
        .containsEntry("hazelcast.max.wait.seconds.before.join", "3")
        .containsEntry("hazelcast.max.no.heartbeat.seconds", "10");
  }

  @Test
  @DisplayName("The shipped XML keeps every structure of vertx-hazelcast's default-cluster.xml")
  void shippedXmlKeepsVertxStructures() {
    Config vertxDefault = loadLikePlainVertx("classpath:default-cluster.xml");
    Config shipped = ImajinCluster.hazelcastConfig(ClusterSettings.defaults());

    assertThat(vertxDefault.getMapConfigs()).isNotEmpty();
    assertThat(shipped.getMapConfigs())
        .containsKeys(vertxDefault.getMapConfigs().keySet().toArray(String[]::new));
    vertxDefault
        .getMapConfigs()
        .forEach(
            (name, map) ->
                assertThat(shipped.getMapConfigs().get(name).getBackupCount())
                    .as(name)
                    .isEqualTo(map.getBackupCount()));
    vertxDefault
        .getMultiMapConfigs()
        .forEach(
            (name, multimap) -> {
              MultiMapConfig ours = shipped.getMultiMapConfigs().get(name);
              assertThat(ours).as(name).isNotNull();
              assertThat(ours.getValueCollectionType())
                  .as(name)
                  .isEqualTo(multimap.getValueCollectionType());
              assertThat(ours.getBackupCount()).as(name).isEqualTo(multimap.getBackupCount());
            });
    assertThat(shipped.getMultiMapConfigs()).containsKey("__vertx.subs");
  }

  @Test
  @DisplayName("Default settings expand the member range into one TCP-IP member per port")
  void defaultSettings() {
    Config config = ImajinCluster.hazelcastConfig(ClusterSettings.defaults());

    assertThat(config.getClusterName()).isEqualTo("imajin");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly(
            "127.0.0.1:5701",
            "127.0.0.1:5702",
            "127.0.0.1:5703",
            "127.0.0.1:5704",
            "127.0.0.1:5705",
            "127.0.0.1:5706",
            "127.0.0.1:5707",
            "127.0.0.1:5708",
            "127.0.0.1:5709",
            "127.0.0.1:5710");
  }

  @Test
  @DisplayName("Settings replace cluster name, port, interface and members of the XML")
  void settingsAreApplied() {
    ClusterSettings settings =
        new ClusterSettings(
            "10.0.0.5",
            5901,
            List.of("gpu-1", "10.0.0.6:5703", "10.0.0.7:5801-5803", "[::1]:5701", "10.0.0.6:5703"),
            "blue");

    Config config = ImajinCluster.hazelcastConfig(settings);

    assertThat(config.getClusterName()).isEqualTo("blue");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5901);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces())
        .containsExactly("10.0.0.5");
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers())
        .containsExactly(
            "gpu-1",
            "10.0.0.6:5703",
            "10.0.0.7:5801",
            "10.0.0.7:5802",
            "10.0.0.7:5803",
            "[::1]:5701");
    assertThat(config.getMapConfigs()).containsKey("__vertx.nodeInfo");
  }

  @Test
  @DisplayName("Each call returns a fresh config that later changes do not leak into")
  void configsAreIndependent() {
    Config first = ImajinCluster.hazelcastConfig(ClusterSettings.defaults());
    first.setClusterName("changed");

    assertThat(ImajinCluster.hazelcastConfig(ClusterSettings.defaults()).getClusterName())
        .isEqualTo("imajin");
  }

  @Test
  @DisplayName("An explicit XML file is read, and multicast in it is switched off for TCP-IP")
  void explicitXmlFile(@TempDir Path dir) throws Exception {
    Path xml = dir.resolve("cluster.xml");
    Files.writeString(
        xml,
        """
        <hazelcast xmlns="http://www.hazelcast.com/schema/config">
          <cluster-name>other</cluster-name>
          <properties><property name="hazelcast.phone.home.enabled">false</property></properties>
          <network>
            <join><multicast enabled="true"/></join>
          </network>
          <map name="images"><backup-count>2</backup-count></map>
        </hazelcast>
        """);
    ClusterSettings settings =
        new ClusterSettings("127.0.0.1", 6001, List.of("127.0.0.1:6001-6002"), "green");

    Config config = ImajinCluster.hazelcastConfig(settings, xml);

    assertThat(config.getClusterName()).isEqualTo("green");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(6001);
    assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:6001", "127.0.0.1:6002");
    assertThat(config.getMapConfigs().get("images").getBackupCount()).isEqualTo(2);
  }

  @Test
  void missingXmlFileFails(@TempDir Path dir) {
    Path missing = dir.resolve("absent.xml");
    assertThatThrownBy(() -> ImajinCluster.hazelcastConfig(ClusterSettings.defaults(), missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("absent.xml");
  }

  @Test
  void invalidXmlFileFailsNamingTheFile(@TempDir Path dir) throws Exception {
    Path xml = dir.resolve("broken.xml");
    Files.writeString(xml, "<hazelcast><network><port>not-a-port</port></network></hazelcast>");
    assertThatThrownBy(() -> ImajinCluster.hazelcastConfig(ClusterSettings.defaults(), xml))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("broken.xml");
  }

  @Test
  void clusterManagerCarriesTheAppliedConfig() {
    ClusterSettings settings =
        new ClusterSettings("127.0.0.1", 5901, List.of("127.0.0.1:5901"), "red");

    assertThat(ImajinCluster.clusterManager(settings).getConfig().getClusterName())
        .isEqualTo("red");
  }

  @Test
  @Timeout(60)
  @DisplayName("start fails its future, without throwing, when no interface has the host")
  void startFailsWhenNoInterfaceMatches() throws Exception {
    // 192.0.2.0/24 is reserved for documentation (RFC 5737), so no machine has it.
    ClusterSettings settings =
        new ClusterSettings("192.0.2.44", 5951, List.of("192.0.2.44:5951"), "nowhere");

    Future<Vertx> started = ImajinCluster.start(settings, new VertxOptions());

    started
        .toCompletionStage()
        .toCompletableFuture()
        .handle((v, e) -> null)
        .get(50, TimeUnit.SECONDS);
    assertThat(started.failed()).isTrue();
    assertThat(started.cause()).hasMessageContaining("No matching network interface");
  }

  private static Config loadLikePlainVertx(String location) {
    String previous = System.getProperty(VERTX_CONFIG_PROPERTY);
    System.setProperty(VERTX_CONFIG_PROPERTY, location);
    try {
      return ConfigUtil.loadConfig();
    } finally {
      if (previous == null) {
        System.clearProperty(VERTX_CONFIG_PROPERTY);
      } else {
        System.setProperty(VERTX_CONFIG_PROPERTY, previous);
      }
    }
  }
}
