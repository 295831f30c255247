package org.daxfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardWatchEventKinds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Path behaviour, table by table, as Jimfs tests its paths; and toRealPath and URIs against a real image. */
class DaxPathTest {
    @TempDir
    static Path dir;
    static FileSystem fs;

    @BeforeAll
    static void open() throws IOException {
        fs = NioTesting.create(dir, "paths.img");
    }

    @AfterAll
    static void close() throws IOException {
        fs.close();
    }

    private static Path p(String s) {
        return fs.getPath(s);
    }

    /** "null" in a table means null. */
    private static String str(Path p) {
        return p == null ? "null" : p.toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // input       | toString | absolute | root | fileName | parent | names
        "/             | /        | true     | /    | null     | null   | ''",
        "/a            | /a       | true     | /    | a        | /      | a",
        "/a/b/c        | /a/b/c   | true     | /    | c        | /a/b   | a,b,c",
        "//a//b/       | /a/b     | true     | /    | b        | /a     | a,b",
        "a             | a        | false    | null | a        | null   | a",
        "a/b           | a/b      | false    | null | b        | a      | a,b",
        "a/./../b      | a/./../b | false    | null | b        | a/./.. | a,.,..,b",
        "''            | ''       | false    | null | ''       | null   | ''",
    })
    void parts(String input, String string, boolean absolute, String root, String fileName, String parent, String names) {
        Path path = p(input);
        assertEquals(string, path.toString());
        assertEquals(absolute, path.isAbsolute());
        assertEquals(root, str(path.getRoot()));
        assertEquals(fileName, str(path.getFileName()));
        assertEquals(parent, str(path.getParent()));
        List<String> got = new ArrayList<>();
        for (Path n : path) {
            got.add(n.toString());
        }
        List<String> want = names.isEmpty() && !input.isEmpty() ? List.of() : List.of(names.split(",", -1));
        assertEquals(want, got);
        assertEquals(want.size(), path.getNameCount());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i), path.getName(i).toString());
            assertFalse(path.getName(i).isAbsolute());
        }
    }

    @Test
    void joinsMoreWithSlashes() {
        assertEquals("a/b/c", fs.getPath("a", "b", "c").toString());
        assertEquals("/a/b", fs.getPath("/", "a", "", "b").toString());
        assertEquals("a", fs.getPath("", "a").toString());
        assertEquals("", fs.getPath("", "").toString());
        assertEquals("/a/b", fs.getPath("/a/", "/b/").toString());
    }

    @Test
    void nulIsInvalid() {
        assertThrows(InvalidPathException.class, () -> p("a\0b"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a/./b           | a/b",
        "a/../b          | b",
        "/../a           | /a",
        "../a            | ../a",
        "a/..            | ''",
        ".               | ''",
        "/a/b/../../..   | /",
        "a/b/../../../c  | ../c",
        "../../a/../b    | ../../b",
        "/a/./b/.        | /a/b",
        "/               | /",
    })
    void normalize(String input, String expected) {
        assertEquals(expected, p(input).normalize().toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/a   | b    | /a/b",
        "/a   | /b   | /b",
        "a    | ''   | a",
        "''   | a    | a",
        "a/b  | c/d  | a/b/c/d",
        "/    | a    | /a",
    })
    void resolve(String base, String other, String expected) {
        assertEquals(expected, p(base).resolve(other).toString());
        assertEquals(expected, p(base).resolve(p(other)).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/a/b  | c    | /a/c",
        "a     | c    | c",
        "/a    | /x   | /x",
        "/     | c    | c",
    })
    void resolveSibling(String base, String other, String expected) {
        assertEquals(expected, p(base).resolveSibling(other).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/a/b    | /a/b/c/d | c/d",
        "/a/b/c  | /a/x     | ../../x",
        "/a      | /a       | ''",
        "a       | b        | ../b",
        "''      | a        | a",
        "/       | /a       | a",
        "/a/b    | /        | ../..",
        "a/b     | a        | ..",
    })
    void relativize(String base, String other, String expected) {
        Path r = p(base).relativize(p(other));
        assertEquals(expected, r.toString());
        // resolving the result gives back the other path (up to normalization)
        assertEquals(p(other).normalize(), p(base).resolve(r).normalize());
    }

    @Test
    void relativizeOfMixedKindsFails() {
        assertThrows(IllegalArgumentException.class, () -> p("/a").relativize(p("b")));
        assertThrows(IllegalArgumentException.class, () -> p("a").relativize(p("/b")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/a/b/c | /a/b   | true",
        "/a/b/c | /      | true",
        "/a/b/c | /a/b/c | true",
        "/a/b/c | /a/bc  | false",
        "/a/b/c | a/b    | false",
        "a/b/c  | a/b    | true",
        "a/b/c  | /a     | false",
        "a/b    | ''     | false",
        "''     | ''     | true",
        "a      | a/b    | false",
    })
    void startsWith(String path, String prefix, boolean expected) {
        assertEquals(expected, p(path).startsWith(p(prefix)));
        assertEquals(expected, p(path).startsWith(prefix));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/a/b/c | b/c    | true",
        "/a/b/c | c      | true",
        "/a/b/c | /a/b/c | true",
        "a/b/c  | /a/b/c | false",
        "/a/b/c | /b/c   | false",
        "/a/b/c | bc     | false",
        "a/b    | ''     | false",
        "''     | ''     | true",
        "/      | /      | true",
    })
    void endsWith(String path, String suffix, boolean expected) {
        assertEquals(expected, p(path).endsWith(p(suffix)));
        assertEquals(expected, p(path).endsWith(suffix));
    }

    @Test
    void subpathAndGetNameCheckTheirRange() {
        Path path = p("/a/b/c/d");
        assertEquals("b/c", path.subpath(1, 3).toString());
        assertEquals("a/b/c/d", path.subpath(0, 4).toString());
        assertThrows(IllegalArgumentException.class, () -> path.subpath(2, 2));
        assertThrows(IllegalArgumentException.class, () -> path.subpath(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> path.subpath(1, 5));
        assertThrows(IllegalArgumentException.class, () -> path.getName(4));
        assertThrows(IllegalArgumentException.class, () -> path.getName(-1));
        assertThrows(IllegalArgumentException.class, () -> p("/").getName(0));
    }

    @Test
    void equalityOrderAndHash() {
        assertEquals(p("/a/b"), p("/a//b/"));
        assertEquals(p("/a/b").hashCode(), p("/a//b").hashCode());
        assertNotEquals(p("/a/b"), p("a/b"));
        assertNotEquals(p("a/../b"), p("b"));
        assertTrue(p("/a").compareTo(p("/b")) < 0);
        assertTrue(p("/b").compareTo(p("/a/c")) > 0);
        assertEquals(0, p("a").compareTo(p("a")));
        assertNotEquals(p("/a"), Path.of("/a"));
    }

    @Test
    void pathsOfAnotherImageAreNotEqual(@TempDir Path other) throws IOException {
        try (FileSystem fs2 = NioTesting.create(other, "other.img")) {
            assertNotEquals(p("/a"), fs2.getPath("/a"));
            assertFalse(p("/a/b").startsWith(fs2.getPath("/a")));
            assertThrows(ProviderMismatchException.class, () -> p("/a").resolve(fs2.getPath("b")));
        }
    }

    @Test
    void toAbsolutePathUsesTheRootAsWorkingDirectory() {
        assertEquals(p("/a/b"), p("a/b").toAbsolutePath());
        assertEquals(p("/"), p("").toAbsolutePath());
        Path abs = p("/x");
        assertSame(abs, abs.toAbsolutePath());
    }

    @Test
    void foreignPathsAreRefused() {
        Path def = Path.of("b");
        assertThrows(ProviderMismatchException.class, () -> p("/a").resolve(def));
        assertThrows(ProviderMismatchException.class, () -> p("/a").relativize(def));
        assertFalse(p("/a").startsWith(def));
        assertFalse(p("b").endsWith(def));
        assertThrows(ClassCastException.class, () -> p("/a").compareTo(def));
    }

    @Test
    void registerIsNotSupported() throws IOException {
        try (java.nio.file.WatchService ws = java.nio.file.FileSystems.getDefault().newWatchService()) {
            assertThrows(UnsupportedOperationException.class, () -> p("/").register(ws, StandardWatchEventKinds.ENTRY_CREATE));
        }
        assertThrows(UnsupportedOperationException.class, fs::newWatchService);
    }

    @Test
    void toFileIsNotSupported() {
        assertThrows(UnsupportedOperationException.class, () -> p("/a").toFile());
    }

    // ---- URIs ------------------------------------------------------------------------------------------

    @Test
    void uriRoundTrip() {
        Path image = dir.resolve("paths.img");
        for (String s : List.of("/", "/a/b", "/with space/ü/%x", "rel/a", "/q?x#y!z")) {
            Path path = p(s);
            URI uri = path.toUri();
            assertEquals("daxfs", uri.getScheme());
            assertTrue(uri.toString().startsWith("daxfs:" + image.toUri() + "!/"), uri.toString());
            assertEquals(path.toAbsolutePath(), Paths.get(uri), uri.toString());
            assertEquals(path.toAbsolutePath(), fs.provider().getPath(uri));
            assertEquals(path.toAbsolutePath(), Path.of(uri));
        }
        assertEquals("daxfs:" + image.toUri() + "!/a%20b", p("/a b").toUri().toString());
    }

    @Test
    void uriWithoutPathOrOfAnotherSchemeIsRefused() {
        URI noPath = NioTesting.uriOf(dir.resolve("paths.img"));
        assertThrows(IllegalArgumentException.class, () -> fs.provider().getPath(noPath));
        assertThrows(IllegalArgumentException.class, () -> fs.provider().getPath(URI.create("file:///x")));
    }

    // ---- toRealPath ------------------------------------------------------------------------------------

    @Test
    void toRealPathResolvesLinksDotsAndDotDots() throws IOException {
        Path base = Files.createDirectories(p("/real/d1/d2"));
        Files.createFile(base.resolve("f"));
        Files.createSymbolicLink(p("/real/abs"), p("/real/d1"));
        Files.createSymbolicLink(p("/real/d1/rel"), p("d2/f"));
        Files.createSymbolicLink(p("/real/d1/up"), p(".."));
        assertEquals(p("/real/d1/d2/f"), p("/real/abs/d2/f").toRealPath());
        assertEquals(p("/real/d1/d2/f"), p("/real/abs/rel").toRealPath());
        assertEquals(p("/real/d1/rel"), p("/real/abs/rel").toRealPath(LinkOption.NOFOLLOW_LINKS));
        assertEquals(p("/real"), p("/real/abs/up").toRealPath());
        assertEquals(p("/real/d1"), p("/real/./d1/d2/..").toRealPath());
        // '..' after a link goes to the link target's parent, as the kernel resolves it
        assertEquals(p("/real"), p("/real/abs/..").toRealPath());
        assertEquals(p("/"), p("").toRealPath());
        assertEquals(p("/real"), p("real").toRealPath());
    }

    @Test
    void toRealPathFailsForMissingFilesLoopsAndFilesUsedAsDirectories() throws IOException {
        Files.createDirectories(p("/rp"));
        Files.createFile(p("/rp/file"));
        Files.createSymbolicLink(p("/rp/loop1"), p("loop2"));
        Files.createSymbolicLink(p("/rp/loop2"), p("loop1"));
        Files.createSymbolicLink(p("/rp/dangling"), p("nothing"));
        assertThrows(NoSuchFileException.class, () -> p("/rp/missing").toRealPath());
        assertThrows(NoSuchFileException.class, () -> p("/rp/dangling").toRealPath());
        assertEquals(p("/rp/dangling"), p("/rp/dangling").toRealPath(LinkOption.NOFOLLOW_LINKS));
        FileSystemException loop = assertThrows(FileSystemException.class, () -> p("/rp/loop1").toRealPath());
        assertTrue(loop.getMessage().contains("ELOOP"), loop.getMessage());
        assertThrows(FileSystemException.class, () -> p("/rp/file/x").toRealPath());
        assertThrows(FileSystemException.class, () -> p("/rp/file/..").toRealPath());
    }

    // ---- path matchers -----------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "glob:*.java          | Foo.java        | true",
        "glob:*.java          | a/Foo.java      | false",
        "glob:**/*.java       | a/b/Foo.java    | true",
        "glob:**.java         | /a/b/Foo.java   | true",
        "glob:*.{java,class}  | Foo.class       | true",
        "glob:*.{java,class}  | Foo.txt         | false",
        "glob:foo.?           | foo.c           | true",
        "glob:foo.?           | foo.cc          | false",
        "glob:[a-c]x          | bx              | true",
        "glob:[a-c]x          | dx              | false",
        "glob:[!a-c]x         | dx              | true",
        "glob:[!a-c]x         | ax              | false",
        "glob:/home/*/*       | /home/gus/data  | true",
        "glob:/home/**        | /home/gus/data  | true",
        "glob:a\\*b           | a*b             | true",
        "glob:a\\*b           | axb             | false",
        "glob:a.b             | axb             | false",
        "glob:(x)+            | (x)+            | true",
        "glob:x?y             | x/y             | false",
        "GLOB:*.TXT           | A.TXT           | true",
        "glob:*.txt           | a.TXT           | false",
        "regex:.*\\.txt       | /d/a.txt        | true",
        "regex:[a-z]+         | abc             | true",
        "regex:[a-z]+         | ab1             | false",
    })
    void pathMatchers(String pattern, String path, boolean expected) {
        assertEquals(expected, fs.getPathMatcher(pattern).matches(p(path)), pattern + " on " + path);
    }

    @Test
    void badMatcherPatterns() {
        assertThrows(IllegalArgumentException.class, () -> fs.getPathMatcher("*.java"));
        assertThrows(UnsupportedOperationException.class, () -> fs.getPathMatcher("xpath:*"));
        assertThrows(java.util.regex.PatternSyntaxException.class, () -> fs.getPathMatcher("glob:{a,{b}}"));
        assertThrows(java.util.regex.PatternSyntaxException.class, () -> fs.getPathMatcher("glob:[abc"));
        assertThrows(java.util.regex.PatternSyntaxException.class, () -> fs.getPathMatcher("glob:a\\"));
        assertThrows(java.util.regex.PatternSyntaxException.class, () -> fs.getPathMatcher("glob:[a/b]"));
    }

    @Test
    void rootDirectoriesAndSeparator() {
        assertEquals("/", fs.getSeparator());
        List<Path> roots = new ArrayList<>();
        fs.getRootDirectories().forEach(roots::add);
        assertEquals(List.of(p("/")), roots);
        assertNull(p("/").getFileName());
    }
}
