package dev.imajin.moderator.banks;

import dev.imajin.contracts.moderator.ModerationCategory;
import dev.imajin.moderator.pdq.Hash256;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** One bank's hashes in memory: a {@link MihIndex} behind a read-write lock. Thread-safe. */
public final class BankIndex {
  private final String id;
  private final ModerationCategory category;
  private final MihIndex index = new MihIndex();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  public BankIndex(String id, ModerationCategory category) {
    this.id = id;
    this.category = category;
  }

  public String id() {
    return id;
  }

  public ModerationCategory category() {
    return category;
  }

  public int size() {
    lock.readLock().lock();
    try {
      return index.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  public boolean contains(Hash256 h) {
    lock.readLock().lock();
    try {
      return index.contains(h);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Adds hashes; returns how many were new. */
  public int addAll(Collection<Hash256> hashes) {
    lock.writeLock().lock();
    try {
      int added = 0;
      for (Hash256 h : hashes) {
        added += index.add(h) ? 1 : 0;
      }
      return added;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes hashes; returns how many were there. */
  public int removeAll(Collection<Hash256> hashes) {
    lock.writeLock().lock();
    try {
      int removed = 0;
      for (Hash256 h : hashes) {
        removed += index.remove(h) ? 1 : 0;
      }
      return removed;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** A hash of this bank within the threshold of a query. */
  public record Hit(Hash256 hash, int distance) {}

  /** Every hash within {@code threshold} bits of the query, by the multi-index. */
  public List<Hit> search(Hash256 query, int threshold) {
    lock.readLock().lock();
    try {
      return index.search(query, threshold).stream()
          .map(h -> new Hit(h.hash(), h.distance()))
          .toList();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The same answer by scanning every hash; for tests and the benchmark's comparison. */
  public List<Hit> scan(Hash256 query, int threshold) {
    lock.readLock().lock();
    try {
      return index.scan(query, threshold).stream()
          .map(h -> new Hit(h.hash(), h.distance()))
          .toList();
    } finally {
      lock.readLock().unlock();
    }
  }
}
