package dev.imajin.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterSettingsTest {

  @Test
  @DisplayName("Defaults describe the loopback cluster imajin on 127.0.0.1:5701-5710")
  void defaults() {
    ClusterSettings s = ClusterSettings.defaults();

    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.port()).isEqualTo(5701);
    assertThat(s.members()).containsExactly("127.0.0.1:5701-5710");
    assertThat(s.clusterName()).isEqualTo("imajin");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.1.2.3", "127.0.0.1", "::1", "fe80::1"})
  @DisplayName("An IP address of one interface is a valid host")
  void acceptsIpAddresses(String host) {
    assertThat(settings(host, 5701, List.of("127.0.0.1")).host()).isEqualTo(host);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "localhost", "10.0.0.*", "256.1.1.1", "1.2.3", "0.0.0.0", "::"})
  @DisplayName("Blank hosts, host names, patterns and wildcard addresses are rejected")
  void rejectsHostsThatAreNotOneAddress(String host) {
    assertThatThrownBy(() -> settings(host, 5701, List.of("127.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster host");
  }

  @Test
  void rejectsNullHost() {
    assertThatThrownBy(() -> settings(null, 5701, List.of("127.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster host");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65536})
  void rejectsPortsOutsideTheTcpRange(int port) {
    assertThatThrownBy(() -> settings("127.0.0.1", port, List.of("127.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster port");
  }

  @Test
  void acceptsTheFirstAndLastPort() {
    assertThat(settings("127.0.0.1", 1, List.of("h")).port()).isEqualTo(1);
    assertThat(settings("127.0.0.1", 65535, List.of("h")).port()).isEqualTo(65535);
  }

  @Test
  void rejectsMissingMembers() {
    assertThatThrownBy(() -> settings("127.0.0.1", 5701, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("members");
    assertThatThrownBy(() -> settings("127.0.0.1", 5701, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("members");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gpu-1.example.com",
        "10.0.0.7:5701",
        "10.0.0.7:5701-5710",
        "10.0.0.*",
        "[::1]",
        "[::1]:5701-5703",
        "fe80::1"
      })
  @DisplayName("Members may be a host, host:port or host:first-last")
  void acceptsMemberForms(String member) {
    assertThat(settings("127.0.0.1", 5701, List.of(member)).members()).containsExactly(member);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        ":5701",
        "a b",
        "h1,h2",
        "host:",
        "host:port",
        "host:0",
        "host:65536",
        "host:5710-5701",
        "host:5701-",
        "host:1-101",
        "[::1",
        "[::1]5701"
      })
  @DisplayName("Malformed members are rejected with the offending entry in the message")
  void rejectsMalformedMembers(String member) {
    assertThatThrownBy(() -> settings("127.0.0.1", 5701, List.of(member)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster member '" + member + "'");
  }

  @Test
  void rejectsNullMemberEntry() {
    List<String> members = new ArrayList<>();
    members.add(null);
    assertThatThrownBy(() -> settings("127.0.0.1", 5701, members))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster member");
  }

  @Test
  void copiesTheMemberList() {
    List<String> members = new ArrayList<>(List.of("127.0.0.1"));
    ClusterSettings s = settings("127.0.0.1", 5701, members);
    members.add("10.0.0.1");

    assertThat(s.members()).containsExactly("127.0.0.1");
    assertThatThrownBy(() -> s.members().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void rejectsBlankClusterName(String name) {
    assertThatThrownBy(() -> new ClusterSettings("127.0.0.1", 5701, List.of("h"), name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster name");
  }

  @Test
  void rejectsNullClusterName() {
    assertThatThrownBy(() -> new ClusterSettings("127.0.0.1", 5701, List.of("h"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster name");
  }

  private static ClusterSettings settings(String host, int port, List<String> members) {
    return new ClusterSettings(host, port, members, "imajin");
  }
}
