package org.daxfs.bench;

/**
 * One JMH result for the mapping report: a benchmark method (or, for a thread group, the method of one
 * thread in it) with the value of its parameter ({@code null} when it has none), in operations per second
 * with JMH's 99.9% confidence half-width ({@code NaN} when too few iterations ran to compute one).
 */
record Measured(String method, String param, double opsPerSecond, double error) {}
