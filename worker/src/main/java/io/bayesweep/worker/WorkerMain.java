package io.bayesweep.worker;

import io.bayesweep.model.ComputeDevice;
import io.bayesweep.model.FineTuner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/** Runs one worker process until it is told to stop (SIGTERM or Ctrl-C). Settings: {@link WorkerConfig}. */
public final class WorkerMain {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WorkerConfig config;
        try {
            config = WorkerConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            // starts the engine, so a missing or mismatched libtorch shows here rather than in the first trial
            LOG.info("{} trains on {}", config.workerId(), ComputeDevice.describe());
        } catch (IllegalArgumentException | IllegalStateException e) { // BAYESWEEP_DEVICE does not fit this host
            System.err.println("worker: " + e.getMessage());
            if (e.getCause() != null) {
                e.getCause().printStackTrace();
            }
            System.exit(2);
            return;
        }
        Worker worker = new Worker(config, new FineTuner()).start();
        CountDownLatch exited = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("{} stopping", config.workerId());
            worker.close();
            exited.countDown();
        }, "worker-shutdown"));
        exited.await();
    }
}
