package org.daxfs.bench;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** What {@link BenchMain} was asked to do, from its command line. */
record Settings(boolean quick, String include, boolean help) {
    /** Every benchmark of this module. */
    static final String ALL = Pattern.quote(BenchMain.class.getPackageName() + ".");

    static final String USAGE = """
            usage: java --enable-native-access=ALL-UNNAMED -jar daxfs-bench.jar [--quick] [--only REGEX]
              --quick        1 warmup and 2 measurement iterations of 1 s (default 3 and 5)
              --only REGEX   run only benchmarks whose name (Class.method) matches REGEX,
                             e.g. --only 'RandomIo' or --only 'createWriteUnlink'
              --help         print this and exit
            """;

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException with a message for the user on an unknown or incomplete option
     */
    static Settings parse(String... args) {
        boolean quick = false;
        boolean help = false;
        String include = ALL;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--help", "-h" -> help = true;
                case "--only" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--only needs a regular expression");
                    }
                    include = args[++i];
                    try {
                        Pattern.compile(include);
                    } catch (PatternSyntaxException e) {
                        throw new IllegalArgumentException("--only: " + e.getMessage(), e);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new Settings(quick, include, help);
    }
}
