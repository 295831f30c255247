package org.daxfs.stress;

import org.daxfs.FsException;

/**
 * Closes the handle and opens the file again, now and then with APPEND (later writes land at EOF) or
 * O_TRUNC (the file becomes empty). The whole file is compared afterwards: closing must lose nothing.
 */
final class ReopenOp implements Operation {
    private final boolean append;
    private final boolean truncate;

    ReopenOp(boolean append, boolean truncate) {
        this.append = append;
        this.truncate = truncate;
    }

    static Operation draw(OpContext c) {
        return new ReopenOp(c.rng().percent(15), c.rng().percent(5));
    }

    @Override
    public Outcome expect(FileModel model) {
        return model.reopen(append, truncate);
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        file.reopen(append, truncate);
        return Outcome.ok();
    }

    @Override
    public boolean checksWholeFileAfter() {
        return true;
    }

    @Override
    public String describe() {
        return "reopen" + (append ? " append" : "") + (truncate ? " truncate" : "");
    }
}
