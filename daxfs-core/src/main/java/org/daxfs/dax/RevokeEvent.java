package org.daxfs.dax;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Mappings and entries of a page range taken away before its blocks change. */
@Name("org.daxfs.Revoke")
@Label("DAX Revoke")
@Category({"DaxFS", "Address Space"})
@Description("Mappings overlapping a range revoked and its entries removed (invalidate)")
@Enabled(false)
@StackTrace(false)
final class RevokeEvent extends jdk.jfr.Event {
    @Label("Inode")
    long inode;
    @Label("First Page")
    long from;
    @Label("End Page")
    long to;
    @Label("Mappings Revoked")
    int mappings;
    @Label("Entries Removed")
    int entries;
    @Label("Reason")
    String reason;
    @Label("Outcome")
    String outcome;
}
