package io.ghostrooms.server.common;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: each socket gets one, so its
 * events are handled in the order it sent them without holding a thread of its own. A task may
 * return a stage (e.g. a join waiting for the message writer); the next task starts when it is done.
 */
public final class SerialExecutor {
    private final Executor pool;
    private final int maxPending;
    private final Queue<Supplier<? extends CompletionStage<?>>> tasks = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor pool, int maxPending) {
        this.pool = pool;
        this.maxPending = maxPending;
    }

    /** Queues a task; throws RejectedExecutionException when too many are pending. */
    public void submit(Supplier<? extends CompletionStage<?>> task) {
        synchronized (this) {
            if (tasks.size() >= maxPending) {
                throw new RejectedExecutionException("too many pending events");
            }
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            pool.execute(this::runNext);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                tasks.clear();
                running = false;
            }
            throw e;
        }
    }

    private void runNext() {
        Supplier<? extends CompletionStage<?>> next;
        synchronized (this) {
            next = tasks.poll();
            if (next == null) {
                running = false;
                return;
            }
        }
        CompletionStage<?> stage;
        try {
            stage = next.get();
        } catch (Throwable t) {
            stage = CompletableFuture.completedFuture(null);
        }
        if (stage == null) {
            stage = CompletableFuture.completedFuture(null);
        }
        stage.whenComplete((ignored, error) -> afterTask());
    }

    private void afterTask() {
        synchronized (this) {
            if (tasks.isEmpty()) {
                running = false;
                return;
            }
        }
        try {
            pool.execute(this::runNext);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                tasks.clear();
                running = false;
            }
        }
    }
}
