package neural.mlops.audit;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Which events a query, report or export takes: every criterion is optional (null), and an event
 * must meet all that are given. {@code since} and {@code until} are inclusive; {@code user} and
 * {@code text} ignore case; {@code text} looks in the user, action, resource, reason, details and
 * tags. {@code tags}, as the original module's query has it, takes an event carrying any of them
 * (empty: no criterion).
 *
 * <pre>{@code
 * AuditFilter.all().withType(EventType.MODEL_DEPLOYED).withSince(Instant.parse("2024-01-01T00:00:00Z"))
 * }</pre>
 */
public record AuditFilter(
        EventType type,
        EventSeverity severity,
        String user,
        String resourceType,
        String resourceId,
        String text,
        Instant since,
        Instant until,
        List<String> tags) {

    private static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null, null, null);

    public AuditFilter {
        tags = tags == null || tags.isEmpty() ? List.of() : List.copyOf(tags);
    }

    /** Criteria without tags. */
    public AuditFilter(EventType type, EventSeverity severity, String user, String resourceType, String resourceId,
                       String text, Instant since, Instant until) {
        this(type, severity, user, resourceType, resourceId, text, since, until, List.of());
    }

    public static AuditFilter all() {
        return ALL;
    }

    public AuditFilter withType(EventType newType) {
        return new AuditFilter(newType, severity, user, resourceType, resourceId, text, since, until, tags);
    }

    public AuditFilter withSeverity(EventSeverity newSeverity) {
        return new AuditFilter(type, newSeverity, user, resourceType, resourceId, text, since, until, tags);
    }

    public AuditFilter withUser(String newUser) {
        return new AuditFilter(type, severity, newUser, resourceType, resourceId, text, since, until, tags);
    }

    public AuditFilter withResourceType(String newResourceType) {
        return new AuditFilter(type, severity, user, newResourceType, resourceId, text, since, until, tags);
    }

    public AuditFilter withResourceId(String newResourceId) {
        return new AuditFilter(type, severity, user, resourceType, newResourceId, text, since, until, tags);
    }

    public AuditFilter withText(String newText) {
        return new AuditFilter(type, severity, user, resourceType, resourceId, newText, since, until, tags);
    }

    public AuditFilter withSince(Instant newSince) {
        return new AuditFilter(type, severity, user, resourceType, resourceId, text, newSince, until, tags);
    }

    public AuditFilter withUntil(Instant newUntil) {
        return new AuditFilter(type, severity, user, resourceType, resourceId, text, since, newUntil, tags);
    }

    /** The same criteria, taking events that carry any of {@code newTags}. */
    public AuditFilter withTags(List<String> newTags) {
        return new AuditFilter(type, severity, user, resourceType, resourceId, text, since, until, newTags);
    }

    /** The same criteria over the period [since, until]. */
    public AuditFilter withPeriod(Instant newSince, Instant newUntil) {
        return withSince(newSince).withUntil(newUntil);
    }

    /** True when {@code event} meets every criterion given. */
    public boolean test(AuditEvent event) {
        if ((type != null && event.eventType() != type)
                || (severity != null && event.severity() != severity)
                || (user != null && !user.equalsIgnoreCase(String.valueOf(event.user())))
                || (resourceType != null && !resourceType.equals(event.resourceType()))
                || (resourceId != null && !resourceId.equals(event.resourceId()))
                || (since != null && event.timestamp().isBefore(since))
                || (until != null && event.timestamp().isAfter(until))
                || (!tags.isEmpty() && tags.stream().noneMatch(event.tags()::contains))) {
            return false;
        }
        return text == null || text.isEmpty() || searchableText(event).contains(text.toLowerCase(Locale.ROOT));
    }

    private static String searchableText(AuditEvent event) {
        StringBuilder text = new StringBuilder();
        for (Object part : new Object[] {event.eventType().value(), event.user(), event.action(), event.resourceType(),
                event.resourceId(), event.reason(), event.ipAddress(), event.details().isEmpty() ? null : event.details(),
                event.tags().isEmpty() ? null : event.tags()}) {
            if (part != null) {
                text.append(part).append('\n');
            }
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }
}
