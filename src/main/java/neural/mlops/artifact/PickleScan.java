package neural.mlops.artifact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one pickle stream imports and declares: its protocol, every global in the order met, the
 * verdict of those globals, the offending ones, the named tensors and the storages a PyTorch
 * pickle refers to (key to dtype and element count), and a note when part was left unscanned.
 */
record PickleScan(int protocol, List<String> globals, Verdict verdict, List<String> offending,
        List<Tensor> tensors, Map<String, Storage> storages, String note) {

    /** A storage a {@code torch.save} pickle refers to by key: the file {@code data/<key>} of the zip. */
    record Storage(String dtype, int itemBytes, long elements) {
    }

    /**
     * Judges the globals: any denied one (or a {@code STACK_GLOBAL} on a computed name) makes the
     * stream unsafe and only those are offending; otherwise any global off the allow list, or a
     * part left unscanned, makes it unknown.
     */
    static PickleScan of(int protocol, Set<String> globals, Set<String> computed, List<Tensor> tensors,
            Map<String, Storage> storages, String note) {
        List<String> unsafe = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String global : globals) {
            int dot = global.lastIndexOf('.');
            switch (Globals.judge(global.substring(0, Math.max(dot, 0)), global.substring(dot + 1))) {
                case UNSAFE -> unsafe.add(global);
                case UNKNOWN -> unknown.add(global);
                case SAFE -> { }
            }
        }
        unsafe.addAll(computed);
        Verdict verdict = !unsafe.isEmpty() ? Verdict.UNSAFE
                : !unknown.isEmpty() || note != null ? Verdict.UNKNOWN : Verdict.SAFE;
        return new PickleScan(protocol, List.copyOf(globals), verdict, unsafe.isEmpty() ? unknown : unsafe,
                List.copyOf(tensors), new LinkedHashMap<>(storages), note);
    }
}
