package io.cnai.installer.images;

/**
 * What a build made.
 *
 * @param reference where the image went (registry reference, or the name inside a tar file)
 * @param digest the manifest's digest ({@code sha256:...}): the same inputs give the same digest
 * @param configDigest the digest of the image's configuration (its image id)
 * @param layers how many layers, base included
 * @param bytes the image's size: config and (compressed) layers, as a registry stores them
 */
public record BuiltImage(String reference, String digest, String configDigest, int layers, long bytes) {}
