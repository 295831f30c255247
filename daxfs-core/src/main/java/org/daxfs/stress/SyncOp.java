package org.daxfs.stress;

import org.daxfs.FsException;

/** fsync or fdatasync: changes nothing the model sees; must succeed. */
final class SyncOp implements Operation {
    private final boolean dataOnly;

    SyncOp(boolean dataOnly) {
        this.dataOnly = dataOnly;
    }

    @Override
    public Outcome expect(FileModel model) {
        return Outcome.ok();
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        if (dataOnly) {
            file.fdatasync();
        } else {
            file.fsync();
        }
        return Outcome.ok();
    }

    @Override
    public Footprint footprint(FileModel model) {
        return Footprint.NOTHING;
    }

    @Override
    public String describe() {
        return dataOnly ? "fdatasync" : "fsync";
    }
}
