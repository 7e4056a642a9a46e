package io.cnai.installer.classroom;

import io.cnai.core.Location;

/**
 * One student: a DNS-safe name, their size, and where they were named (a roster line; null for
 * {@code --students N}). Their namespace is {@code class-<name>}, their identity {@code student-<name>}.
 */
public record Student(String name, Size size, Location where) {
  public static final String NAMESPACE_PREFIX = "class-";
  public static final String USER_PREFIX = "student-";

  public String namespace() {
    return NAMESPACE_PREFIX + name;
  }

  /** The ServiceAccount in their namespace, and the user name RBAC binds. */
  public String user() {
    return USER_PREFIX + name;
  }

  /** The username a request made with the ServiceAccount's token carries. */
  public String serviceAccountUser() {
    return "system:serviceaccount:" + namespace() + ":" + user();
  }
}
