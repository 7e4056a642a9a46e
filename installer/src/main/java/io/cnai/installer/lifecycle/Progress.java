package io.cnai.installer.lifecycle;

/** Where actions report what they do, per component ({@code null}: the whole stack). */
@FunctionalInterface
public interface Progress {
  void event(String component, Phase phase, String message);

  enum Phase { PLAN, FETCH, RENDER, APPLY, WAIT, READY, SKIP, REMOVE, FAIL, REPAIR, DONE, INFO }

  static Progress silent() {
    return (c, p, m) -> {};
  }
}
