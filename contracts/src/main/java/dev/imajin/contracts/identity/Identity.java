package dev.imajin.contracts.identity;

import dev.imajin.contracts.BusMessage;
import java.time.Instant;
import java.util.List;

/** An enrolled identity with its consent record and faces (without embeddings). */
public record Identity(
    String id,
    String name,
    String externalRef,
    Consent consent,
    int faceCount,
    List<EnrolledFace> faces,
    String embeddingModel,
    Instant createdAt,
    Instant updatedAt)
    implements BusMessage {

  public Identity {
    faces = faces == null ? null : List.copyOf(faces);
  }
}
