package dev.imajin.moderator.layers;

import dev.imajin.contracts.moderator.DihedralVariant;
import dev.imajin.contracts.moderator.HashMatch;
import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerPolicy;
import dev.imajin.contracts.moderator.MatchHashRequest;
import dev.imajin.contracts.moderator.PdqVariant;
import dev.imajin.moderator.ModeratorService;
import dev.imajin.moderator.pdq.Hash256;
import dev.imajin.moderator.policy.LayerOutcome;
import dev.imajin.moderator.policy.ModerationPolicy;
import dev.imajin.moderator.policy.Signal;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layer 1, {@code hash_match}: the image's PDQ hash (and, with {@code dihedral}, its seven other
 * rotations and reflections) against the banks, through the same index as {@code matchHash}. Each
 * bank with an entry within {@code threshold} bits gives the signal {@code bank:<id>}, scored
 * {@code 1 - distance / 256} and carrying the bank's category. An image whose PDQ quality is under
 * {@code quality_floor} matches nothing (its hash is unreliable). A bank the policy names that does
 * not exist makes the layer unavailable.
 */
public final class HashMatchLayer implements ModerationLayer {
  static final int MAX_MATCHES = 100;

  private final ModeratorService banks;

  public HashMatchLayer(ModeratorService banks) {
    this.banks = banks;
  }

  @Override
  public Layer layer() {
    return Layer.HASH_MATCH;
  }

  @Override
  public Future<LayerOutcome> run(
      ModerationInput in, LayerPolicy settings, ModerationPolicy policy) {
    if (!in.hasImage()) {
      return Future.succeededFuture(
          new LayerOutcome(
              Outcomes.passed(settings, null, List.of(), null, null, null, null), List.of()));
    }
    List<PdqVariant> variants = null;
    if (!Boolean.FALSE.equals(settings.dihedral())) {
      variants = new ArrayList<>();
      for (Map.Entry<DihedralVariant, Hash256> v : in.pdq().variants().entrySet()) {
        if (v.getKey() != DihedralVariant.ORIGINAL) {
          variants.add(new PdqVariant(v.getKey(), v.getValue().toHex()));
        }
      }
    }
    MatchHashRequest request =
        new MatchHashRequest(
            in.pdq().hash().toHex(),
            in.pdq().quality(),
            variants,
            settings.banks() == null || settings.banks().isEmpty() ? null : settings.banks(),
            settings.threshold() == null
                ? MatchHashRequest.DEFAULT_THRESHOLD
                : settings.threshold().intValue(),
            settings.qualityFloor() == null
                ? MatchHashRequest.DEFAULT_QUALITY_FLOOR
                : settings.qualityFloor(),
            MAX_MATCHES);
    return banks
        .matchHash(request)
        .map(
            result -> {
              Map<String, HashMatch> nearest = new LinkedHashMap<>();
              for (HashMatch m : result.matches()) {
                nearest.putIfAbsent(m.bankId(), m);
              }
              List<Signal> signals = new ArrayList<>();
              for (HashMatch m : nearest.values()) {
                signals.add(
                    new Signal(
                        "bank:" + m.bankId(),
                        1 - m.distance() / 256.0,
                        m.category(),
                        "the image is "
                            + m.distance()
                            + " bits from an entry of bank "
                            + m.bankId()
                            + (m.variant() == null || m.variant() == DihedralVariant.ORIGINAL
                                ? ""
                                : " (as "
                                    + m.variant().name().toLowerCase(java.util.Locale.ROOT)
                                    + ")")));
              }
              return new LayerOutcome(
                  Outcomes.passed(settings, null, result.matches(), null, null, null, null),
                  signals);
            });
  }
}
