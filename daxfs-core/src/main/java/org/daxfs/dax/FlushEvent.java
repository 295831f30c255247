package org.daxfs.dax;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Dirty entries of a file flushed to durability (fsync, msync). */
@Name("org.daxfs.Flush")
@Label("DAX Flush")
@Category({"DaxFS", "Address Space"})
@Description("Device ranges of dirty mapping entries made durable")
@Enabled(false)
@StackTrace(false)
final class FlushEvent extends jdk.jfr.Event {
    @Label("Inode")
    long inode;
    @Label("Entries Flushed")
    int entries;
    @Label("Bytes Flushed")
    @DataAmount
    long bytes;
    @Label("Outcome")
    String outcome;
}
