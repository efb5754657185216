package neural.mlops.store.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StoreLockedException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A workspace in an S3-compatible bucket (SPEC 9). Conditions are the server's own: a create is a
 * PutObject with {@code If-None-Match: *}, a replace one with {@code If-Match: <etag>}, a delete a
 * DeleteObject with {@code If-Match}; the server answers 412 (or 409 when two conditional writes
 * race), which becomes {@link ConditionFailedException}. Large objects go up as a multipart upload
 * whose completion carries the condition; a cancelled or failed upload is aborted, so no parts
 * are left to pay for. While its parts go up, an upload holds a {@link Lease} named after its id
 * under {@code .neural-mlops/uploads/}, so that another process can tell the upload of a writer
 * that was killed (its lease expires) from one still under way, and abort the first only. Every
 * write is followed by a write of the change marker.
 *
 * <p>The client comes from {@link #open}, with credentials and region from the SDK's default
 * chains (nothing of them is stored or shown here), or from the caller (tests).
 */
public final class S3Storage implements Storage {

    /** S3's smallest part (except the last); uploads up to this size are one PutObject. */
    public static final int MIN_PART_BYTES = 5 * 1024 * 1024;
    static final int DEFAULT_PART_BYTES = 8 * 1024 * 1024;

    /**
     * The JVM system property that sets how long this process's leases (critical sections and
     * uploads) last without a renewal, in whole seconds from 3 to 3600; 30 when unset. Read by
     * {@link #open} only. A longer one suits a network where requests stall; a writer killed while
     * holding a lease delays others by about this long plus 10 s.
     */
    public static final String LEASE_SECONDS = "neural.mlops.s3.leaseSeconds";
    private static final long MAX_LEASE_SECONDS = 3600;
    /** The largest lease document read back; this product's are one short line. */
    private static final long LEASE_MAX_BYTES = 1024;

    private static final Key MARKER = Key.internal("change-marker");
    private static final Key PROBED = Key.internal("conditional-writes-verified");
    private static final java.time.Duration PROBE_VALID_FOR = java.time.Duration.ofDays(1);

    /** Workspaces whose server passed the probe in this process. */
    private static final java.util.Set<String> VERIFIED = ConcurrentHashMap.newKeySet();

    /** The critical sections of this process, by bucket and lock key. */
    private static final Map<String, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    /** Renews the leases of running sections; one daemon thread for the JVM. */
    private static final ScheduledExecutorService RENEWER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "s3-lease-renewal");
        thread.setDaemon(true);
        return thread;
    });

    /** Set while a critical section runs on this thread: TRUE once it wrote, so the marker moves once at its end. */
    private final ThreadLocal<Boolean> markerDeferred = new ThreadLocal<>();

    /** The lease's objects, written without moving the change marker (a lease is not a change). */
    private final Lease.Objects leaseObjects = new Lease.Objects() {
        @Override
        public Version create(Key key, byte[] content) {
            return put(key, content, Condition.absent());
        }

        @Override
        public Version replace(Key key, byte[] content, Version expected) {
            return put(key, content, Condition.matches(expected));
        }

        @Override
        public Optional<Document> read(Key key, long maxBytes) {
            return S3Storage.this.read(key, maxBytes);
        }

        @Override
        public void delete(Key key, Version expected) {
            try {
                client.deleteObject(delete -> delete.bucket(location.bucket()).key(location.objectKey(key))
                        .ifMatch(expected.token()));
            } catch (S3Exception e) {
                throw conditionOrFailure("delete", key, Condition.matches(expected), e);
            } catch (SdkException e) {
                throw failure("delete", key, e);
            }
        }
    };

    private final S3Client client;
    private final S3Location location;
    private final int partBytes;
    private final Duration leaseTtl;
    private final RequestCounter counter;

    /** A storage on {@code location} through {@code client}, which it owns and closes; leases last 30 s. */
    public S3Storage(S3Client client, S3Location location) {
        this(client, location, DEFAULT_PART_BYTES, Lease.DEFAULT_TTL, new RequestCounter());
    }

    /**
     * A storage whose leases (critical sections, uploads) last {@code leaseTtl} without a renewal
     * (at least 3 s): the time by which a killed writer delays the others, less 10 s for clock skew.
     */
    public S3Storage(S3Client client, S3Location location, Duration leaseTtl) {
        this(client, location, DEFAULT_PART_BYTES, leaseTtl, new RequestCounter());
    }

    S3Storage(S3Client client, S3Location location, int partBytes) {
        this(client, location, partBytes, Lease.DEFAULT_TTL, new RequestCounter());
    }

    S3Storage(S3Client client, S3Location location, int partBytes, Duration leaseTtl) {
        this(client, location, partBytes, leaseTtl, new RequestCounter());
    }

    /** {@code counter} is the interceptor of {@code client}'s configuration, or a fresh one that counts nothing. */
    private S3Storage(S3Client client, S3Location location, int partBytes, Duration leaseTtl, RequestCounter counter) {
        if (partBytes < MIN_PART_BYTES) {
            throw new IllegalArgumentException("A part is at least " + MIN_PART_BYTES + " bytes, not " + partBytes);
        }
        if (leaseTtl.compareTo(Lease.MIN_TTL) < 0) {
            throw new IllegalArgumentException("A lease lasts at least " + Lease.MIN_TTL.toSeconds() + " s, not "
                    + leaseTtl);
        }
        this.client = client;
        this.location = location;
        this.partBytes = partBytes;
        this.leaseTtl = leaseTtl;
        this.counter = counter;
    }

    /**
     * Opens {@code location} with a client configured from {@code settings} and the SDK's default
     * credential and region chains. Checksums are computed only where the API requires them, which
     * every S3-compatible server accepts (newer SDK defaults break some of them). Leases last as
     * long as the system property {@value #LEASE_SECONDS} says, 30 s when it is unset.
     */
    public static S3Storage open(S3Location location, S3Settings settings) {
        Duration leaseTtl = leaseTtl(System.getProperty(LEASE_SECONDS));
        RequestCounter counter = new RequestCounter();
        S3ClientBuilder builder = S3Client.builder()
                .overrideConfiguration(configuration -> {
                    configuration.addExecutionInterceptor(counter);
                    // The profile's credentials, region and endpoint_url, as AWS_PROFILE would select them.
                    settings.profile().ifPresent(configuration::defaultProfileName);
                })
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(builder::endpointOverride);
        try {
            return new S3Storage(builder.build(), location, DEFAULT_PART_BYTES, leaseTtl, counter);
        } catch (SdkClientException e) {
            String reason = String.valueOf(e.getMessage()).startsWith("Unable to load region")
                    ? "no AWS region is configured; set AWS_REGION, or a region in your AWS profile (AWS_PROFILE)"
                    : e.getMessage();
            throw new InvalidInputException("Cannot open " + location + ": " + reason, e);
        }
    }

    /** The time to live that {@code value} of {@value #LEASE_SECONDS} sets; a bad value is refused, naming the property. */
    static Duration leaseTtl(String value) {
        if (value == null || value.isBlank()) {
            return Lease.DEFAULT_TTL;
        }
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds >= Lease.MIN_TTL.toSeconds() && seconds <= MAX_LEASE_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException notANumber) {
            // Said below, with what is accepted.
        }
        throw new InvalidInputException("The system property " + LEASE_SECONDS + " is "
                + neural.mlops.store.Names.quote(value) + "; set it to a whole number of seconds from "
                + Lease.MIN_TTL.toSeconds() + " to " + MAX_LEASE_SECONDS + ", or leave it unset for "
                + Lease.DEFAULT_TTL.toSeconds());
    }

    /** Where the lease of the multipart upload {@code uploadId} is kept: named after a hash of the id, which S3 leaves opaque. */
    static Key uploadLeaseKey(String uploadId) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(uploadId.getBytes(StandardCharsets.UTF_8));
            return Key.internal("uploads/" + java.util.HexFormat.of().formatHex(hash));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    public S3Location s3Location() {
        return location;
    }

    @Override
    public String location() {
        return location.toString();
    }

    @Override
    public Optional<Document> read(Key key, long maxBytes) {
        Optional<ResponseInputStream<GetObjectResponse>> found = unlessMissing(key, () -> client.getObject(get -> get
                .bucket(location.bucket()).key(location.objectKey(key))));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        try (ResponseInputStream<GetObjectResponse> in = found.get()) {
            GetObjectResponse response = in.response();
            Long length = response.contentLength();
            if (length != null && length > maxBytes) {
                in.abort(); // do not download what will be refused
                throw tooLarge(key, length, maxBytes);
            }
            byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (content.length > maxBytes) {
                in.abort();
                throw tooLarge(key, content.length, maxBytes);
            }
            return Optional.of(new Document(key, content, new Version(response.eTag())));
        } catch (SdkException e) {
            throw failure("read", key, e);
        } catch (IOException e) {
            throw new StoreIOException("Could not read " + where(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredObject> stat(Key key) {
        return head(key).map(response -> new StoredObject(key, response.contentLength(), new Version(response.eTag())));
    }

    @Override
    public Optional<InputStream> openStream(Key key, long offset) {
        Transfers.requireOffset(offset);
        if (offset == 0) {
            return unlessMissing(key, () -> client.getObject(get -> get.bucket(location.bucket())
                    .key(location.objectKey(key))));
        }
        try {
            return unlessMissing(key, () -> client.getObject(get -> get.bucket(location.bucket())
                    .key(location.objectKey(key)).range("bytes=" + offset + "-")));
        } catch (StoreIOException e) {
            if (e.getCause() instanceof S3Exception s3 && s3.statusCode() == RANGE_NOT_SATISFIABLE) {
                return Optional.of(InputStream.nullInputStream()); // from the end or past it: nothing left to read
            }
            throw e;
        }
    }

    /** S3's answer to a range that starts past the object's last byte. */
    private static final int RANGE_NOT_SATISFIABLE = 416;

    @Override
    public Version write(Key key, byte[] content, Condition condition) {
        Version written = put(key, content, condition);
        bumpMarker();
        return written;
    }

    @Override
    public Version upload(Key key, InputStream source, long sizeBytes, Condition condition, TransferListener listener) {
        byte[] first;
        try {
            first = source.readNBytes(partBytes);
        } catch (IOException e) {
            throw new StoreIOException("Could not read the source of " + where(key) + ": " + e.getMessage(), e);
        }
        Version written;
        if (first.length < partBytes) {
            // Small enough for one request: no multipart upload to clean up.
            Transfers.goOn(key, listener, first.length, sizeBytes);
            Transfers.requireExpectedSize(key, first.length, sizeBytes);
            written = put(key, first, condition);
        } else {
            written = multipart(key, first, source, sizeBytes, condition, listener);
        }
        bumpMarker();
        return written;
    }

    @Override
    public boolean delete(Key key, Condition condition) {
        if (condition instanceof Condition.Absent) {
            throw new IllegalArgumentException("A delete cannot require the key to be absent");
        }
        String ifMatch = condition instanceof Condition.Matches matches ? matches.version().token() : null;
        if (ifMatch == null && head(key).isEmpty()) {
            return false; // S3 answers a delete of nothing with success; the caller wants to know
        }
        try {
            client.deleteObject(delete -> delete.bucket(location.bucket()).key(location.objectKey(key)).ifMatch(ifMatch));
        } catch (S3Exception e) {
            throw conditionOrFailure("delete", key, condition, e);
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
        bumpMarker();
        return true;
    }

    @Override
    public Stream<StoredObject> list(String folder) {
        String relative = Key.folder(folder);
        String prefix = location.prefix() + relative;
        // Pages are fetched as the stream is consumed, so a failure surfaces there, not here.
        Iterator<S3Object> pages = client.listObjectsV2Paginator(list -> list.bucket(location.bucket()).prefix(prefix))
                .contents().iterator();
        Iterator<S3Object> objects = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return pages.hasNext();
                } catch (SdkException e) {
                    throw new StoreIOException("Could not list " + location + "/" + relative + ": " + describe(e), e);
                }
            }

            @Override
            public S3Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pages.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(objects, Spliterator.NONNULL), false)
                .map(this::listed)
                .flatMap(Optional::stream);
    }

    @Override
    public Stream<StoredObject> listNamed(String folder, String namePrefix) {
        String relative = Key.folder(folder);
        String prefix = location.prefix() + relative;
        List<StoredObject> named = new ArrayList<>();
        listOneLevel(relative, prefix + namePrefix,
                page -> page.contents().forEach(object -> listed(object).ifPresent(named::add)));
        return named.stream();
    }

    @Override
    public Stream<String> folders(String folder) {
        String relative = Key.folder(folder);
        String prefix = location.prefix() + relative;
        List<String> names = new ArrayList<>();
        listOneLevel(relative, prefix, page -> page.commonPrefixes().forEach(common -> {
            String name = common.prefix().substring(prefix.length(), common.prefix().length() - 1);
            if (Key.isFolderName(relative, name)) {
                names.add(name);
            }
        }));
        return names.stream();
    }

    /**
     * Hands each page of the listing of {@code prefix} to {@code page}, one level deep: the
     * delimiter keeps deeper keys out of the contents and gives the folders as common prefixes.
     */
    private void listOneLevel(String relative, String prefix, Consumer<ListObjectsV2Response> page) {
        try {
            client.listObjectsV2Paginator(list -> list.bucket(location.bucket()).prefix(prefix).delimiter("/"))
                    .forEach(page);
        } catch (SdkException e) {
            throw new StoreIOException("Could not list " + location + "/" + relative + ": " + describe(e), e);
        }
    }

    /**
     * Aborts the multipart uploads under {@code folder} whose writers are gone, with one listing of
     * the unfinished uploads and one read of each one's lease: an upload whose lease has expired
     * (its writer was killed, or lost its connection for longer than the lease), or that has no
     * lease and was initiated before {@code olderThan} ago (an earlier release's, which kept none).
     * An upload whose lease is live is never aborted, however old. An expired lease is broken
     * first, with a delete conditional on the version read, so that of a writer renewing it late
     * and this cleaner exactly one goes on, and two cleaners do not both abort.
     */
    @Override
    public int abortUnfinishedUploads(String folder, Duration olderThan) {
        String prefix = location.prefix() + Key.folder(folder);
        Instant cutoff = Instant.now().minus(olderThan);
        int aborted = 0;
        try {
            for (MultipartUpload upload : client.listMultipartUploadsPaginator(list -> list.bucket(location.bucket())
                    .prefix(prefix)).uploads()) {
                if (isAbandoned(upload, cutoff)) {
                    try {
                        client.abortMultipartUpload(abort -> abort.bucket(location.bucket()).key(upload.key())
                                .uploadId(upload.uploadId()));
                        aborted++;
                    } catch (NoSuchUploadException finished) {
                        // Completed or aborted by its writer since it was listed.
                    }
                }
            }
        } catch (SdkException e) {
            throw new StoreIOException("Could not list the unfinished uploads under " + location + "/"
                    + Key.folder(folder) + ": " + describe(e), e);
        }
        return aborted;
    }

    /** True when {@code upload}'s writer is gone (see {@link #abortUnfinishedUploads}); breaks its expired lease. */
    private boolean isAbandoned(MultipartUpload upload, Instant cutoff) {
        Key leaseKey = uploadLeaseKey(upload.uploadId());
        Optional<Document> lease;
        try {
            lease = read(leaseKey, LEASE_MAX_BYTES);
        } catch (InvalidInputException notOurs) {
            return false; // something large at a lease key: no lease of this product, and not ours to judge
        }
        if (lease.isEmpty()) {
            return upload.initiated() != null && !upload.initiated().isAfter(cutoff);
        }
        if (!Lease.expired(lease.get())) {
            return false;
        }
        try {
            leaseObjects.delete(leaseKey, lease.get().version());
            return true;
        } catch (ConditionFailedException renewedOrBroken) {
            return false; // renewed by its writer after all, or broken by another cleaner, who aborts it
        }
    }

    @Override
    public ChangeMarker changeMarker() {
        return head(MARKER).map(response -> new ChangeMarker(response.eTag())).orElse(ChangeMarker.NEVER_WRITTEN);
    }

    /**
     * One thread of this process at a time (an in-process lock, so that threads do not compete over
     * the network), and one process at a time through a {@link Lease} object beside the store's
     * objects, renewed while the body runs. Writes in the body move the change marker once, at the end.
     */
    @Override
    public <T> T exclusively(Key lock, Duration wait, Supplier<T> body) {
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(location.bucket() + "/" + location.objectKey(lock),
                id -> new ReentrantLock());
        if (inProcess.isHeldByCurrentThread()) {
            return body.get(); // nested section of the same change: the lease is already ours
        }
        String what = location + "/" + lock.value().substring(0, Math.max(0, lock.value().lastIndexOf('/') + 1));
        try {
            if (!inProcess.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StoreLockedException(what + " is being changed by another task of this application; "
                        + "nothing was changed: try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreLockedException("Interrupted while waiting to change " + what + "; nothing was changed");
        }
        try {
            Lease lease = Lease.acquire(leaseObjects, Key.internal("leases/" + lock.value()), leaseTtl, wait, what);
            long every = lease.renewEveryMillis();
            ScheduledFuture<?> renewal = RENEWER.scheduleAtFixedRate(lease::renew, every, every, TimeUnit.MILLISECONDS);
            markerDeferred.set(Boolean.FALSE);
            try {
                return body.get();
            } finally {
                renewal.cancel(false);
                boolean wrote = Boolean.TRUE.equals(markerDeferred.get());
                markerDeferred.remove();
                lease.release();
                if (wrote) {
                    bumpMarker();
                }
            }
        } finally {
            inProcess.unlock();
        }
    }

    /**
     * The probe of {@link ConditionalWriteProbe}, at most once a day per workspace: its result is
     * kept as a small object of the storage's own (one GET on later openings instead of five
     * requests), and once per process. Its writes do not move the change marker (a probe is not a
     * change that desktops should reload for).
     */
    @Override
    public void requireConditionalWrites() {
        String id = location.bucket() + "/" + location.prefix();
        if (VERIFIED.contains(id)) {
            return;
        }
        Optional<Document> verified = read(PROBED, 200);
        boolean recent = verified.map(document -> {
            try {
                Instant at = Instant.parse(new String(document.content(), StandardCharsets.UTF_8).strip());
                return at.isAfter(Instant.now().minus(PROBE_VALID_FOR));
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }).orElse(false);
        if (!recent) {
            markerDeferred.set(Boolean.FALSE);
            try {
                ConditionalWriteProbe.check(this);
                put(PROBED, Instant.now().toString().getBytes(StandardCharsets.UTF_8), Condition.none());
            } finally {
                markerDeferred.remove();
            }
        }
        VERIFIED.add(id);
    }

    @Override
    public Optional<Path> localFile(Key key) {
        return Optional.empty();
    }

    /** An ETag is the content's digest (or, with SSE-KMS, new on every write): never the same for two contents. */
    @Override
    public boolean versionsIdentifyContent() {
        return true;
    }

    @Override
    public Traffic traffic() {
        return counter.snapshot();
    }

    @Override
    public void close() {
        client.close();
    }

    private Optional<StoredObject> listed(S3Object object) {
        String relative = object.key().substring(location.prefix().length());
        if (relative.equals(Key.RESERVED) || relative.startsWith(Key.RESERVED + "/")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StoredObject(Key.of(relative), object.size(), new Version(object.eTag())));
        } catch (InvalidInputException notAKey) {
            return Optional.empty(); // a "folder/" marker made by a console, or a key no store wrote
        }
    }

    private Optional<HeadObjectResponse> head(Key key) {
        return unlessMissing(key, () -> client.headObject(head -> head.bucket(location.bucket())
                .key(location.objectKey(key))));
    }

    /** What {@code request} returns, or empty when the key does not exist (a 404); other errors name the key. */
    private <T> Optional<T> unlessMissing(Key key, java.util.function.Supplier<T> request) {
        try {
            return Optional.of(request.get());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("read", key, e);
        } catch (SdkException e) {
            throw failure("read", key, e);
        }
    }

    private Version put(Key key, byte[] content, Condition condition) {
        try {
            String etag = client.putObject(put -> put.bucket(location.bucket()).key(location.objectKey(key))
                            .ifNoneMatch(condition instanceof Condition.Absent ? "*" : null)
                            .ifMatch(condition instanceof Condition.Matches matches ? matches.version().token() : null),
                    RequestBody.fromBytes(content)).eTag();
            return new Version(etag);
        } catch (S3Exception e) {
            throw conditionOrFailure("write", key, condition, e);
        } catch (AbortedException e) {
            throw new TransferCancelledException("The write of " + where(key) + " was interrupted; nothing was stored");
        } catch (SdkException e) {
            throw failure("write", key, e);
        }
    }

    /**
     * Uploads the parts, then completes under the condition; anything but success aborts the
     * upload. The upload's lease is taken before the first part and renewed while the parts go up;
     * it goes after the upload is completed or aborted.
     */
    private Version multipart(Key key, byte[] first, InputStream source, long sizeBytes, Condition condition,
                              TransferListener listener) {
        String objectKey = location.objectKey(key);
        upload:
        for (int attempt = 1; ; attempt++) {
            String uploadId;
            try {
                uploadId = client.createMultipartUpload(create -> create.bucket(location.bucket()).key(objectKey))
                        .uploadId();
            } catch (SdkException e) {
                throw failure("upload to", key, e);
            }
            Lease lease;
            try {
                lease = Lease.start(leaseObjects, uploadLeaseKey(uploadId), leaseTtl);
            } catch (RuntimeException e) {
                abort(objectKey, uploadId);
                throw e;
            }
            ScheduledFuture<?> renewal = RENEWER.scheduleAtFixedRate(lease::renew, lease.renewEveryMillis(),
                    lease.renewEveryMillis(), TimeUnit.MILLISECONDS);
            boolean completed = false;
            try {
                List<CompletedPart> parts = new ArrayList<>();
                byte[] chunk = first;
                long done = 0;
                while (chunk.length > 0) {
                    requireLease(lease, key);
                    int number = parts.size() + 1;
                    RequestBody body = RequestBody.fromBytes(chunk);
                    String etag;
                    try {
                        etag = client.uploadPart(part -> part.bucket(location.bucket()).key(objectKey)
                                .uploadId(uploadId).partNumber(number), body).eTag();
                    } catch (NoSuchUploadException aborted) {
                        if (number == 1 && attempt == 1) {
                            // Another process listed it in the moment before its lease existed and took it
                            // for an earlier release's: start again, the first part is still in memory.
                            continue upload;
                        }
                        throw takenForAbandoned(key, aborted);
                    }
                    parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                    done += chunk.length;
                    Transfers.goOn(key, listener, done, sizeBytes);
                    chunk = source.readNBytes(partBytes);
                }
                Transfers.requireExpectedSize(key, done, sizeBytes);
                requireLease(lease, key);
                String etag = client.completeMultipartUpload(complete -> complete.bucket(location.bucket())
                        .key(objectKey)
                        .uploadId(uploadId)
                        .multipartUpload(upload -> upload.parts(parts))
                        .ifNoneMatch(condition instanceof Condition.Absent ? "*" : null)
                        .ifMatch(condition instanceof Condition.Matches matches ? matches.version().token() : null))
                        .eTag();
                completed = true;
                return new Version(etag);
            } catch (NoSuchUploadException e) {
                throw takenForAbandoned(key, e);
            } catch (S3Exception e) {
                throw conditionOrFailure("upload to", key, condition, e);
            } catch (AbortedException e) {
                throw new TransferCancelledException("The upload to " + where(key) + " was interrupted; nothing was stored");
            } catch (SdkException e) {
                throw failure("upload to", key, e);
            } catch (IOException e) {
                throw new StoreIOException("Could not read the source of " + where(key) + ": " + e.getMessage(), e);
            } finally {
                renewal.cancel(false);
                if (!completed) {
                    abort(objectKey, uploadId);
                }
                release(lease);
            }
        }
    }

    /** Stops an upload whose lease was broken: another process took it for abandoned and aborts it. */
    private void requireLease(Lease lease, Key key) {
        if (!lease.isHeld()) {
            throw takenForAbandoned(key, null);
        }
    }

    private StoreIOException takenForAbandoned(Key key, SdkException cause) {
        return new StoreIOException("The upload to " + where(key) + " could not renew its lease for longer than "
                + leaseTtl.toSeconds() + " s (a stalled connection), so another writer took it for abandoned and "
                + "aborted it; nothing was stored: try again", cause);
    }

    /** Gives an upload's lease up after its upload; one left by a failed delete is a few bytes that nobody reads again. */
    private static void release(Lease lease) {
        try {
            lease.release();
        } catch (StoreIOException | TransferCancelledException unreachable) {
            // The upload is completed or aborted either way; its expired lease misleads nobody.
        }
    }

    /** Best effort: a part left by a failed abort is removed by the next abort of orphans (registry gc). */
    private void abort(String objectKey, String uploadId) {
        boolean interrupted = Thread.interrupted(); // an interrupted thread cannot send the abort
        try {
            client.abortMultipartUpload(abort -> abort.bucket(location.bucket()).key(objectKey).uploadId(uploadId));
        } catch (SdkException e) {
            // Nothing more can be done here; the upload is not visible as an object either way.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void bumpMarker() {
        if (markerDeferred.get() != null) {
            markerDeferred.set(Boolean.TRUE); // once, when the critical section ends
            return;
        }
        // Last writer wins and any new content makes a new ETag: no condition needed.
        put(MARKER, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8), Condition.none());
    }

    private RuntimeException conditionOrFailure(String verb, Key key, Condition condition, S3Exception e) {
        int status = e.statusCode();
        if (status == 412 || status == 409) {
            // 409 ConditionalRequestConflict: another conditional write to the key was in flight; read again.
            return new ConditionFailedException(key, condition instanceof Condition.Absent
                    ? key + " already exists"
                    : key + " was changed by another writer since it was read; read it again");
        }
        if (status == 304 && condition instanceof Condition.Absent) {
            // Some servers (S3Mock) answer If-None-Match on CompleteMultipartUpload as a GET would: the key exists.
            return new ConditionFailedException(key, key + " already exists");
        }
        if (status == 404 && condition instanceof Condition.Matches) {
            return new ConditionFailedException(key, key + " was removed since it was read; read it again");
        }
        return failure(verb, key, e);
    }


    private StoreIOException failure(String verb, Key key, SdkException e) {
        return new StoreIOException("Could not " + verb + " " + where(key) + ": " + describe(e), e);
    }

    /** The server's own words and status, which never contain the credentials. */
    private static String describe(SdkException e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
            String code = s3.awsErrorDetails().errorCode();
            String message = s3.awsErrorDetails().errorMessage();
            return (message == null ? "the server refused the request" : message)
                    + " (HTTP " + s3.statusCode() + (code == null ? "" : ", " + code) + ")";
        }
        if (e instanceof SdkClientException && String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
            // The SDK lists every source it tried, at length; the user needs to know what to set.
            return "no AWS credentials were found; set AWS_PROFILE (after aws sso login for SSO), or "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role provides them";
        }
        return e.getMessage();
    }

    private static InvalidInputException tooLarge(Key key, long size, long maxBytes) {
        return new InvalidInputException(key + " is " + size + " bytes; at most " + maxBytes + " are read");
    }

    private String where(Key key) {
        return location + "/" + key;
    }
}
