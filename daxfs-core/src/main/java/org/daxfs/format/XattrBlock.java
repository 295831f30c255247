package org.daxfs.format;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * The extended attributes of one inode: one block, like ext4's default of one xattr block per inode.
 *
 * <pre>
 *   0 common header ('DXXA', crc, owner inode)
 *  16 u16 count   18 u16 bytes used after the header
 *  24 entries: u8 name length, u16 value length, name bytes, value bytes
 * </pre>
 */
public final class XattrBlock {
    public static final int MAGIC = 0x41585844; // "DXXA"
    private static final int ENTRIES = 24;
    /** Room for names and values together (with 3 bytes of framing per attribute). */
    public static final int CAPACITY = Block.SIZE - ENTRIES;
    public static final int MAX_NAME = 255;

    private XattrBlock() {
    }

    /** The attributes in block {@code b} of inode {@code owner}, in stored order. */
    public static Map<String, byte[]> decode(Block b, long owner) throws FsException {
        b.verify(MAGIC, "xattr block of inode " + owner);
        if (b.owner() != owner) {
            throw b.corrupt("xattr block belongs to inode " + b.owner() + ", not " + owner);
        }
        int count = b.getShort(16);
        int off = ENTRIES;
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            if (off + 3 > Block.SIZE) {
                throw b.corrupt("xattr entries overrun the block");
            }
            int nameLen = b.getByte(off);
            int valueLen = b.getShort(off + 1);
            if (nameLen == 0 || off + 3 + nameLen + valueLen > Block.SIZE) {
                throw b.corrupt("xattr entry " + i + " overruns the block");
            }
            byte[] name = new byte[nameLen];
            b.getBytes(off + 3, name, 0, nameLen);
            byte[] value = new byte[valueLen];
            b.getBytes(off + 3 + nameLen, value, 0, valueLen);
            out.put(new String(name, StandardCharsets.UTF_8), value);
            off += 3 + nameLen + valueLen;
        }
        return out;
    }

    /** Bytes {@code attrs} take in a block. */
    public static int sizeOf(Map<String, byte[]> attrs) {
        int n = 0;
        for (Map.Entry<String, byte[]> e : attrs.entrySet()) {
            n += 3 + e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().length;
        }
        return n;
    }

    /**
     * Writes {@code attrs} into {@code b} for inode {@code owner} and seals it.
     *
     * @throws FsException ENOSPC if they do not fit
     */
    public static void encode(Block b, long owner, Map<String, byte[]> attrs) throws FsException {
        if (sizeOf(attrs) > CAPACITY) {
            throw FsException.of(Errno.ENOSPC, null, "extended attributes do not fit in one block");
        }
        b.init(MAGIC, owner);
        b.putShort(16, attrs.size());
        int off = ENTRIES;
        for (Map.Entry<String, byte[]> e : attrs.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = e.getValue();
            b.putByte(off, name.length);
            b.putShort(off + 1, value.length);
            b.putBytes(off + 3, name, 0, name.length);
            b.putBytes(off + 3 + name.length, value, 0, value.length);
            off += 3 + name.length + value.length;
        }
        b.putShort(18, off - ENTRIES);
        b.seal();
    }
}
