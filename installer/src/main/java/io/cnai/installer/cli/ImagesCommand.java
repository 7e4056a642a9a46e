package io.cnai.installer.cli;

import io.cnai.installer.images.BuiltImage;
import io.cnai.installer.images.ImageBuilder;
import io.cnai.installer.images.ImageFile;
import io.cnai.installer.images.ImageRef;
import io.cnai.installer.images.ImageSpec;
import io.cnai.installer.images.JibImageBuilder;
import io.cnai.installer.images.Registry;
import io.cnai.installer.json.Mappers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** 'cnai images build|push|list': images built without a Docker daemon, and the registries that hold them. */
@Command(
    name = "images",
    mixinStandardHelpOptions = true,
    description = "Build images without a Docker daemon, push them to a registry, list a registry (docs/nodes.md, Images).",
    subcommands = {ImagesCommand.Build.class, ImagesCommand.Push.class, ImagesCommand.ListImages.class},
    footer = {
      "",
      "Examples:",
      "  cnai images build hello/image.yaml --tar /tmp/hello.tar",
      "  cnai images push hello/image.yaml --registry http://10.201.0.1:5000",
      "  cnai images list --registry http://10.201.0.1:5000"
    })
public final class ImagesCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static ImageBuilder builder() {
    return JibImageBuilder.fromEnvironment();
  }

  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = "Build the image an image file describes into an OCI image archive (ctr images import reads it).",
      footer = {
        "",
        "Examples:",
        "  cnai images build hello/image.yaml --tar /tmp/hello.tar",
        "  cnai images build hello/image.yaml --tar /tmp/hello.tar --name cnai.local/hello:dev"
      })
  static final class Build implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE-FILE", description = "The image file (kind: Image).")
    Path file;

    @Option(names = "--tar", paramLabel = "FILE", required = true, description = "Where to write the OCI image archive.")
    Path tar;

    @Option(names = "--name", paramLabel = "REF", description = "Name the image REF instead of the file's name.")
    String name;

    @Override
    public Integer call() {
      ImageSpec image = ImageFile.load(file);
      if (name != null) {
        image = image.withName(ImageRef.parse(name));
      }
      long t0 = System.nanoTime();
      BuiltImage built = builder().toTar(image, tar);
      print(spec.commandLine().getOut(), "Built", built, tar.toString(), t0);
      return 0;
    }
  }

  @Command(
      name = "push",
      mixinStandardHelpOptions = true,
      description = {
        "Build the image an image file describes and push it to a registry.",
        "The image lands below a path named after its own registry (REGISTRY/docker.io/library/NAME:TAG), the layout in"
            + " which one registry mirrors several upstreams for the nodes (cluster create --local-registry,"
            + " --registry-mirror UPSTREAM=URL/UPSTREAM); --as names the exact target instead."
      },
      footer = {
        "",
        "Examples:",
        "  cnai images push hello/image.yaml --registry http://10.201.0.1:5000",
        "  cnai images push hello/image.yaml --registry mirror.corp:443 --as mirror.corp:443/tools/hello:1.0"
      })
  static final class Push implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE-FILE", description = "The image file (kind: Image).")
    Path file;

    @Option(names = "--registry", paramLabel = "URL", required = true,
        description = "http://HOST:PORT (plain HTTP) or HOST[:PORT] (HTTPS).")
    String registry;

    @Option(names = "--as", paramLabel = "REF", description = "Push to exactly this reference (its registry must be --registry's host).")
    String as;

    @Override
    public Integer call() {
      Registry r = Registry.parse(registry);
      ImageSpec image = ImageFile.load(file);
      ImageRef target = as != null ? ImageRef.parse(as) : image.name().inMirror(r.host());
      if (!target.registry().equals(r.host())) {
        throw io.cnai.core.CnaiException.badInput("--as " + as + " is not in registry " + r.host(),
            "write --as " + r.host() + "/PATH:TAG, or leave --as out");
      }
      long t0 = System.nanoTime();
      BuiltImage built = builder().push(image, r, target);
      print(spec.commandLine().getOut(), "Pushed", built, r.toString(), t0);
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the repositories of a registry and their tags (registry API v2).",
      footer = {
        "",
        "Examples:",
        "  cnai images list --registry http://10.201.0.1:5000",
        "  cnai images list --registry http://10.201.0.1:5000 -o json"
      })
  static final class ListImages implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--registry", paramLabel = "URL", required = true,
        description = "http://HOST:PORT (plain HTTP) or HOST[:PORT] (HTTPS).")
    String registry;

    enum Output { table, json }

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Output output;

    @Override
    public Integer call() throws Exception {
      Registry r = Registry.parse(registry);
      PrintWriter out = spec.commandLine().getOut();
      Map<String, List<String>> all = new LinkedHashMap<>();
      for (String repo : r.repositories()) {
        all.put(repo, r.tags(repo));
      }
      if (output == Output.json) {
        List<Map<String, Object>> items = new ArrayList<>();
        all.forEach((repo, tags) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("repository", repo);
          m.put("tags", tags);
          items.add(m);
        });
        out.println(Mappers.PRETTY_JSON.writeValueAsString(items));
        return 0;
      }
      if (all.isEmpty()) {
        out.println("No repositories in " + r + ".");
        return 0;
      }
      int w = Math.max("REPOSITORY".length(), all.keySet().stream().mapToInt(String::length).max().orElse(0));
      out.printf("%-" + w + "s  %s%n", "REPOSITORY", "TAGS");
      all.forEach((repo, tags) -> out.printf("%-" + w + "s  %s%n", repo, String.join(", ", tags)));
      return 0;
    }
  }

  private static void print(PrintWriter out, String what, BuiltImage b, String where, long t0) {
    out.printf("%s %s (%s) in %d ms%n  digest %s%n  config %s%n  %d layers, %s%n", what, b.reference(), where,
        (System.nanoTime() - t0) / 1_000_000, b.digest(), b.configDigest(), b.layers(), size(b.bytes()));
  }

  private static String size(long bytes) {
    return bytes >= 1024 * 1024 ? String.format("%.1f MiB", bytes / 1048576.0) : String.format("%.1f KiB", bytes / 1024.0);
  }
}
