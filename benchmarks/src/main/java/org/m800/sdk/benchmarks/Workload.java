package org.m800.sdk.benchmarks;

import java.util.List;

/**
 * One benchmark of issue 7's table. To add one, implement this and list it
 * in {@link Benchmarks#WORKLOADS}.
 *
 * <p>A workload warms up before it measures, measures several runs, checks that every answer is
 * right (throwing {@link CorrectnessException} otherwise), and returns its rows. It must stop by
 * itself (bounded loops, timeouts) and leave no thread, process or socket behind.
 */
public interface Workload {

    /** @return the id in issue 7's table, such as {@code W3} */
    String id();

    /** @return a one-line description */
    String title();

    /**
     * Runs the workload.
     *
     * @return its rows, in the order to print them
     * @throws Exception if it cannot run or a check fails; the run then exits non-zero
     */
    List<Result> run(Env env) throws Exception;
}
