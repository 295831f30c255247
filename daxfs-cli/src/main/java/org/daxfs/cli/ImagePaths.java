package org.daxfs.cli;

/**
 * Paths inside an image, as the engine takes them: absolute, '/'-separated. Users may type them without
 * the leading slash ({@code docs/a.txt}) since there is no current directory inside an image.
 */
public final class ImagePaths {
    private ImagePaths() {
    }

    /** {@code a//b/} → {@code /a/b}; empty → {@code /}. Does not resolve {@code ..}: the engine does. */
    public static String normalize(String path) {
        StringBuilder s = new StringBuilder();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                s.append('/').append(part);
            }
        }
        return s.isEmpty() ? "/" : s.toString();
    }

    /** The last component; {@code /} for the root. */
    public static String name(String path) {
        String p = normalize(path);
        return p.equals("/") ? "/" : p.substring(p.lastIndexOf('/') + 1);
    }

    /** The directory holding {@code path}; the root is its own parent. */
    public static String parent(String path) {
        String p = normalize(path);
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }

    /** {@code dir} + {@code name}. */
    public static String join(String dir, String name) {
        return normalize(normalize(dir) + "/" + name);
    }
}
