package org.daxfs.nio;

import java.nio.file.PathMatcher;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@link java.nio.file.FileSystem#getPathMatcher}: {@code glob:} and {@code regex:} patterns matched
 * against a path's string form, case-sensitively, as the default provider does on Unix.
 *
 * <p>Globs, as {@link java.nio.file.FileSystem#getPathMatcher} describes them: {@code *} matches any
 * characters within a name, {@code **} any characters across names, {@code ?} one character of a name,
 * {@code [abc]}, {@code [a-z]} and {@code [!a-c]} one character of a set (never {@code /}),
 * {@code {one,two}} one of the alternatives (groups do not nest), and {@code \} escapes the next
 * character.
 *
 * <p>Locks: none.
 */
final class PathMatchers {
    private static final String GLOB_META = "\\*?[{";
    private static final String REGEX_META = ".^$+{[]|()";

    private PathMatchers() {
    }

    static PathMatcher of(String syntaxAndPattern) {
        int colon = syntaxAndPattern.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + syntaxAndPattern + "' is not of the form syntax:pattern");
        }
        String syntax = syntaxAndPattern.substring(0, colon).toLowerCase(Locale.ROOT);
        String pattern = syntaxAndPattern.substring(colon + 1);
        Pattern p = switch (syntax) {
            case "glob" -> Pattern.compile(globToRegex(pattern));
            case "regex" -> Pattern.compile(pattern);
            default -> throw new UnsupportedOperationException("syntax '" + syntaxAndPattern.substring(0, colon)
                    + "' is not supported (glob and regex are)");
        };
        return path -> p.matcher(path.toString()).matches();
    }

    /** The regular expression a glob stands for. */
    static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder("^");
        boolean inGroup = false;
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i++);
            switch (c) {
                case '\\' -> {
                    if (i == n) {
                        throw new PatternSyntaxException("nothing to escape", glob, i - 1);
                    }
                    char next = glob.charAt(i++);
                    literal(re, next);
                }
                case '*' -> {
                    if (i < n && glob.charAt(i) == '*') {
                        re.append(".*");
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '{' -> {
                    if (inGroup) {
                        throw new PatternSyntaxException("groups cannot nest", glob, i - 1);
                    }
                    re.append("(?:(?:");
                    inGroup = true;
                }
                case '}' -> {
                    if (inGroup) {
                        re.append("))");
                        inGroup = false;
                    } else {
                        re.append("\\}");
                    }
                }
                case ',' -> re.append(inGroup ? ")|(?:" : ",");
                case '[' -> i = bracket(glob, i, re);
                default -> literal(re, c);
            }
        }
        if (inGroup) {
            throw new PatternSyntaxException("missing '}'", glob, n);
        }
        return re.append('$').toString();
    }

    /** Translates the set that starts after the '[' at {@code i - 1}; returns the index after its ']'. */
    private static int bracket(String glob, int i, StringBuilder re) {
        int n = glob.length();
        // The set never matches a name separator: intersect it with "not /".
        re.append("[[^/]&&[");
        if (i < n && glob.charAt(i) == '^') {
            re.append("\\^");
            i++;
        } else {
            if (i < n && glob.charAt(i) == '!') {
                re.append('^');
                i++;
            }
            if (i < n && glob.charAt(i) == '-') {
                re.append('-');
                i++;
            }
        }
        char last = 0;
        boolean haveStart = false;
        boolean closed = false;
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == ']') {
                closed = true;
                break;
            }
            if (c == '/') {
                throw new PatternSyntaxException("a set cannot hold the name separator", glob, i - 1);
            }
            if (c == '-') {
                if (!haveStart) {
                    throw new PatternSyntaxException("a range needs a start", glob, i - 1);
                }
                if (i >= n) {
                    break;
                }
                char end = glob.charAt(i);
                if (end == ']') {
                    re.append('-'); // a trailing '-' is literal
                    continue;
                }
                i++;
                if (end < last) {
                    throw new PatternSyntaxException("range out of order", glob, i - 3);
                }
                re.append('-');
                setChar(re, end);
                haveStart = false;
                continue;
            }
            setChar(re, c);
            last = c;
            haveStart = true;
        }
        if (!closed) {
            throw new PatternSyntaxException("missing ']'", glob, n);
        }
        re.append("]]");
        return i;
    }

    private static void setChar(StringBuilder re, char c) {
        if (c == '\\' || c == '[' || c == ']' || c == '&' || c == '^') {
            re.append('\\');
        }
        re.append(c);
    }

    private static void literal(StringBuilder re, char c) {
        if (REGEX_META.indexOf(c) >= 0 || GLOB_META.indexOf(c) >= 0 || c == '}') {
            re.append('\\');
        }
        re.append(c);
    }
}
