package org.daxfs.fs;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.format.Block;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.format.XattrBlock;
import org.daxfs.journal.Transaction;

/**
 * The extended attributes of an inode: which names are allowed (the namespaces Linux knows), reading them
 * from the inode's xattr block, and storing a changed set (taking or giving back the block as needed).
 *
 * <p>Context: {@link #read} needs the inode lock at least shared; {@link #store} the inode lock exclusive
 * and the transaction, which the inode has joined.
 */
final class ExtendedAttributes {
    private ExtendedAttributes() {
    }

    /** Checks a name as setxattr(2) does: 1 to 255 bytes, in the user, trusted, security or system namespace. */
    static void checkName(String path, String name) throws FsException {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > XattrBlock.MAX_NAME) {
            throw FsException.of(Errno.ERANGE, path, "bad attribute name length");
        }
        if (!(name.startsWith("user.") || name.startsWith("trusted.") || name.startsWith("security.")
                || name.startsWith("system."))) {
            throw FsException.of(Errno.EOPNOTSUPP, path, "attribute namespace of " + name);
        }
    }

    /** The attributes of {@code in}, in stored order (a new, changeable map). */
    static Map<String, byte[]> read(MetadataBlocks mb, Inode in) throws FsException {
        if (in.record.xattrBlock == 0) {
            return new LinkedHashMap<>();
        }
        return XattrBlock.decode(mb.read(in.record.xattrBlock), in.ino);
    }

    /** Stores {@code attrs} as the attributes of {@code in}: no block when empty, else one block. */
    static void store(Transaction txn, Inode in, Map<String, byte[]> attrs) throws FsException {
        if (attrs.isEmpty()) {
            if (in.record.xattrBlock != 0) {
                txn.free(in.record.xattrBlock);
                in.record.xattrBlock = 0;
                in.record.blocks--;
            }
            return;
        }
        Block b;
        if (in.record.xattrBlock == 0) {
            b = txn.allocate(in.ino, 0);
            in.record.xattrBlock = b.number();
            in.record.blocks++;
        } else {
            b = txn.modify(in.record.xattrBlock);
        }
        XattrBlock.encode(b, in.ino, attrs);
    }
}
