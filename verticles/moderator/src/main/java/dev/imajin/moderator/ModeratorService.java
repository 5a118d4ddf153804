package dev.imajin.moderator;

import dev.imajin.contracts.common.ModelRef;
import dev.imajin.contracts.moderator.AddHashesRequest;
import dev.imajin.contracts.moderator.BankDeletion;
import dev.imajin.contracts.moderator.BankList;
import dev.imajin.contracts.moderator.CreateBankRequest;
import dev.imajin.contracts.moderator.HashBank;
import dev.imajin.contracts.moderator.HashChangeResult;
import dev.imajin.contracts.moderator.HashImageRequest;
import dev.imajin.contracts.moderator.Incident;
import dev.imajin.contracts.moderator.IncidentPage;
import dev.imajin.contracts.moderator.MatchHashRequest;
import dev.imajin.contracts.moderator.MatchImageRequest;
import dev.imajin.contracts.moderator.MatchResult;
import dev.imajin.contracts.moderator.ModerateImageRequest;
import dev.imajin.contracts.moderator.ModeratePromptRequest;
import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.contracts.moderator.ModerationResult;
import dev.imajin.contracts.moderator.PdqHash;
import dev.imajin.contracts.moderator.Policy;
import dev.imajin.contracts.moderator.RemoveHashesRequest;
import dev.imajin.moderator.impl.DefaultModeratorService;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.config.ImajinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The moderator's operations: moderation of images and prompts under a versioned policy, the
 * policy, the incident log, PDQ hashing and the hash banks (create, list, get, delete; add, remove,
 * import hashes; match an image or a hash). Every method fails its future with an {@link
 * dev.imajin.contracts.ImajinException} for errors a caller should see; none of those changes
 * anything.
 */
public interface ModeratorService {
  /**
   * The hash banks alone on the given Redis (for benchmarks); {@link #start()} loads the banks. Its
   * moderation, policy and incident operations answer 501.
   */
  static ModeratorService create(Vertx vertx, Redis redis, ImajinConfig.Moderator config) {
    return new DefaultModeratorService(vertx, redis, config);
  }

  /**
   * The whole moderator, started: the banks loaded, the policy read ({@code moderator.policy-file},
   * else the starter policy), the five layers ready to run (models load in the background).
   */
  static Future<ModeratorService> start(Vertx vertx, ServiceContext context) {
    return DefaultModeratorService.start(vertx, context);
  }

  /**
   * Runs all five layers on the image and its prompt and decides under the policy; {@code block}
   * and {@code review} are logged as incidents before the answer. The answer is padded to the
   * policy's response floor. 400 for bad base64, 413 over the pixel limit, 422 for an undecodable
   * image; 503 when the incident log cannot be written.
   */
  Future<ModerationResult> moderateImage(ModerateImageRequest request, String requestId);

  /** The prompt alone against the text rules of {@code prohibited_content}; padded likewise. */
  Future<ModerationResult> moderatePrompt(ModeratePromptRequest request, String requestId);

  /**
   * Succeeds once every layer has loaded what it needs (its models, or those of the service it
   * calls): the service's readiness. Until then, and after a failure, requests still get an answer,
   * failing closed for the layers that cannot run.
   */
  Future<Void> ready();

  /** The models this node's moderator has loaded (the classifier, detector and age slots). */
  List<ModelRef> loadedModels();

  /** The policy in force. */
  Future<Policy> getPolicy();

  /**
   * Incidents, newest first: {@code since} inclusive, {@code until} exclusive (either null), with
   * one of {@code categories} (empty: any), of {@code verdict} (null: both).
   */
  Future<IncidentPage> listIncidents(
      Instant since,
      Instant until,
      Set<ModerationCategory> categories,
      String verdict,
      int limit,
      String cursor);

  /** 404 when there is no such incident (never logged, or past retention). */
  Future<Incident> getIncident(String incidentId);

  /** Loads every bank into memory and starts following bank changes. */
  Future<Void> start();

  Future<PdqHash> hashImage(HashImageRequest request);

  Future<HashBank> createBank(CreateBankRequest request);

  Future<BankList> listBanks();

  /** 404 when the bank does not exist. */
  Future<HashBank> getBank(String bankId);

  /** 404 when the bank does not exist. */
  Future<BankDeletion> deleteBank(String bankId);

  /** 400 naming each malformed hash, 404 for an unknown bank; all or nothing. */
  Future<HashChangeResult> addHashes(String bankId, AddHashesRequest request);

  /** 400 naming each malformed hash, 404 for an unknown bank; all or nothing. */
  Future<HashChangeResult> removeHashes(String bankId, RemoveHashesRequest request);

  /**
   * Imports one hash a line, each with an optional label after whitespace or a comma; blank lines
   * and lines starting with {@code #} are ignored. 400 naming each bad line ({@code /line/<n>}),
   * 413 over {@code moderator.max-import-hashes}, 404 for an unknown bank; nothing changes on an
   * error found before writing.
   */
  Future<HashChangeResult> importHashes(String bankId, String text);

  /** 400 for bad base64, 413 over the pixel limit, 422 for an undecodable image, 404 for a bank. */
  Future<MatchResult> matchImage(MatchImageRequest request);

  /** 400 for a malformed hash, 404 for an unknown bank. */
  Future<MatchResult> matchHash(MatchHashRequest request);

  Future<Void> close();
}
