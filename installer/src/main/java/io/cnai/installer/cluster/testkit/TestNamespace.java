package io.cnai.installer.cluster.testkit;

/** The namespace made for one test; removed after it. */
public record TestNamespace(String name) {
  @Override
  public String toString() {
    return name;
  }
}
