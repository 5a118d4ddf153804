package dev.imajin.moderator.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.imajin.contracts.Json;
import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.LayerPolicy;
import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.contracts.moderator.Policy;
import dev.imajin.contracts.moderator.PolicyConcept;
import dev.imajin.contracts.moderator.PolicyCondition;
import dev.imajin.contracts.moderator.PolicyRule;
import dev.imajin.moderator.text.TextRules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A moderation policy file, read and checked: its layers (each of the five exactly once, with its
 * time budget and settings), its prompt text rules (compiled), its zero-shot concepts and its
 * rules. Immutable once read; the {@link Decider} applies it.
 *
 * <p>The file is YAML with the fields of the contract's {@code Policy} in snake_case, less {@code
 * sha256} and {@code loaded_at}, which are computed. Unknown keys, a missing layer, a signal that
 * does not belong to its layer, a rule that names an unknown text rule or concept, duplicate ids, a
 * score band with {@code min_score >= max_score} and a response floor under the slowest layer's
 * budget are all refused with a message naming the file and the place. A floor of 0 turns the floor
 * off (answers are then only rounded up to the quantum), for measurements; it gives up the timing
 * guarantee.
 */
public final class ModerationPolicy {
  /** The policy of the starter pack, in the moderator's resources. */
  public static final String STARTER_RESOURCE = "/dev/imajin/moderator/policy/starter-policy.yaml";

  static final long DEFAULT_QUANTUM_MS = 50;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Policy policy;
  private final Map<Layer, LayerPolicy> layers;
  private final TextRules textRules;
  private final Map<String, Double> thresholds;
  private final Map<String, PolicyRule> firstRuleOfSignal;

  private ModerationPolicy(Policy policy, TextRules textRules) {
    this.policy = policy;
    this.layers = new EnumMap<>(Layer.class);
    for (LayerPolicy l : policy.layers()) {
      layers.put(l.layer(), l);
    }
    this.textRules = textRules;
    this.thresholds = new HashMap<>();
    this.firstRuleOfSignal = new HashMap<>();
    for (PolicyRule rule : policy.rules()) {
      for (PolicyCondition c : rule.when()) {
        firstRuleOfSignal.putIfAbsent(c.signal(), rule);
        double min = c.minScore() == null ? 0 : c.minScore();
        thresholds.merge(c.signal(), min, Math::min);
      }
    }
  }

  /** Reads and checks a policy file. */
  public static ModerationPolicy read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PolicyException("cannot read the policy file " + file + ": " + e.getMessage(), e);
    }
    return parse(bytes, file.toString(), Instant.now());
  }

  /** The starter policy shipped with the moderator. */
  public static ModerationPolicy starter() {
    try (InputStream in = ModerationPolicy.class.getResourceAsStream(STARTER_RESOURCE)) {
      if (in == null) {
        throw new PolicyException("the starter policy " + STARTER_RESOURCE + " is not on the path");
      }
      return parse(in.readAllBytes(), "the starter policy", Instant.now());
    } catch (IOException e) {
      throw new PolicyException("cannot read the starter policy: " + e.getMessage(), e);
    }
  }

  /**
   * Parses and checks a policy.
   *
   * @param source names the policy in messages (its path)
   * @param loadedAt the time reported as {@code loaded_at}
   * @throws PolicyException naming the source and what is wrong
   */
  public static ModerationPolicy parse(byte[] bytes, String source, Instant loadedAt) {
    Policy read;
    try {
      JsonNode tree = YAML.readTree(bytes);
      if (tree == null || !tree.isObject()) {
        throw new PolicyException(source + ": a policy is a YAML mapping");
      }
      for (String computed : List.of("sha256", "loaded_at")) {
        if (tree.has(computed)) {
          throw new PolicyException(source + ": '" + computed + "' is computed, not written");
        }
      }
      read = Json.mapper().treeToValue(tree, Policy.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new PolicyException(source + ": " + firstLine(e.getMessage()), e);
    } catch (IOException e) {
      throw new PolicyException(source + ": " + e.getMessage(), e);
    }
    Policy policy =
        new Policy(
            read.version(),
            read.description(),
            sha256(bytes),
            loadedAt,
            read.responseFloorMs(),
            read.responseQuantumMs() == null ? DEFAULT_QUANTUM_MS : read.responseQuantumMs(),
            read.layers(),
            read.textRules(),
            read.concepts(),
            read.rules());
    TextRules compiled = PolicyCheck.check(policy, source);
    return new ModerationPolicy(policy, compiled);
  }

  /** The policy as {@code getPolicy} answers it. */
  public Policy policy() {
    return policy;
  }

  public String version() {
    return policy.version();
  }

  public LayerPolicy layer(Layer layer) {
    return layers.get(layer);
  }

  public List<PolicyRule> rules() {
    return policy.rules();
  }

  public TextRules textRules() {
    return textRules;
  }

  public List<PolicyConcept> concepts() {
    return policy.concepts();
  }

  public long responseFloorMs() {
    return policy.responseFloorMs();
  }

  public long responseQuantumMs() {
    return policy.responseQuantumMs();
  }

  /**
   * The lowest {@code min_score} of any rule condition on exactly this signal (0 when a condition
   * has none), or null when no rule tests it: what a label or concept is shown against.
   */
  public Double threshold(String signal) {
    return thresholds.get(signal);
  }

  /** The category of the first rule that tests exactly this signal, or null. */
  public ModerationCategory category(String signal) {
    PolicyRule rule = firstRuleOfSignal.get(signal);
    return rule == null ? null : rule.category();
  }

  static String wire(Layer layer) {
    return layer.name().toLowerCase(Locale.ROOT);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "the policy does not fit its schema";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
