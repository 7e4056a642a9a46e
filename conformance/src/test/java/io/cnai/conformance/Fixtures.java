package io.cnai.conformance;

import com.sun.net.httpserver.HttpServer;
import io.cnai.conformance.template.Template;
import io.cnai.conformance.template.TemplateParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The test fixtures of src/test/resources (made-up texts in the program's shapes) and a local HTTP server for them. */
public final class Fixtures {
  public static final String TEMPLATE = "io/cnai/conformance/template/test-template-v1.36.yaml";
  public static final String PRODUCT = "io/cnai/conformance/template/test-product.yaml";
  public static final String LANDSCAPE = "io/cnai/conformance/template/test-landscape.yml";

  private Fixtures() {}

  public static byte[] bytes(String resource) {
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String resource) {
    return new String(bytes(resource), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Writes a resource into {@code dir} under {@code name}. */
  public static Path copy(String resource, Path dir, String name) {
    try {
      Files.createDirectories(dir);
      return Files.write(dir.resolve(name), bytes(resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Template template() {
    return TemplateParser.parse(TEMPLATE, bytes(TEMPLATE));
  }

  /** A JDK HTTP server on the loopback that serves fixed bodies by path and counts the requests. */
  public static final class Server implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    public final AtomicInteger hits = new AtomicInteger();

    public Server() {
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server.createContext("/", ex -> {
        hits.incrementAndGet();
        byte[] b = bodies.get(ex.getRequestURI().getPath());
        if (b == null) {
          ex.sendResponseHeaders(404, -1);
        } else {
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
        }
        ex.close();
      });
      server.start();
    }

    public Server serve(String path, byte[] body) {
      bodies.put(path, body);
      return this;
    }

    public String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
