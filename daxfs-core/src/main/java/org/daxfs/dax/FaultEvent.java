package org.daxfs.dax;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One fault: an entry looked up or filled and shown in a mapping. Off unless a recording enables it. */
@Name("org.daxfs.Fault")
@Label("DAX Fault")
@Category({"DaxFS", "Address Space"})
@Description("A page or 2 MiB entry of a file looked up (or allocated) and shown in a mapping")
@Enabled(false)
@StackTrace(false)
final class FaultEvent extends jdk.jfr.Event {
    @Label("Inode")
    long inode;
    @Label("Page Index")
    long index;
    @Label("Pages")
    long pages;
    @Label("Huge")
    boolean huge;
    @Label("Write")
    boolean write;
    @Label("Hole")
    boolean hole;
    @Label("Fell Back To Small")
    boolean fallback;
    @Label("Outcome")
    String outcome;
}
