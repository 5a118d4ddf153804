package dev.imajin.gpuboss.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FencingTokensTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final FencingTokens tokens = new FencingTokens(now::get);

  @Test
  @DisplayName("The newest token per resource wins; an older one is told the newer")
  void newestWins() {
    assertThat(tokens.admit("a", 5)).isEqualTo(5);
    assertThat(tokens.admit("a", 4)).isEqualTo(5);
    assertThat(tokens.admit("a", 5)).isEqualTo(5);
    assertThat(tokens.admit("a", 9)).isEqualTo(9);
    assertThat(tokens.admit("b", 1)).isEqualTo(1);
    assertThat(tokens.newest("a")).isEqualTo(9);
    assertThat(tokens.newest("c")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  @DisplayName("Resources no lease has come for within the retention are forgotten")
  void forgetsIdleResources() {
    tokens.admit("idle", 5);
    now.addAndGet(FencingTokens.RETENTION.toNanos() / 2);
    tokens.admit("busy", 1);
    now.addAndGet(FencingTokens.RETENTION.toNanos() / 2 + 1);
    tokens.admit("busy", 2);
    assertThat(tokens.size()).isEqualTo(1);
    assertThat(tokens.newest("idle")).isEqualTo(Long.MIN_VALUE);
    assertThat(tokens.newest("busy")).isEqualTo(2);
  }
}
