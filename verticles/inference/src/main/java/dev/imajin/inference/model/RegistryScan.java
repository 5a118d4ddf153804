package dev.imajin.inference.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One walk over the roots: collects loaded folders and problems, never stops at a bad one. */
final class RegistryScan {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  private final Map<String, ModelFolder.Loaded> models = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final Set<Path> seen = new HashSet<>();

  void root(Path root) {
    if (!Files.isDirectory(root)) {
      problem(root + ": model root does not exist or is not a folder");
      return;
    }
    walk(root, root, 0);
    LOG.info("Model root {}: {} models, {} problems so far", root, models.size(), problems.size());
  }

  Map<String, ModelFolder.Loaded> models() {
    return models;
  }

  List<String> problems() {
    return problems;
  }

  private void walk(Path root, Path dir, int depth) {
    if (ModelFolder.looksLikeModel(dir)) {
      load(root, dir);
      return;
    }
    if (depth == ModelRegistry.MAX_DEPTH) {
      return;
    }
    for (Path child : children(dir)) {
      walk(root, child, depth + 1);
    }
  }

  private List<Path> children(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      problem(dir + ": cannot be listed: " + e.getMessage());
      return List.of();
    }
  }

  private void load(Path root, Path folder) {
    if (!seen.add(realPath(folder))) {
      return;
    }
    ModelFolder.Loaded loaded;
    try {
      loaded = ModelFolder.load(root, folder);
    } catch (ModelException e) {
      problem(e.getMessage());
      return;
    } catch (RuntimeException e) {
      problem(folder + ": " + e);
      return;
    }
    ModelEntry entry = loaded.entry();
    ModelFolder.Loaded taken = models.putIfAbsent(entry.id(), loaded);
    if (taken != null) {
      problem(
          folder + ": model id '" + entry.id() + "' is already taken by " + taken.entry().folder());
      return;
    }
    entry.warnings().forEach(w -> LOG.info("Model {} ({}): {}", entry.id(), folder, w));
  }

  private static Path realPath(Path folder) {
    try {
      return folder.toRealPath();
    } catch (IOException e) {
      return folder;
    }
  }

  private void problem(String message) {
    LOG.warn("Model refused: {}", message);
    problems.add(message);
  }
}
