package org.daxfs.bench;

/**
 * One measured result: a workload on a peer (no peer for the memory-copy limit), in operations per second
 * with JMH's 99.9% confidence half-width ({@code NaN} when too few iterations ran to compute one).
 */
record Score(Workload workload, Peer peer, double opsPerSecond, double error) {}
