package io.cnai.core;

/** A place in an input file: 1-based line and column. */
public record Location(String file, int line, int column) {
  @Override
  public String toString() {
    if (line <= 0) {
      return file;
    }
    return file + ":" + line + ":" + column;
  }
}
