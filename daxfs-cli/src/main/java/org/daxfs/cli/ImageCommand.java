package org.daxfs.cli;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** A subcommand whose first argument is the image it works on. */
abstract class ImageCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image file.")
    Path image;
}
