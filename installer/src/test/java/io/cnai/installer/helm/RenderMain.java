package io.cnai.installer.helm;

import io.cnai.core.CnaiException;
import java.nio.file.Path;

/** Renders one archive in a fresh JVM (for tests that need another environment); prints the outcome. */
public final class RenderMain {
  private RenderMain() {}

  public static void main(String[] args) {
    try {
      RenderedChart r = new HelmJavaRenderer().render(RenderRequest.of(Path.of(args[0]), "rel", "team-a", "1.35.0"));
      System.out.println("OK " + (r.crds().size() + r.resources().size() + r.hooks().size()));
    } catch (CnaiException e) {
      System.out.println("ERR " + e.kind() + " " + e.problem());
    }
  }
}
