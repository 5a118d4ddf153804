package dev.imajin.diffusion.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JobStoreTest {
  @Test
  @DisplayName("Last-Event-ID is a stream id; reading resumes at the next possible id")
  void eventIds() {
    assertThat(JobStore.isEventId("1795000000000-0")).isTrue();
    assertThat(JobStore.isEventId("1795000000000")).isFalse();
    assertThat(JobStore.isEventId("yesterday")).isFalse();
    assertThat(JobStore.successor("1795000000000-0")).isEqualTo("1795000000000-1");
    assertThat(JobStore.successor("5-18446744073709551615")).isEqualTo("6-0");
    assertThat(JobStore.eventsKey("job_x")).isEqualTo("imajin:diffusion:job:{job_x}:events");
  }
}
