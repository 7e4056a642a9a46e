package io.cnai.installer.testing;

import io.cnai.installer.charts.LocalChartRepository;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that work on the fixture stack (queues unlocked) without a cluster: a real local
 * chart repository, the stack's files in {@code tmp}, and a chart cache of the test's own.
 */
public abstract class FixtureStackTest {
  @TempDir protected Path tmp;
  protected LocalChartRepository repo;
  protected TestStack stack;

  @BeforeEach
  void startRepositoryAndWriteTheStack() {
    System.setProperty("cnai.cache", tmp.resolve("cache").toString());
    repo = LocalChartRepository.start();
    stack = TestStack.fixture(repo, tmp, false, null);
  }

  @AfterEach
  void stopRepository() {
    System.clearProperty("cnai.cache");
    repo.close();
  }
}
