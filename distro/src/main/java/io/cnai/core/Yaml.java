package io.cnai.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads YAML into {@link YNode}s that remember their location. This is the one seam to the YAML
 * library. Refuses empty files, binary files, several documents in one file and duplicate keys.
 */
public final class Yaml {
  private static final int MAX_BYTES = 16 * 1024 * 1024;

  private Yaml() {}

  /** Reads one YAML document from a file. */
  public static YNode read(Path file) {
    String name = file.toString();
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw CnaiException.badInput(
            new Location(name, 0, 0), "is a directory, not a YAML file", "pass the path of a file");
      }
      if (Files.size(file) > MAX_BYTES) {
        throw CnaiException.badInput(
            new Location(name, 0, 0),
            "is larger than 16 MiB; this is not a cnai configuration file",
            "check the path");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw CnaiException.badInput(
          new Location(name, 0, 0), "file not found", "check the path and try again");
    } catch (IOException e) {
      throw CnaiException.badInput(
          new Location(name, 0, 0), "cannot be read: " + e.getMessage(), "check its permissions");
    }
    return parse(name, bytes);
  }

  /** Reads one YAML document from bytes, naming it {@code name} in errors. */
  public static YNode parse(String name, byte[] bytes) {
    Location whole = new Location(name, 0, 0);
    for (byte b : bytes) {
      if (b == 0) {
        throw CnaiException.badInput(
            whole, "is a binary file, not YAML", "pass the YAML file itself");
      }
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw CnaiException.badInput(
          whole, "is not UTF-8 text (binary file?)", "save the file as UTF-8 YAML");
    }
    return parse(name, text);
  }

  /** Reads one YAML document from text, naming it {@code name} in errors. */
  public static YNode parse(String name, String text) {
    Location whole = new Location(name, 0, 0);
    if (text.isBlank() || text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
      throw CnaiException.badInput(
          whole, "is empty", "write the document into it; see the examples in docs/");
    }
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(name)
            .setSchema(new CoreSchema())
            .setAllowDuplicateKeys(true) // found below, with both places named
            .setMaxAliasesForCollections(50)
            .build();
    List<Node> docs = new ArrayList<>();
    try {
      Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
      Iterator<Node> it = composer;
      while (it.hasNext()) {
        docs.add(it.next());
      }
    } catch (MarkedYamlEngineException e) {
      Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
      String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
      String context = e.getContext();
      throw CnaiException.badInput(
          at(name, mark),
          "YAML syntax error: " + problem + (context == null ? "" : " (" + context + ")"),
          "fix the YAML at this place; check indentation, colons and quotes");
    } catch (YamlEngineException e) {
      throw CnaiException.badInput(
          whole, "YAML syntax error: " + e.getMessage(), "fix the YAML syntax");
    }
    if (docs.isEmpty()) {
      throw CnaiException.badInput(whole, "is empty", "write the document into it");
    }
    if (docs.size() > 1) {
      throw CnaiException.badInput(
          at(name, docs.get(1).getStartMark().orElse(null)),
          "holds " + docs.size() + " YAML documents; one is expected",
          "keep one document per file (remove the extra '---')");
    }
    return convert(name, docs.get(0));
  }

  private static YNode convert(String name, Node node) {
    Location loc = at(name, node.getStartMark().orElse(null));
    if (node instanceof MappingNode map) {
      Map<String, YNode.Entry> entries = new LinkedHashMap<>();
      for (NodeTuple t : map.getValue()) {
        Node k = t.getKeyNode();
        Location kl = at(name, k.getStartMark().orElse(null));
        if (!(k instanceof ScalarNode ks)) {
          throw CnaiException.badInput(kl, "mapping keys must be plain strings", "quote the key");
        }
        String key = ks.getValue();
        YNode.Entry previous = entries.get(key);
        if (previous != null) {
          throw CnaiException.badInput(
              kl,
              "duplicate key '" + key + "' (first at line " + previous.keyLocation().line() + ")",
              "keep one '" + key + "' and remove the other");
        }
        entries.put(key, new YNode.Entry(key, kl, convert(name, t.getValueNode())));
      }
      return new YNode.YMap(loc, entries);
    }
    if (node instanceof SequenceNode seq) {
      List<YNode> items = new ArrayList<>();
      for (Node n : seq.getValue()) {
        items.add(convert(name, n));
      }
      return new YNode.YList(loc, items);
    }
    ScalarNode s = (ScalarNode) node;
    Tag tag = s.getTag();
    YNode.ScalarType type;
    if (Tag.NULL.equals(tag)) {
      type = YNode.ScalarType.NULL;
    } else if (Tag.BOOL.equals(tag)) {
      type = YNode.ScalarType.BOOL;
    } else if (Tag.INT.equals(tag)) {
      type = YNode.ScalarType.INT;
    } else if (Tag.FLOAT.equals(tag)) {
      type = YNode.ScalarType.FLOAT;
    } else {
      type = YNode.ScalarType.STRING;
    }
    return new YNode.YScalar(loc, s.getValue(), type);
  }

  static Location at(String name, Mark mark) {
    if (mark == null) {
      return new Location(name, 0, 0);
    }
    return new Location(name, mark.getLine() + 1, mark.getColumn() + 1);
  }

  /** Optional helper for callers that hold a node that may be absent. */
  public static Optional<YNode> maybe(YNode node) {
    return Optional.ofNullable(node);
  }
}
