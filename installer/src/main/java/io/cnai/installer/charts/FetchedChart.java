package io.cnai.installer.charts;

import java.nio.file.Path;

/** A chart archive in the cache whose bytes hash to {@code digest} ({@code sha256:<hex>}). */
public record FetchedChart(ChartCoordinates coordinates, String digest, Path archive) {}
