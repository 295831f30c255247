package org.daxfs.fs;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A range operation that takes blocks away (truncate, punch, zero, collapse, insert range). */
@Name("org.daxfs.RangeOperation")
@Label("Range Operation")
@Category({"DaxFS", "File System"})
@Description("Truncate or fallocate mode run under the invalidate lock exclusive: revoke, change extents, free")
@Enabled(false)
@StackTrace(false)
final class RangeOperationEvent extends jdk.jfr.Event {
    @Label("Inode")
    long inode;
    @Label("Operation")
    String operation;
    @Label("Offset")
    long offset;
    @Label("End")
    long end;
    @Label("Outcome")
    String outcome;
}
