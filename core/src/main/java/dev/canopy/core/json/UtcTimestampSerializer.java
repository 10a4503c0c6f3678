package dev.canopy.core.json;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JacksonStdImpl;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.ser.OffsetDateTimeSerializer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Jackson's {@link OffsetDateTimeSerializer}, writing a UTC time the way
 * {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} does ({@code 2026-11-27T02:46:24.028Z}: seconds
 * always, the fraction without trailing zeros, none when it is zero) without going through the
 * formatter. Every time in an answer is UTC, and a lookup writes four of them: through the formatter
 * they cost more than the registry read (docs/performance.md, "Lookup, warm"). Any other value (another
 * offset, a year beyond 9999, a {@code @JsonFormat} pattern, a mapper with its own time zone) is left to
 * Jackson's serializer.
 *
 * <p>Marked as one of Jackson's own: Blackbird (on every Dropwizard mapper) reads a property through a
 * generated accessor only when its serializer is Jackson's, and falls back to reflection for any other,
 * so that a custom serializer of a String or a number is never skipped. This one writes what Jackson's
 * does, and an {@code OffsetDateTime} property always goes through its serializer, so the mark only
 * saves each time in an answer a reflective call.
 */
@JacksonStdImpl
public final class UtcTimestampSerializer extends OffsetDateTimeSerializer {
    private static final long serialVersionUID = 1L;

    /** The module to register on a mapper: every {@link OffsetDateTime} goes through this serializer. */
    public static SimpleModule module() {
        return new SimpleModule("canopy-utc-timestamps").addSerializer(OffsetDateTime.class, new UtcTimestampSerializer());
    }

    private UtcTimestampSerializer() {
    }

    private UtcTimestampSerializer(UtcTimestampSerializer base, Boolean useTimestamp, DateTimeFormatter formatter,
                                   JsonFormat.Shape shape) {
        super(base, useTimestamp, formatter, shape);
    }

    /**
     * Jackson makes a serializer per property from the registered one (with the property's format, or the
     * mapper's defaults): it must stay this class, or every model's times would go back to the formatter.
     */
    @Override
    protected UtcTimestampSerializer withFormat(Boolean useTimestamp, DateTimeFormatter formatter,
                                                JsonFormat.Shape shape) {
        return new UtcTimestampSerializer(this, useTimestamp, formatter, shape);
    }

    @Override
    protected String formatValue(OffsetDateTime value, SerializerProvider provider) {
        if (_formatter != null || value.getOffset() != ZoneOffset.UTC || value.getYear() < 0 || value.getYear() > 9999
                || provider.getConfig().hasExplicitTimeZone()
                && provider.isEnabled(SerializationFeature.WRITE_DATES_WITH_CONTEXT_TIME_ZONE)) {
            return super.formatValue(value, provider);
        }
        return format(value);
    }

    /** {@code value} (UTC, year 0 to 9999) as ISO_OFFSET_DATE_TIME writes it. */
    static String format(OffsetDateTime value) {
        byte[] text = new byte[30];
        digits(text, 0, value.getYear(), 4);
        text[4] = '-';
        digits(text, 5, value.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, value.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, value.getHour(), 2);
        text[13] = ':';
        digits(text, 14, value.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, value.getSecond(), 2);
        int end = 19;
        int nano = value.getNano();
        if (nano != 0) {
            text[end++] = '.';
            int places = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                places--;
            }
            digits(text, end, nano, places);
            end += places;
        }
        text[end++] = 'Z';
        return new String(text, 0, end, StandardCharsets.US_ASCII);
    }

    /** {@code value} as {@code width} decimal digits, zero-padded, at {@code text[at]}. */
    private static void digits(byte[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
