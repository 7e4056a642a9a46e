package io.cnai.installer.helm;

/** Renders a chart client-side. All failures are {@link io.cnai.core.CnaiException}s. */
public interface ChartRenderer {
  RenderedChart render(RenderRequest request);
}
