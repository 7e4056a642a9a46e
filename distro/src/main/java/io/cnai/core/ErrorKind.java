package io.cnai.core;

/** What kind of failure an error is; decides the exit code of the CLI. */
public enum ErrorKind {
  /** Something went wrong while doing the work. */
  FAILURE(1),
  /** The user's input (flags, files) is wrong. */
  BAD_INPUT(2),
  /** A digest or signature did not verify: cnai refuses to go on. */
  VERIFICATION(3);

  private final int exitCode;

  ErrorKind(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
