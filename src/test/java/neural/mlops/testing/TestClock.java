package neural.mlops.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one clock tests move by hand, in UTC: it stands still until a test advances or sets it
 * (forwards or back), or, made {@link #stepping}, moves by a fixed step each time it is read so
 * that events and documents written one after another get distinct times. Safe to read from
 * several threads, as the concurrency tests do.
 */
public final class TestClock extends Clock {

    private final AtomicReference<Instant> now;
    private final Duration step;

    public TestClock(Instant start) {
        this(start, Duration.ZERO);
    }

    private TestClock(Instant start, Duration step) {
        this.now = new AtomicReference<>(start);
        this.step = step;
    }

    /** A clock standing at {@code isoInstant}, e.g. {@code 2024-01-15T12:00:00Z}. */
    public static TestClock at(String isoInstant) {
        return new TestClock(Instant.parse(isoInstant));
    }

    /** A clock that moves by {@code step} before each reading: the first reading is {@code start + step}. */
    public static TestClock stepping(Instant start, Duration step) {
        return new TestClock(start, step);
    }

    public void advance(Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public Instant instant() {
        return step.isZero() ? now.get() : now.updateAndGet(instant -> instant.plus(step));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this; // always UTC, like every time the stores write
    }
}
