package dev.imajin.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.XmlConfigBuilder;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads Hazelcast member XML; {@code ${name}} placeholders resolve from system properties. */
final class ClusterXml {

  private ClusterXml() {}

  static Config fromClasspath(String resource) {
    InputStream in = ClusterXml.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException(
          "Hazelcast config '" + resource + "' is not on the classpath");
    }
    return read(in, "classpath:" + resource);
  }

  static Config fromFile(Path xml) {
    try {
      return read(Files.newInputStream(xml), xml.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Hazelcast config " + xml, e);
    }
  }

  private static Config read(InputStream in, String source) {
    try (InputStream buffered = new BufferedInputStream(in)) {
      return new XmlConfigBuilder(buffered).build();
    } catch (InvalidConfigurationException e) {
      throw new InvalidConfigurationException(
          "invalid Hazelcast config " + source + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Hazelcast config " + source, e);
    }
  }
}
