package dev.imajin.identity.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.imajin.contracts.identity.Consent;
import dev.imajin.contracts.identity.ConsentKind;
import dev.imajin.contracts.identity.EnrolledFace;
import dev.imajin.contracts.identity.FaceBox;
import dev.imajin.runtime.Ids;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** 1:N matching and the embedding encoding, on hand-made unit vectors. */
class GalleryTest {
  private static final Instant T = Instant.parse("2026-11-29T12:00:00Z");

  private static IdentityStore.StoredFace face(float... v) {
    return new IdentityStore.StoredFace(
        new EnrolledFace("fce_" + v[0], new FaceBox(0, 0, 1, 1), 0.9, 1, T), v, 0);
  }

  private static IdentityStore.Stored identity(
      String id, long seq, ConsentKind kind, String model, IdentityStore.StoredFace... faces) {
    return new IdentityStore.Stored(
        id, seq, id, null, new Consent(kind, "owner", T, null), model, List.of(faces), T, T);
  }

  @Test
  @DisplayName("An identity's similarity is its best face's; candidates are sorted and filtered")
  void search() {
    IdentityStore.Stored a =
        identity("a", 1, ConsentKind.PROTECTED, "m", face(1, 0, 0), face(0.6f, 0.8f, 0));
    IdentityStore.Stored b = identity("b", 2, ConsentKind.CONSENTED, "m", face(0, 1, 0));
    IdentityStore.Stored c = identity("c", 3, ConsentKind.PROTECTED, "other", face(0, 1, 0));
    IdentityStore.Snapshot s = new IdentityStore.Snapshot(1, List.of(a, b, c));
    float[] query = {0, 1, 0};
    assertThat(Gallery.best(a, query)).isCloseTo(0.8, within(1e-6));
    List<Gallery.Match> all = Gallery.search(s, "m", query, 0.5, null, 10);
    assertThat(all).extracting(m -> m.identity().id()).containsExactly("b", "a");
    assertThat(all.get(0).similarity()).isCloseTo(1.0, within(1e-6));
    // another embedder's identity is never compared
    assertThat(Gallery.search(s, "other", query, 0.5, null, 10))
        .extracting(m -> m.identity().id())
        .containsExactly("c");
    assertThat(Gallery.search(s, "m", query, 0.9, null, 10)).hasSize(1);
    assertThat(Gallery.search(s, "m", query, 0.5, ConsentKind.PROTECTED, 10))
        .extracting(m -> m.identity().id())
        .containsExactly("a");
    assertThat(Gallery.search(s, "m", query, 0.5, null, 1)).hasSize(1);
  }

  @Test
  @DisplayName("Embeddings survive their text form bit for bit")
  void encoding() {
    float[] v = {1.5f, -0.0f, Float.MIN_VALUE, 0.123456789f, -3e10f};
    assertThat(IdentityStore.decode(IdentityStore.encode(v))).containsExactly(v);
    assertThat(Ids.next("idn_")).matches("idn_[0-9A-Z]{26}");
  }
}
