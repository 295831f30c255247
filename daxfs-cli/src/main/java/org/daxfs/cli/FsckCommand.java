package org.daxfs.cli;

import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.fs.Fsck;
import org.daxfs.fs.FsckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code daxfs fsck}: checks an unmounted image; exit codes are e2fsck's, so scripts can tell outcomes apart. */
@Command(name = "fsck", mixinStandardHelpOptions = true,
        description = {
            "Check an unmounted image and, with --repair, correct what is wrong.",
            "Exit codes: 0 clean, 1 problems corrected, 4 problems left uncorrected, 8 the check could not run.",
        })
final class FsckCommand extends ImageCommand {
    @Option(names = "--repair", description = "Correct the problems found (opens the image read-write).")
    boolean repair;

    @Override
    public Integer call() {
        Device device;
        try {
            device = Images.open(image, !repair, err());
        } catch (FsException e) {
            // An image that cannot even be opened is an operational error in fsck's terms, not exit 1.
            return operational(e.getMessage());
        }
        FsckReport report;
        try (device; ProgressBar bar = ProgressBar.onTerminal(err(), "checking")) {
            report = Fsck.run(device, repair, bar.thousandths());
        }
        if (report.operationalError() != null) {
            return operational(report.operationalError());
        }
        for (String problem : report.problems()) {
            out().println(problem);
        }
        out().println(image + ": " + summary(report));
        out().flush();
        return report.exitCode();
    }

    private String summary(FsckReport report) {
        int found = report.problems().size();
        if (found == 0) {
            return "clean";
        }
        String s = found + (found == 1 ? " problem" : " problems") + " found, " + report.corrected() + " corrected";
        return repair || report.corrected() >= found ? s : s + "; run with --repair to correct them";
    }

    private int operational(String message) {
        err().println("daxfs: fsck: " + message);
        err().flush();
        return FsckReport.EXIT_OPERATIONAL;
    }
}
