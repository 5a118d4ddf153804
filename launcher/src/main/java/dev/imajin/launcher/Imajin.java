package dev.imajin.launcher;

import dev.imajin.runtime.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code imajin} command. */
@Command(
    name = "imajin",
    mixinStandardHelpOptions = true,
    versionProvider = Imajin.Version.class,
    description = "imajin: distributed, API-first image generation.",
    subcommands = {RunCommand.class, CallCommand.class, CommandLine.HelpCommand.class})
public final class Imajin {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Imajin()).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      var build = BuildInfo.current();
      return new String[] {
        "imajin " + build.version() + (build.commit() == null ? "" : " (" + build.commit() + ")"),
        "Java " + build.java() + ", Vert.x " + build.vertx()
      };
    }
  }
}
