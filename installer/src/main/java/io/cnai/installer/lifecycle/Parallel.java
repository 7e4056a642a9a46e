package io.cnai.installer.lifecycle;

import io.cnai.core.CnaiException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread pools for requests sent to the API server at the same time, and waiting for their results. */
final class Parallel {
  private Parallel() {}

  /** A pool of at most {@code threads} daemon threads named {@code name-N}; {@code threads <= 0}: as many as tasks. */
  static ExecutorService pool(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    java.util.concurrent.ThreadFactory f = r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    return threads <= 0 ? Executors.newCachedThreadPool(f) : Executors.newFixedThreadPool(threads, f);
  }

  /** The result of {@code f}; its failure as thrown by the task (a {@link CnaiException} or a runtime exception). */
  static <T> T join(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw CnaiException.failure(String.valueOf(e.getCause().getMessage()), "run the same command again", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CnaiException.failure("interrupted", "run the same command again");
    }
  }
}
