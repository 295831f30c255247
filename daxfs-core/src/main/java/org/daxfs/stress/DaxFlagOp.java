package org.daxfs.stress;

import org.daxfs.FsException;

/**
 * Sets or clears the per-file DAX flag (mostly flipping it, sometimes setting what it already is). The
 * flag must read back as set, and the contents must not change: the whole file is compared right after,
 * the mode too (DAX or cached, as the mount's dax= option makes of the flag). A flip that switches the mode
 * writes back and drops cached pages and revokes every mapping (the model's held mapping with them): this
 * is where losing data in a switch would show.
 */
final class DaxFlagOp implements Operation {
    private final boolean on;

    DaxFlagOp(boolean on) {
        this.on = on;
    }

    static Operation draw(OpContext c) {
        boolean now = c.model().dax();
        return new DaxFlagOp(c.rng().percent(10) == now);
    }

    @Override
    public Outcome expect(FileModel model) {
        return model.setDax(on);
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        file.setDax(on);
        return Outcome.ok(file.stat().isDax() ? 1 : 0);
    }

    @Override
    public boolean checksWholeFileAfter() {
        return true;
    }

    @Override
    public String describe() {
        return "dax " + (on ? "on" : "off");
    }
}
