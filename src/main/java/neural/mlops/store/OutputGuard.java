package neural.mlops.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a file that a user names for output (an audit export, a copy of a compliance report) may
 * be written: anywhere but inside the workspace's stores. Written over {@code head.json} such a
 * file broke the chain, over a metadata document it made a version vanish; so a path inside a
 * store is refused, with links followed (a link outside that leads inside is refused too), and an
 * existing file is replaced only when the caller says the user agreed to it.
 *
 * <pre>{@code
 * OutputGuard guard = OutputGuard.outside(List.of(ws.resolve("models"), ws.resolve("audit_logs")));
 * Path target = guard.check(Path.of("export.json"), false);  // throws when inside or existing
 * }</pre>
 */
public final class OutputGuard {

    private static final int MAX_LINKS = 40;

    private final List<Path> stores;

    private OutputGuard(List<Path> stores) {
        this.stores = stores.stream().map(store -> store.toAbsolutePath().normalize()).toList();
    }

    /** A guard that keeps output out of {@code stores} (folders, or single files such as workspace.yaml). */
    public static OutputGuard outside(List<Path> stores) {
        return new OutputGuard(List.copyOf(stores));
    }

    /** The stores (absolute) that output is kept out of. */
    public List<Path> stores() {
        return stores;
    }

    /**
     * The absolute path to write {@code output} to, once it is known to be outside every store and
     * not a folder, and, unless {@code replace}, not to exist yet. Throws
     * {@link InvalidInputException} for a path inside a store or a folder, and
     * {@link ConflictException} for an existing file that may not be replaced. Nothing is created.
     */
    public Path check(Path output, boolean replace) {
        Path target = output.toAbsolutePath().normalize();
        Path resolved = resolve(target, 0);
        for (Path store : stores) {
            if (target.startsWith(store) || resolved.startsWith(store) || resolved.startsWith(resolve(store, 0))) {
                throw new InvalidInputException("Refusing to write " + target + ": it is inside the store " + store
                        + (resolved.equals(target) ? "" : " (through a link, at " + resolved + ")")
                        + "; choose a file outside the workspace's stores");
            }
        }
        if (Files.isDirectory(target)) {
            throw new InvalidInputException("The output " + target + " is a folder; name a file");
        }
        if (!replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ConflictException("The output " + target + " already exists and is left as it is; choose "
                    + "another file, or allow replacing it (--force on the command line)");
        }
        return target;
    }

    /**
     * Where {@code path} leads with every link followed, including a dangling one (the place a
     * write through it would create) and the parts that do not exist yet.
     */
    private static Path resolve(Path path, int links) {
        if (links > MAX_LINKS) {
            throw new InvalidInputException("Too many symbolic links in " + path + "; name a plain path");
        }
        try {
            if (Files.exists(path)) {
                return path.toRealPath();
            }
            if (Files.isSymbolicLink(path)) {
                Path parent = path.getParent();
                Path leadsTo = Files.readSymbolicLink(path);
                return resolve((parent == null ? leadsTo : parent.resolve(leadsTo)).normalize(), links + 1);
            }
        } catch (IOException e) {
            throw StoreIOException.of("resolve", path, e);
        }
        Path parent = path.getParent();
        return parent == null ? path : resolve(parent, links).resolve(path.getFileName());
    }
}
