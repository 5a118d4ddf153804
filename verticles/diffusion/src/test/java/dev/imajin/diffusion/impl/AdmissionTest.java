package dev.imajin.diffusion.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.ImajinException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  @Test
  @DisplayName("A generation waits from admission until it starts; one over the bound is a 503")
  void boundsTheWaiting() {
    Admission admission = new Admission(2);
    Admission.Ticket first = admission.admit();
    Admission.Ticket second = admission.admit();
    assertThatThrownBy(admission::admit)
        .isInstanceOfSatisfying(
            ImajinException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.retryAfterSeconds()).isEqualTo(1);
              assertThat(e.getMessage()).contains("diffusion.max-queued");
            });
    first.start();
    first.leave();
    assertThat(first.started()).isTrue();
    assertThat(admission.waiting()).isEqualTo(1);
    second.leave();
    second.leave();
    assertThat(admission.waiting()).isZero();
    admission.admit();
    admission.admit();
    assertThat(admission.waiting()).isEqualTo(2);
  }
}
