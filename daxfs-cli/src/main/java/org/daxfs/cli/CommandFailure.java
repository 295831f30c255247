package org.daxfs.cli;

/**
 * A command refusing or failing for a reason it states, outside the engine (an existing file mkfs will not
 * overwrite, a directory where a file is needed). Reported like an engine error: one line, exit 1.
 */
final class CommandFailure extends Exception {
    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message);
    }
}
