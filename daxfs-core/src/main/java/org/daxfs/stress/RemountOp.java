package org.daxfs.stress;

import org.daxfs.FsException;

/**
 * Unmounts and mounts the image again; the model stays as it is, since everything written must still be
 * there (unmount writes everything back), except that unmounting revokes every mapping. Single mode only:
 * it pulls the file system from under every other file.
 */
final class RemountOp implements Operation {
    @Override
    public Outcome expect(FileModel model) {
        return model.unmounted();
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        file.remount();
        return Outcome.ok();
    }

    @Override
    public boolean checksWholeFileAfter() {
        return true;
    }

    @Override
    public String describe() {
        return "remount";
    }
}
