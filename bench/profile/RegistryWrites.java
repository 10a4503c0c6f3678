import dev.canopy.core.auth.Caller;
import dev.canopy.core.auth.KeyAuthenticator;
import dev.canopy.core.auth.KeyKind;
import dev.canopy.core.auth.Keys;
import dev.canopy.core.registry.ServiceRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry's write path and the key check in isolation, in CPU time, which a busy machine inflates
 * far less than it cuts request rates (docs/performance.md, "Profile"). Run against a build's jar:
 * {@code taskset -c 0 java -cp child-app.jar bench/profile/RegistryWrites.java}. One JSON line:
 * CPU ns of one thread per registration of a new url (the body register.lua sends), per key check
 * (a service key among admin, child and service keys), and, with 32 threads sharing the core, wall and
 * process CPU per registration (a lock holder descheduled mid-write makes the others wait).
 */
public class RegistryWrites {
    private static final Duration TTL = Duration.ofHours(1);
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Double> single = new ArrayList<>();
        List<Double> keys = new ArrayList<>();
        List<Double> sharedWall = new ArrayList<>();
        List<Double> sharedCpu = new ArrayList<>();
        for (int rep = -2; rep < reps; rep++) { // two warm-up repetitions, not reported
            double s = singleThread(rep, 100_000);
            double k = keyChecks(200_000);
            double[] shared = threads(rep, 32, 3_000);
            if (rep >= 0) {
                single.add(s);
                keys.add(k);
                sharedWall.add(shared[0]);
                sharedCpu.add(shared[1]);
            }
        }
        System.out.printf("{\"register_cpu_ns\":%s,\"key_check_cpu_ns\":%s,\"register_32_threads_wall_ns\":%s,"
                + "\"register_32_threads_process_cpu_ns\":%s}%n", single, keys, sharedWall, sharedCpu);
    }

    private static Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("display_name", "Bench Service");
        info.put("version", "1.0.0");
        return info;
    }

    private static double singleThread(int rep, int n) {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(Clock.systemUTC());
        var bean = ManagementFactory.getThreadMXBean();
        long t0 = bean.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            registry.registerUrl("http://svc-" + rep + "-1-" + i + ".bench.example:8080/", info(), null, TTL,
                    Caller.UNRESTRICTED);
        }
        return round((bean.getCurrentThreadCpuTime() - t0) / (double) n);
    }

    private static double keyChecks(int n) {
        KeyAuthenticator keys = new KeyAuthenticator(Map.of(
                KeyKind.ADMIN, Keys.parse("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                KeyKind.CHILD, Keys.parse("cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"),
                KeyKind.SERVICE, Keys.parse("ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss")));
        var bean = ManagementFactory.getThreadMXBean();
        long t0 = bean.getCurrentThreadCpuTime();
        int found = 0;
        for (int i = 0; i < n; i++) {
            found += keys.authenticate("ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss").isPresent() ? 1 : 0;
        }
        if (found != n) {
            throw new IllegalStateException("the key was not found");
        }
        return round((bean.getCurrentThreadCpuTime() - t0) / (double) n);
    }

    /** {wall ns, process CPU ns} per registration, {@code threads} threads registering new urls at once. */
    private static double[] threads(int rep, int threads, int each) throws InterruptedException {
        ServiceRegistry registry = ServiceRegistry.withUniqueUrls(Clock.systemUTC());
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    registry.registerUrl("http://svc-" + rep + "-" + thread + "-" + i + ".bench.example:8080/", info(),
                            null, TTL, Caller.UNRESTRICTED);
                }
                done.incrementAndGet();
            });
            worker.start();
            all.add(worker);
        }
        long cpu0 = OS.getProcessCpuTime();
        long wall0 = System.nanoTime();
        start.countDown();
        for (Thread worker : all) {
            worker.join();
        }
        long wall = System.nanoTime() - wall0;
        long cpu = OS.getProcessCpuTime() - cpu0;
        int n = threads * each;
        return new double[] {round(wall / (double) n), round(cpu / (double) n)};
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
