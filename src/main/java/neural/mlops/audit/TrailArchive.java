package neural.mlops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.UtcTime;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.StoredObject;

/**
 * An archive of whole past days of the trail (SPEC 2.3 retention): one zip holding, under their
 * keys relative to the trail, the days' event files, their index and summary, their signed
 * digests, and {@code manifest.json} (the days, the first and last seq and hash, the count, the
 * key id when signed, and each entry's SHA-256; with a key, the manifest is signed). Written and
 * verified here; {@link AuditLogger#archive} records the checkpoint and deletes the days.
 */
final class TrailArchive {

    static final String MANIFEST = "manifest.json";
    static final String FORMAT = "neural-mlops-audit-archive";

    /** One archived day: the objects it took (with the version listed, so only that version is deleted) and its chain. */
    record Day(LocalDate day, List<StoredObject> events, List<Key> derived, long firstSeq, long lastSeq,
               String firstPrevHash, String lastHash, long count) {

        Map<String, Object> toDetails() {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put(AuditRecords.DAY, day.toString());
            details.put(AuditRecords.FIRST_SEQ, firstSeq);
            details.put(AuditRecords.LAST_SEQ, lastSeq);
            details.put(AuditRecords.LAST_HASH, lastHash);
            details.put(AuditRecords.EVENTS, count);
            return details;
        }
    }

    /** What was written: the days, the count of events, and the first and last chained seq. */
    record Written(List<Day> days, long events, long firstSeq, long lastSeq, String lastHash) {
    }

    private TrailArchive() {
    }

    /** Writes the days to {@code file} (a temporary file the caller puts in place); the manifest last. */
    static Written write(TrailLayout layout, List<LocalDate> days, Path file, AuditKey key, LocalDate before,
                         String user, Instant createdAt) {
        List<Day> written = new ArrayList<>();
        ArrayNode entries = Json.mapper().createArrayNode();
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (LocalDate day : days) {
                List<StoredObject> objects = layout.eventObjects(day);
                objects.sort(Comparator.comparing(object -> object.key().value()));
                List<AuditEvent> chained = new ArrayList<>();
                long count = 0;
                for (StoredObject object : objects) {
                    byte[] content = layout.read(object.key(), Json.MAX_DOCUMENT_BYTES)
                            .orElseThrow(() -> new InvalidInputException(layout.display(object.key())
                                    + " disappeared while it was archived; nothing was deleted: run the archive again"))
                            .content();
                    put(zip, entries, object.key().value(), content);
                    AuditEvent event = EventJson.fromJson(layout.parseObject(object.key(), content));
                    count++;
                    if (event.chained()) {
                        chained.add(event);
                    }
                }
                chained.sort(Comparator.comparingLong(AuditEvent::seq));
                List<Key> derived = new ArrayList<>();
                for (Key derivedKey : List.of(layout.indexKey(day), layout.indexSummaryKey(day), layout.digestKey(day))) {
                    Optional<InputStream> stream = layout.storage.openStream(derivedKey);
                    if (stream.isPresent()) {
                        try (InputStream in = stream.get()) {
                            put(zip, entries, derivedKey.value(), in.readAllBytes());
                        }
                        derived.add(derivedKey);
                    }
                }
                written.add(new Day(day, objects, derived,
                        chained.isEmpty() ? 0 : chained.get(0).seq(), chained.isEmpty() ? 0 : chained.get(chained.size() - 1).seq(),
                        chained.isEmpty() ? null : chained.get(0).prevHash(),
                        chained.isEmpty() ? null : chained.get(chained.size() - 1).hash(), count));
            }
            List<Day> withChain = written.stream().filter(day -> day.firstSeq() > 0).toList();
            long events = written.stream().mapToLong(Day::count).sum();
            long firstSeq = withChain.isEmpty() ? 0 : withChain.get(0).firstSeq();
            long lastSeq = withChain.isEmpty() ? 0 : withChain.get(withChain.size() - 1).lastSeq();
            String lastHash = withChain.isEmpty() ? null : withChain.get(withChain.size() - 1).lastHash();
            ObjectNode manifest = Json.mapper().createObjectNode();
            manifest.put("format", FORMAT);
            manifest.put("version", 1);
            manifest.put("created_at", UtcTime.format(createdAt));
            manifest.put("created_by", user);
            manifest.put("before", before.toString());
            manifest.put("events", events);
            manifest.put("first_seq", firstSeq);
            manifest.put("first_prev_hash", withChain.isEmpty() ? null : withChain.get(0).firstPrevHash());
            manifest.put("last_seq", lastSeq);
            manifest.put("last_hash", lastHash);
            ArrayNode dayNodes = manifest.putArray("days");
            for (Day day : written) {
                ObjectNode node = dayNodes.addObject();
                node.put("day", day.day().toString());
                node.put("first_seq", day.firstSeq());
                node.put("first_prev_hash", day.firstPrevHash());
                node.put("last_seq", day.lastSeq());
                node.put("last_hash", day.lastHash());
                node.put("events", day.count());
            }
            manifest.set("files", entries);
            if (key != null) {
                manifest.put("key_id", key.id());
                manifest.put(Head.HMAC, key.sign(Canonical.bytes(manifest)));
            }
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(Json.bytes(file, manifest));
            zip.closeEntry();
            zip.finish();
            out.flush();
            if (out instanceof java.io.FileOutputStream fileOut) {
                fileOut.getFD().sync();
            }
            return new Written(written, events, firstSeq, lastSeq, lastHash);
        } catch (IOException e) {
            throw StoreIOException.of("write the archive", file, e);
        }
    }

    private static void put(ZipOutputStream zip, ArrayNode entries, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
        ObjectNode entry = entries.addObject();
        entry.put("name", name);
        entry.put("bytes", content.length);
        entry.put("sha256", HexFormat.of().formatHex(Canonical.sha256().digest(content)));
    }

    /** The SHA-256 of a file, read as a stream. */
    static String sha256(Path file) {
        MessageDigest digest = Canonical.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw StoreIOException.of("read", file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Verifies an archive on its own: every entry is listed in the manifest with its SHA-256 and
     * nothing else is in it; each chained event's hash is recomputed, and the chain runs without a
     * gap from the manifest's first seq (linking to its first prev_hash) to its last seq and hash;
     * with a key, the manifest's and the days' signatures are checked.
     */
    static IntegrityReport verify(Path file, AuditKey key, Clock clock) {
        List<IntegrityProblem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Path manifestPath = file.resolve(MANIFEST);
        long checked = 0;
        long unchained = 0;
        String lastHash = null;
        long lastSeq = 0;
        boolean signed = false;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry manifestEntry = zip.getEntry(MANIFEST);
            if (manifestEntry == null) {
                throw new InvalidInputException(file + " is not an audit archive: it has no " + MANIFEST);
            }
            ObjectNode manifest;
            try (InputStream in = zip.getInputStream(manifestEntry)) {
                JsonNode node = Json.mapper().readTree(in.readNBytes((int) Json.MAX_DOCUMENT_BYTES));
                if (node == null || !node.isObject() || !FORMAT.equals(node.path("format").asText())) {
                    throw new InvalidInputException(file + " is not an audit archive: its " + MANIFEST + " is not one");
                }
                manifest = (ObjectNode) node;
            }
            signed = manifest.hasNonNull("key_id");
            if (signed && key == null) {
                notes.add("the archive is signed (key id " + manifest.path("key_id").asText() + ") but no key was given: "
                        + "its signatures were not checked; give the key (" + AuditKey.ENVIRONMENT_VARIABLE + ")");
            } else if (signed && (!key.id().equals(manifest.path("key_id").asText()) || !Head.signatureValid(manifest, key))) {
                problems.add(new IntegrityProblem(ProblemKind.SIGNATURE, 0, manifestPath,
                        "the manifest is not signed by this key: it was rewritten, or another key signed it"));
            }
            Map<String, String> listed = new HashMap<>();
            for (JsonNode entry : manifest.path("files")) {
                listed.put(entry.path("name").asText(), entry.path("sha256").asText());
            }
            Map<Long, AuditEvent> bySeq = new java.util.TreeMap<>();
            Map<Long, Path> fileOfSeq = new HashMap<>();
            Map<LocalDate, ObjectNode> digests = new HashMap<>();
            var entries = zip.entries();
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.equals(MANIFEST)) {
                    continue;
                }
                Path shown = file.resolve(name);
                byte[] content;
                try (InputStream in = zip.getInputStream(entry)) {
                    content = in.readAllBytes();
                }
                String expected = listed.get(name);
                if (expected == null || !seen.add(name)) {
                    problems.add(new IntegrityProblem(ProblemKind.REORDERED, seqOf(name), shown,
                            "the entry is not in the manifest, or is in the archive twice: it was inserted"));
                    continue;
                }
                if (!Canonical.sameDigest(expected, HexFormat.of().formatHex(Canonical.sha256().digest(content)))) {
                    problems.add(new IntegrityProblem(ProblemKind.MODIFIED, seqOf(name), shown,
                            "the entry's SHA-256 is not the one the manifest records: it was changed"));
                }
                if (name.startsWith(TrailLayout.DIGESTS + "/")) {
                    digests.put(digestDay(name), (ObjectNode) Json.mapper().readTree(content));
                    continue;
                }
                if (!name.startsWith(TrailLayout.EVENTS + "/")) {
                    continue; // the index and summaries: derived, rebuilt from the events when restored
                }
                ObjectNode raw;
                AuditEvent event;
                try {
                    // As the trail reads them: the original module's events may hold Python's unquoted NaN and Infinity.
                    JsonNode node = Json.storedMapper().readTree(content);
                    if (node == null || !node.isObject()) {
                        throw new EventJson.MalformedEvent("expected a JSON object");
                    }
                    raw = (ObjectNode) node;
                    event = EventJson.fromJson(raw);
                } catch (IOException | EventJson.MalformedEvent | InvalidInputException e) {
                    problems.add(new IntegrityProblem(ProblemKind.MALFORMED, seqOf(name), shown,
                            "not a readable audit event: " + e.getMessage()));
                    continue;
                }
                if (!event.chained()) {
                    unchained++;
                    continue;
                }
                checked++;
                if (!Canonical.matchesHash(raw, event.hash())) {
                    problems.add(new IntegrityProblem(ProblemKind.MODIFIED, event.seq(), shown,
                            "the content no longer matches its hash: the event was edited"));
                }
                if (seqOf(name) != event.seq()) {
                    problems.add(new IntegrityProblem(ProblemKind.REORDERED, event.seq(), shown,
                            "the event is stored under the file name of seq " + seqOf(name)));
                }
                if (bySeq.put(event.seq(), event) != null) {
                    problems.add(new IntegrityProblem(ProblemKind.REORDERED, event.seq(), shown,
                            "seq " + event.seq() + " appears more than once"));
                }
                fileOfSeq.put(event.seq(), shown);
            }
            for (String name : listed.keySet()) {
                if (!seen.contains(name)) {
                    problems.add(new IntegrityProblem(ProblemKind.MISSING, seqOf(name), file.resolve(name),
                            "the manifest lists the entry but the archive does not hold it: it was removed"));
                }
            }
            long firstSeq = manifest.path("first_seq").asLong();
            lastSeq = Math.max(0, firstSeq - 1);
            lastHash = manifest.path("first_prev_hash").isTextual() ? manifest.path("first_prev_hash").asText() : null;
            for (AuditEvent event : bySeq.values()) {
                if (event.seq() > lastSeq + 1) {
                    problems.add(new IntegrityProblem(ProblemKind.MISSING, lastSeq + 1, fileOfSeq.get(event.seq()),
                            "seqs " + (lastSeq + 1) + " to " + (event.seq() - 1) + " are missing from the archive"));
                } else if (!Objects.equals(event.prevHash(), lastHash)) {
                    problems.add(new IntegrityProblem(ProblemKind.MODIFIED, event.seq(), fileOfSeq.get(event.seq()),
                            "the event's prev_hash is not the hash of seq " + lastSeq + ": the chain was rewritten"));
                }
                lastSeq = event.seq();
                lastHash = event.hash();
            }
            long manifestLast = manifest.path("last_seq").asLong();
            String manifestHash = manifest.path("last_hash").isTextual() ? manifest.path("last_hash").asText() : null;
            if (lastSeq != manifestLast || !Objects.equals(lastHash, manifestHash) && manifestLast > 0) {
                problems.add(new IntegrityProblem(lastSeq < manifestLast ? ProblemKind.TRUNCATED : ProblemKind.MODIFIED,
                        Math.min(lastSeq, manifestLast) + 1, manifestPath, "the manifest records seqs " + firstSeq + " to "
                                + manifestLast + " ending in " + manifestHash + ", but the archive's chain ends at seq "
                                + lastSeq + " with " + lastHash));
            }
            if (key != null) {
                for (JsonNode day : manifest.path("days")) {
                    checkDigest(file, day, digests.get(LocalDate.parse(day.path("day").asText())), key, problems);
                }
            }
            notes.add("archive of " + manifest.path("days").size() + " day(s) before " + manifest.path("before").asText()
                    + ", " + manifest.path("events").asLong() + " events, seqs " + firstSeq + " to " + manifestLast);
            if (unchained > 0) {
                notes.add(unchained + " unchained event(s): vouched for by the manifest's SHA-256 only"
                        + (signed ? "" : " (which is not signed)"));
            }
        } catch (IOException e) {
            throw new InvalidInputException("Could not read the archive " + file + ": " + e.getMessage(), e);
        } catch (CorruptDocumentException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        problems.sort(Comparator.comparingLong((IntegrityProblem problem) -> problem.seq() == 0 ? Long.MAX_VALUE : problem.seq())
                .thenComparing(IntegrityProblem::kind));
        IntegrityReport.Coverage coverage = new IntegrityReport.Coverage(
                "every entry's SHA-256 checked against the manifest; every event's hash recomputed; seqs and links "
                        + "checked against the manifest's first and last seq and hash",
                key != null ? "the manifest and the day digests checked with key id " + key.id()
                        : signed ? "not checked: no key" : "none: the archive is not signed and no key was given",
                "the index and summaries are listed in the manifest, not compared with the events");
        return new IntegrityReport(UtcTime.now(clock), null, null, checked, unchained, 0, 0, lastSeq, lastHash,
                key != null, signed, coverage, problems, notes);
    }

    private static void checkDigest(Path file, JsonNode day, ObjectNode digest, AuditKey key, List<IntegrityProblem> problems) {
        long first = day.path("first_seq").asLong();
        if (digest == null || first == 0) {
            return; // a day the trail had not signed (the head's own day, or before the key), or without chained events
        }
        Path shown = file.resolve(TrailLayout.DIGESTS + "/" + day.path("day").asText());
        if (!key.id().equals(digest.path("key_id").asText()) || !Head.signatureValid(digest, key)) {
            problems.add(new IntegrityProblem(ProblemKind.SIGNATURE, first, shown, "the day's digest is not signed by this key"));
        } else if (digest.path("last_seq").asLong() != day.path("last_seq").asLong()
                || !digest.path("last_hash").asText().equals(day.path("last_hash").asText())) {
            problems.add(new IntegrityProblem(ProblemKind.SIGNATURE, first, shown,
                    "the day's signed digest does not record the day's last seq and hash"));
        }
    }

    /** The seq in an entry's file name, 0 when it is not an event file name. */
    private static long seqOf(String name) {
        return TrailLayout.seqFromName(name.substring(name.lastIndexOf('/') + 1));
    }

    private static LocalDate digestDay(String name) {
        String stamp = name.substring(name.lastIndexOf('_') + 1, name.length() - ".json".length());
        return LocalDate.parse(stamp.substring(0, 4) + "-" + stamp.substring(4, 6) + "-" + stamp.substring(6, 8));
    }
}
