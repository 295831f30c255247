package org.daxfs.stress;

/**
 * What a generator may look at when it draws the next operation of one thread: the thread's random
 * numbers, the model of its file (to aim at the end of file, say), the parameter distribution, and the
 * operation number, which also tags the bytes a write puts down ({@link Pattern}).
 *
 * @param rng the thread's random numbers
 * @param model the model of the thread's file; generators only read it
 * @param choices how parameters are drawn
 * @param opNumber the number of the operation being drawn, from 1
 * @param shared the shared file of disrupt mode as this thread reads it, or null
 * @param held the mapping of the thread's own file that it keeps across operations (the model says whether
 *     one is held, and where)
 */
record OpContext(Rng rng, FileModel model, Choices choices, long opNumber, SharedReader shared, HeldMapping held) {
}
