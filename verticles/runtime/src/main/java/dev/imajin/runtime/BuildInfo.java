package dev.imajin.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** What was built: imajin's version and commit, and the Java and Vert.x it runs on. */
public final class BuildInfo {
  private static final dev.imajin.contracts.common.BuildInfo CURRENT = read();

  private BuildInfo() {}

  public static dev.imajin.contracts.common.BuildInfo current() {
    return CURRENT;
  }

  private static dev.imajin.contracts.common.BuildInfo read() {
    Properties build = new Properties();
    try (InputStream in = resource("imajin-build.properties")) {
      if (in != null) {
        build.load(in);
      }
    } catch (IOException e) {
      // keep the defaults below
    }
    String vertx = "unknown";
    try (InputStream in = resource("META-INF/vertx/vertx-version.txt")) {
      if (in != null) {
        vertx = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
    } catch (IOException e) {
      // keep "unknown"
    }
    String commit = build.getProperty("commit", "");
    return new dev.imajin.contracts.common.BuildInfo(
        build.getProperty("version", "dev"),
        commit.isBlank() || commit.startsWith("${") ? null : commit,
        System.getProperty("java.version"),
        vertx);
  }

  private static InputStream resource(String name) {
    return BuildInfo.class.getClassLoader().getResourceAsStream(name);
  }
}
