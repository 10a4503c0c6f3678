package dev.canopy.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallerDataOnWorkersTest {
    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> behind = new ListAppender<>();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void behindAnAsyncAppenderAnEventArrivesWithItsCallerDataSettledAsNone() {
        Logger logger = loggerWritingThroughAsync(false);
        assertThat(CallerDataOnWorkers.skip(context)).isEqualTo(1);
        assertThat(CallerDataOnWorkers.skip(context)).as("installed once").isZero();

        LoggingEvent event = logAndFlush(logger);

        // Settled before any layout asked: asking now walks no stack.
        assertThat(event.hasCallerData()).isTrue();
        assertThat(event.getCallerData()).isEmpty();
        assertThat(event.getFormattedMessage()).isEqualTo("registered");
    }

    @Test
    void withoutItTheLayoutWouldWalkTheWorkersStackForNothing() {
        LoggingEvent event = logAndFlush(loggerWritingThroughAsync(false));

        assertThat(event.hasCallerData()).as("left for the layout to work out").isFalse();
        // Worked out away from the calling thread, it is empty all the same: nothing is lost by settling it.
        assertThat(event.getCallerData()).isEmpty();
    }

    @Test
    void callerDataTakenOnTheCallingThreadIsKept() {
        Logger logger = loggerWritingThroughAsync(true);
        assertThat(CallerDataOnWorkers.skip(context)).isZero();

        LoggingEvent event = logAndFlush(logger);

        assertThat(event.getCallerData()[0].getClassName()).isEqualTo(getClass().getName());
    }

    private Logger loggerWritingThroughAsync(boolean includeCallerData) {
        context.setMDCAdapter(new LogbackMDCAdapter());
        behind.setContext(context);
        behind.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setIncludeCallerData(includeCallerData);
        async.addAppender(behind);
        async.start();
        Logger logger = context.getLogger("dev.canopy.test");
        logger.addAppender(async);
        return logger;
    }

    private LoggingEvent logAndFlush(Logger logger) {
        logger.info("registered");
        // Stopping an async appender drains its queue into the appender behind it.
        logger.iteratorForAppenders().forEachRemaining(appender -> appender.stop());
        assertThat(behind.list).hasSize(1);
        return (LoggingEvent) behind.list.get(0);
    }
}
