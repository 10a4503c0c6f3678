package dev.canopy.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Everything written to standard output from {@link #start()} on, still printed as well: the apps log
 * to the console (their log and their request log), and Logback's console appender writes to whatever
 * {@code System.out} is at the time, so a test can read what an app logged, as an operator would.
 */
public final class CapturedOutput {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    /** Call before the app starts, to see its start-up lines too. */
    public static CapturedOutput start() {
        CapturedOutput output = new CapturedOutput();
        output.original = System.out;
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (output.captured) {
                    output.captured.write(b);
                }
                output.original.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                synchronized (output.captured) {
                    output.captured.write(bytes, offset, length);
                }
                output.original.write(bytes, offset, length);
            }
        };
        System.setOut(new PrintStream(both, true, StandardCharsets.UTF_8));
        return output;
    }

    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    public void stop() {
        if (original != null) {
            System.setOut(original);
        }
    }
}
