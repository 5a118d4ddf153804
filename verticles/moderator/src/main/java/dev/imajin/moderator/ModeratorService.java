package dev.imajin.moderator;

import dev.imajin.contracts.moderator.AddHashesRequest;
import dev.imajin.contracts.moderator.BankDeletion;
import dev.imajin.contracts.moderator.BankList;
import dev.imajin.contracts.moderator.CreateBankRequest;
import dev.imajin.contracts.moderator.HashBank;
import dev.imajin.contracts.moderator.HashChangeResult;
import dev.imajin.contracts.moderator.HashImageRequest;
import dev.imajin.contracts.moderator.MatchHashRequest;
import dev.imajin.contracts.moderator.MatchImageRequest;
import dev.imajin.contracts.moderator.MatchResult;
import dev.imajin.contracts.moderator.PdqHash;
import dev.imajin.contracts.moderator.RemoveHashesRequest;
import dev.imajin.moderator.impl.DefaultModeratorService;
import dev.imajin.runtime.config.ImajinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/**
 * The moderator's operations built so far: PDQ hashing and the hash banks (create, list, get,
 * delete; add, remove, import hashes; match an image or a hash). Every method fails its future with
 * an {@link dev.imajin.contracts.ImajinException} for errors a caller should see; none of those
 * changes anything.
 */
public interface ModeratorService {
  /** A service on the given Redis; {@link #start()} loads the banks. */
  static ModeratorService create(Vertx vertx, Redis redis, ImajinConfig.Moderator config) {
    return new DefaultModeratorService(vertx, redis, config);
  }

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
