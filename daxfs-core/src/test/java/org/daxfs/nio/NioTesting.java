package org.daxfs.nio;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Helpers for the provider's tests: images in a temporary directory, opened through the provider. */
final class NioTesting {
    private NioTesting() {
    }

    /** {@code daxfs:<image URI>}. */
    static URI uriOf(Path image) {
        return URI.create("daxfs:" + image.toUri());
    }

    /** Creates, formats and opens a 32 MiB image {@code name} in {@code dir}. */
    static FileSystem create(Path dir, String name) throws IOException {
        return create(dir.resolve(name), Map.of());
    }

    /** Creates, formats and opens an image at {@code image}, with more environment. */
    static FileSystem create(Path image, Map<String, ?> env) throws IOException {
        Map<String, Object> e = new HashMap<>(env);
        e.putIfAbsent("create", true);
        e.putIfAbsent("size", "32m");
        return FileSystems.newFileSystem(uriOf(image), e);
    }

    /** Opens an existing image. */
    static FileSystem open(Path image, Map<String, ?> env) throws IOException {
        return FileSystems.newFileSystem(uriOf(image), env);
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }
}
