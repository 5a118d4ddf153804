package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import java.util.List;

/**
 * A PDQ hash as 64 hexadecimal characters (big-endian), its quality from 0 to 100 and, on request,
 * the hashes of the image's eight dihedral variants.
 */
public record PdqHash(String hash, int quality, List<PdqVariant> variants) implements BusMessage {

  public PdqHash {
    variants = variants == null ? null : List.copyOf(variants);
  }
}
