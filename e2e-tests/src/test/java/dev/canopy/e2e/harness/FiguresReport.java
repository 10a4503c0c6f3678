package dev.canopy.e2e.harness;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/** Prints the reliability table once the tests are done, if any fault test recorded figures. */
public final class FiguresReport implements TestExecutionListener {
    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        Figures.table().ifPresent(table -> System.out.println("\nReliability figures (target/reliability/reliability.md):\n\n"
                + table));
    }
}
