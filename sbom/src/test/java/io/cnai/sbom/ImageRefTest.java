package io.cnai.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageRefTest {
  @ParameterizedTest
  @CsvSource({
    "vllm/vllm-openai:latest, true",
    "vllm/vllm-openai, true",
    "localhost:5000/vllm, true",
    "vllm/vllm-openai:v0.11.0, false",
    "vllm/vllm-openai:latest@sha256:abababababababababababababababababababababababababababababababab, false",
    "vllm/vllm-openai@sha256:abababababababababababababababababababababababababababababababab, false",
  })
  void mutableMeansLatestOrNoTagWithoutDigest(String reference, boolean mutable) {
    assertThat(ImageRef.parseOrNull(reference).mutable()).as(reference).isEqualTo(mutable);
  }
}
