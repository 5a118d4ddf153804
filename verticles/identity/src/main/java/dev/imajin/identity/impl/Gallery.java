package dev.imajin.identity.impl;

import dev.imajin.contracts.identity.ConsentKind;
import dev.imajin.inference.face.FaceEmbedder;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * This node's copy of the enrolled identities, read from the {@link IdentityStore} and read again
 * whenever the store's version has moved (another node, or this one, changed it), so every request
 * sees every change acknowledged before it started. Called on the service's event loop.
 */
final class Gallery {
  /** One identity's best similarity to a face. */
  record Match(IdentityStore.Stored identity, double similarity) {}

  private final IdentityStore store;
  private IdentityStore.Snapshot snapshot = new IdentityStore.Snapshot(-1, List.of());
  private Future<IdentityStore.Snapshot> reading;

  Gallery(IdentityStore store) {
    this.store = store;
  }

  /** The identities now: the copy when the store's version has not moved, else a fresh read. */
  Future<IdentityStore.Snapshot> current() {
    return store
        .version()
        .compose(
            version -> {
              if (version == snapshot.version()) {
                return Future.succeededFuture(snapshot);
              }
              if (reading == null) {
                Future<IdentityStore.Snapshot> read = store.snapshot();
                reading = read;
                read.onComplete(
                    done -> {
                      if (reading == read) {
                        reading = null;
                      }
                      if (done.succeeded() && done.result().version() >= snapshot.version()) {
                        snapshot = done.result();
                      }
                    });
                return read;
              }
              // a read in flight may have started before the change this request must see
              return reading.compose(
                  s -> s.version() >= version ? Future.succeededFuture(s) : store.snapshot());
            });
  }

  static Optional<IdentityStore.Stored> find(IdentityStore.Snapshot s, String id) {
    return s.identities().stream().filter(i -> i.id().equals(id)).findFirst();
  }

  /** The best similarity of an embedding to any of the identity's faces; -1 when it has none. */
  static double best(IdentityStore.Stored identity, float[] embedding) {
    double best = -1;
    for (IdentityStore.StoredFace f : identity.faces()) {
      if (f.embedding().length == embedding.length) {
        best = Math.max(best, FaceEmbedder.cosine(f.embedding(), embedding));
      }
    }
    return best;
  }

  /**
   * The identities embedded with {@code model} (of one consent kind, when not null) whose best
   * similarity to the embedding reaches the threshold, most similar first, at most {@code max}.
   */
  static List<Match> search(
      IdentityStore.Snapshot s,
      String model,
      float[] embedding,
      double threshold,
      ConsentKind consent,
      int max) {
    List<Match> matches = new ArrayList<>();
    for (IdentityStore.Stored identity : s.identities()) {
      if (!identity.model().equals(model)
          || (consent != null && identity.consent().kind() != consent)) {
        continue;
      }
      double similarity = best(identity, embedding);
      if (similarity >= threshold) {
        matches.add(new Match(identity, similarity));
      }
    }
    matches.sort(
        Comparator.comparingDouble(Match::similarity)
            .reversed()
            .thenComparingLong(m -> m.identity().seq()));
    return matches.size() > max ? List.copyOf(matches.subList(0, max)) : List.copyOf(matches);
  }
}
