package neural.mlops.artifact;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The tar form of {@code torch.save} (PyTorch before 0.4, still read by
 * {@code torch.serialization.legacy_load}): entries {@code sys_info} and {@code pickle} (pickles),
 * {@code storages} (a count, then per storage a pickled {@code (key, location, storage_type)} and
 * its raw elements) and {@code tensors} (a count, then per tensor a pickled {@code (key,
 * storage_key, tensor_type)} and its shape, strides and offset). Every pickle in every entry is
 * scanned, since loading unpickles each of them; the raw data in between is skipped by the sizes
 * the entries state, never read into memory.
 */
final class TorchTarReader {

    private static final int BLOCK = 512;
    /** More entries than the four torch writes (plus pax headers) means this is not torch's tar. */
    private static final int MAX_ENTRIES = 64;
    private static final int MAX_DIMENSIONS = 64;
    private static final int MAX_RECORDS = 1_000_000;

    private TorchTarReader() {
    }

    /** True when {@code head} (at least 262 bytes) holds a POSIX or GNU tar header. */
    static boolean isTar(byte[] head) {
        return head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }

    static Inspection read(ByteInput in) throws Unreadable {
        Summary summary = new Summary("pytorch-tar");
        List<String> entries = new ArrayList<>();
        long parameters = 0;
        for (int count = 0; ; count++) {
            if (count > MAX_ENTRIES) {
                throw new Unreadable("the archive holds more than " + MAX_ENTRIES + " entries; torch writes four");
            }
            if (in.remaining() < BLOCK) {
                break; // a tar ends with zero blocks; one cut short after its last entry is still read
            }
            byte[] header = in.bytes(BLOCK, BLOCK, "a tar header");
            if (allZero(header)) {
                break;
            }
            String name = text(header, 0, 100);
            long length = octal(header, 124, 12, name);
            long padded = Math.addExact(length, (BLOCK - length % BLOCK) % BLOCK);
            char type = (char) header[156];
            if (type != '0' && type != 0) {
                in.skip(padded, "the tar entry " + name); // pax headers, folders, links: nothing torch loads
                continue;
            }
            entries.add(name);
            ByteInput entry = in.part(length, "the tar entry " + name);
            switch (name) {
                case "sys_info", "pickle" -> summary.add(PickleScanner.scan(entry));
                case "storages" -> parameters += storages(entry, summary);
                case "tensors" -> tensors(entry, summary);
                default -> { } // not read by torch; its content is skipped
            }
            entry.skip(entry.remaining(), "the tar entry " + name);
            in.skip(padded - length, "the padding of the tar entry " + name);
        }
        if (!entries.contains("pickle")) {
            throw new Unreadable("the tar archive has no 'pickle' entry, so it is not a torch.save file");
        }
        summary.details.putPOJO("entries", entries);
        summary.parameters = OptionalLong.of(parameters);
        return summary.finish("PyTorch tar file (before 0.4), " + summary.tensors.size() + " tensors, "
                + Summary.count(parameters));
    }

    /** The storages entry: a count, then per storage its pickled arguments, its element count and its elements. */
    private static long storages(ByteInput in, Summary summary) throws Unreadable {
        summary.add(PickleScanner.scan(in)); // the count
        long elements = 0;
        for (int i = 0; !in.atEnd(); i++) {
            if (i >= MAX_RECORDS) {
                throw new Unreadable("the storages entry holds more than " + MAX_RECORDS + " storages");
            }
            PickleScan args = PickleScanner.scan(in);
            summary.add(args);
            String storageClass = storageClass(args, "Storage");
            long count = in.le64("the element count of storage " + i);
            PickleScan.Storage storage = TorchTypes.storage(storageClass, count);
            if (storage.itemBytes() < 0) {
                throw new Unreadable("storage " + i + " is of the unknown type torch." + storageClass);
            }
            in.skip(Math.multiplyExact(count, storage.itemBytes()), "the elements of storage " + i);
            elements = Math.addExact(elements, count);
        }
        return elements;
    }

    /** The tensors entry: a count, then per tensor its pickled arguments, dimensions, sizes, strides and offset. */
    private static void tensors(ByteInput in, Summary summary) throws Unreadable {
        summary.add(PickleScanner.scan(in)); // the count
        for (int i = 0; !in.atEnd(); i++) {
            if (i >= MAX_RECORDS) {
                throw new Unreadable("the tensors entry holds more than " + MAX_RECORDS + " tensors");
            }
            PickleScan args = PickleScanner.scan(in);
            summary.add(args);
            long dimensions = in.le32();
            in.skip(4, "the padding of tensor " + i);
            if (dimensions > MAX_DIMENSIONS) {
                throw new Unreadable("tensor " + i + " declares " + dimensions + " dimensions");
            }
            List<Long> shape = new ArrayList<>();
            for (int d = 0; d < dimensions; d++) {
                shape.add(in.le64("a size of tensor " + i));
            }
            in.skip(8 * dimensions + 8, "the strides and offset of tensor " + i);
            String storageClass = storageClass(args, "Tensor").replace("Tensor", "Storage");
            PickleScan.Storage type = TorchTypes.storage(storageClass, 0);
            Tensor tensor = new Tensor("tensor " + i, type.dtype(), shape, 0);
            long bytes = type.itemBytes() < 0 ? 0 : Math.multiplyExact(tensor.elements(), type.itemBytes());
            summary.tensors.add(new Tensor(tensor.name(), tensor.dtype(), shape, bytes));
        }
    }

    /** The class a record's pickle names in module {@code torch} and ending in {@code suffix}. */
    private static String storageClass(PickleScan args, String suffix) throws Unreadable {
        return args.globals().stream().filter(g -> g.startsWith("torch.") && g.endsWith(suffix))
                .map(g -> g.substring("torch.".length())).findFirst()
                .orElseThrow(() -> new Unreadable("a record of the archive names no torch " + suffix.toLowerCase()
                        + " type"));
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] header, int from, int length) {
        int end = from;
        while (end < from + length && header[end] != 0) {
            end++;
        }
        return new String(header, from, end - from, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int from, int length, String entry) throws Unreadable {
        String digits = text(header, from, length).strip();
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '7') || digits.length() > 11) {
            throw new Unreadable("the tar entry " + entry + " states no valid size");
        }
        return Long.parseLong(digits, 8);
    }
}
