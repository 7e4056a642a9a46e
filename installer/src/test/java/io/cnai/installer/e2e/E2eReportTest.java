package io.cnai.installer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnai.installer.e2e.E2eReport.Outcome;
import io.cnai.installer.e2e.E2eReport.PipelineResult;
import io.cnai.installer.e2e.E2eReport.Step;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class E2eReportTest {
  private static final PipelineResult PASSED = new PipelineResult("digits", Outcome.PASSED, null, List.of(
      new Step("train", true, 17.5, Map.of("step", "train", "device", "cpu", "accuracy", 0.9756), "n0", null, null),
      new Step("check", true, 14.8, Map.of("step", "check", "accuracy", 0.9756, "images", 450), "n0", null, null)), 32.3);
  private static final PipelineResult NOT_RUN = new PipelineResult("digits-gpu", Outcome.NOT_RUN,
      "no node that runs containers offers nvidia.com/gpu", List.of(), 0);
  private static final PipelineResult FAILED = new PipelineResult("digits", Outcome.FAILED, "step train failed: BackoffLimitExceeded",
      List.of(new Step("train", false, 3.0, Map.of(), "n0", "BackoffLimitExceeded", "Traceback ...\nRuntimeError: <boom> & more")), 3.0);

  @Test
  void exitCodeIsZeroOnlyWhenSomethingRanAndNothingFailed() {
    assertThat(new E2eReport(List.of(PASSED, NOT_RUN), 33).exitCode()).isZero();
    assertThat(new E2eReport(List.of(NOT_RUN), 0).exitCode()).as("nothing tested is not a pass").isEqualTo(1);
    assertThat(new E2eReport(List.of(PASSED, FAILED), 35).exitCode()).isEqualTo(1);
  }

  @Test
  void junitXmlHasACasePerPipelineWithSkippedAndFailureAndStepFigures() throws Exception {
    E2eReport r = new E2eReport(List.of(PASSED, NOT_RUN, FAILED), 40);
    Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(r.junitXml().getBytes(StandardCharsets.UTF_8)));
    Element suite = d.getDocumentElement();
    assertThat(suite.getAttribute("tests")).isEqualTo("3");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    Element skipped = (Element) d.getElementsByTagName("skipped").item(0);
    assertThat(skipped.getAttribute("message")).isEqualTo("not run: no node that runs containers offers nvidia.com/gpu");
    Element failure = (Element) d.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message")).contains("step train failed");
    assertThat(failure.getTextContent()).contains("RuntimeError: <boom> & more");
    List<String> props = new java.util.ArrayList<>();
    var nodes = d.getElementsByTagName("property");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element p = (Element) nodes.item(i);
      props.add(p.getAttribute("name") + "=" + p.getAttribute("value"));
    }
    assertThat(props).contains("train.seconds=17.500", "train.device=cpu", "check.accuracy=0.9756", "check.images=450")
        .noneMatch(p -> p.startsWith("train.step="));
  }

  @Test
  void summarySaysEachPipelineAndItsSteps(@TempDir Path dir) throws Exception {
    E2eReport r = new E2eReport(List.of(PASSED, NOT_RUN, FAILED), 40);
    String s = r.summary();
    assertThat(s).contains("e2e: digits passed in 32.3 s")
        .contains("e2e: digits-gpu not run: no node that runs containers offers nvidia.com/gpu")
        .contains("e2e: digits FAILED in 3.0 s: step train failed")
        .contains("| RuntimeError: <boom> & more")
        .containsPattern("train\\s+ok\\s+17.5 s\\s+device cpu, accuracy 0.9756, node n0")
        .endsWith("e2e: 1 passed, 1 failed, 1 not run in 40.0 s\n");
    Path xml = r.write(dir.resolve("out"));
    assertThat(xml).hasFileName("e2e-junit.xml").exists();
    assertThat(Files.readString(dir.resolve("out/e2e-summary.txt"))).isEqualTo(s);
  }
}
