package io.cnai.installer.helm;

/** Builds a CustomResourceDefinition of a given size, as generated CRDs of real controllers are. */
final class LargeCrd {
  private LargeCrd() {}

  static String yaml(String name, String kind, int minChars) {
    String group = name.substring(name.indexOf('.') + 1);
    StringBuilder sb = new StringBuilder();
    sb.append("apiVersion: apiextensions.k8s.io/v1\n")
        .append("kind: CustomResourceDefinition\n")
        .append("metadata:\n  name: ").append(name).append('\n')
        .append("spec:\n  group: ").append(group).append('\n')
        .append("  names: {kind: ").append(kind).append(", plural: ").append(name, 0, name.indexOf('.')).append("}\n")
        .append("  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n")
        .append("      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n");
    int i = 0;
    while (sb.length() < minChars) {
      sb.append("            field").append(i).append(":\n")
          .append("              description: Field ").append(i)
          .append(" of a generated schema; real CRDs carry long descriptions copied from Go doc comments.\n")
          .append("              type: string\n");
      i++;
    }
    return sb.toString();
  }
}
