package dev.canopy.core.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Dropwizard 5.0's JSON layout asks every event for its caller data, whether {@code callerData} is
 * among its {@code includes} or not. Dropwizard writes through async appenders, so the layout runs on
 * the appender's worker thread, where logback works the caller data out from a new {@code Throwable}
 * and its whole stack, about 5 µs per line (docs/performance.md, "A warm child, measured"), only to
 * find no logger call on the worker's stack and return none. So where no appender takes caller data on
 * the calling thread ({@code includeCallerData: true}), the appenders behind the async ones get events
 * whose caller data is settled as none before the layout asks: the same lines, without the stack walk.
 */
public final class CallerDataOnWorkers {
    private static final StackTraceElement[] NONE = new StackTraceElement[0];

    private CallerDataOnWorkers() {
    }

    /** Call once logging is configured (in a bundle's or the app's {@code run}). */
    public static void skip() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            skip(context);
        }
    }

    /** @return how many appenders now get events without caller data */
    static int skip(LoggerContext context) {
        List<AsyncAppenderBase<ILoggingEvent>> asyncAppenders = new ArrayList<>();
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof AsyncAppenderBase<ILoggingEvent> async) {
                    asyncAppenders.add(async);
                }
            }
        }
        // One event goes to every appender of its logger: an appender that takes caller data on the
        // calling thread would lose it if another's worker settled it as none first.
        if (asyncAppenders.stream().anyMatch(async -> async instanceof AsyncAppender classic
                && classic.isIncludeCallerData())) {
            return 0;
        }
        int filtered = 0;
        for (AsyncAppenderBase<ILoggingEvent> async : asyncAppenders) {
            for (Iterator<Appender<ILoggingEvent>> it = async.iteratorForAppenders(); it.hasNext(); ) {
                Appender<ILoggingEvent> behind = it.next();
                if (behind.getCopyOfAttachedFiltersList().stream().noneMatch(NoCallerData.class::isInstance)) {
                    NoCallerData filter = new NoCallerData();
                    filter.start();
                    behind.addFilter(filter);
                    filtered++;
                }
            }
        }
        return filtered;
    }

    /** Runs on the worker, before the layout: the event's caller data is settled as none, so no stack is walked. */
    private static final class NoCallerData extends Filter<ILoggingEvent> {
        @Override
        public FilterReply decide(ILoggingEvent event) {
            if (event instanceof LoggingEvent loggingEvent && !loggingEvent.hasCallerData()) {
                loggingEvent.setCallerData(NONE);
            }
            return FilterReply.NEUTRAL;
        }
    }
}
