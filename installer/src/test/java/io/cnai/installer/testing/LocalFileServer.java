package io.cnai.installer.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 that serves the files of a folder, as a plain web mirror of
 * release manifests would: {@code GET <url>/a/b.yaml} answers the bytes of {@code <dir>/a/b.yaml},
 * or 404. It records the paths asked for.
 *
 * <pre>
 * try (LocalFileServer mirror = LocalFileServer.start(dir)) {
 *   String url = mirror.url();   // http://127.0.0.1:PORT
 * }
 * </pre>
 */
public final class LocalFileServer implements AutoCloseable {
  private final HttpServer server;
  private final Path dir;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private LocalFileServer(HttpServer server, Path dir) {
    this.server = server;
    this.dir = dir.toAbsolutePath().normalize();
  }

  public static LocalFileServer start(Path dir) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      LocalFileServer s = new LocalFileServer(server, dir);
      server.createContext("/", s::handle);
      server.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server's root URL, without a trailing '/'. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The paths requested so far, e.g. {@code /mirror/org/operator.yaml}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.add(path);
      Path file = dir.resolve(path.substring(1)).normalize();
      if (!"GET".equals(ex.getRequestMethod()) || !file.startsWith(dir) || !Files.isRegularFile(file)) {
        byte[] body = "not found".getBytes();
        ex.sendResponseHeaders(404, body.length);
        try (OutputStream o = ex.getResponseBody()) {
          o.write(body);
        }
        return;
      }
      byte[] body = Files.readAllBytes(file);
      ex.getResponseHeaders().set("Content-Type", "application/x-yaml");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
