package org.daxfs.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * What {@link BenchMain} was asked to do, from its command line.
 *
 * @param mode full or quick
 * @param out the report folder, or null to print the report only
 * @param steps the parts of the suite to run, in order
 * @param help whether to print the usage and stop
 */
record Settings(RunMode mode, Path out, List<SuiteStep> steps, boolean help) {
    static final String USAGE = """
            usage: java -jar daxfs-bench.jar [--quick] [--out DIR] [--only REGEX]
              --quick        fewer, shorter repetitions: about 5 minutes instead of 13 on two cores
              --out DIR      write report.md, charts/*.svg, results.json and jmh.log into DIR
                             (made if missing); without it the report is only printed
              --only REGEX   run only the steps whose name matches REGEX; the steps:
                             %s
              --help         print this and exit
            """.formatted(Arrays.stream(SuiteStep.values()).map(s -> s.id).collect(Collectors.joining(", ")));

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException with a message for the user on an unknown or incomplete option
     */
    static Settings parse(String... args) {
        RunMode mode = RunMode.FULL;
        Path out = null;
        List<SuiteStep> steps = List.of(SuiteStep.values());
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> mode = RunMode.QUICK;
                case "--help", "-h" -> help = true;
                case "--out" -> out = Path.of(value(args, ++i, "--out", "a directory"));
                case "--only" -> steps = steps(value(args, ++i, "--only", "a regular expression"));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new Settings(mode, out, steps, help);
    }

    private static String value(String[] args, int i, String option, String what) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs " + what);
        }
        return args[i];
    }

    private static List<SuiteStep> steps(String regex) {
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--only: " + e.getMessage(), e);
        }
        List<SuiteStep> steps = Arrays.stream(SuiteStep.values()).filter(s -> p.matcher(s.id).find()).toList();
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("--only " + regex + " matches no step");
        }
        return steps;
    }
}
