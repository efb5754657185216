package neural.mlops.artifact;

import java.util.List;
import java.util.Set;

/**
 * The one judgement of a pickle import ({@code module.name}): on the allow list of globals that
 * ML files need and that only rebuild data, on the deny list of modules and functions that run
 * commands, code, imports or network access, or neither. docs/artifacts.md explains each entry.
 */
final class Globals {

    enum Kind { SAFE, UNKNOWN, UNSAFE }

    /** Exact globals that only rebuild tensors, arrays and containers. */
    private static final Set<String> ALLOWED = Set.of(
            "collections.OrderedDict",
            "torch._utils._rebuild_tensor",
            "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state",
            "torch._utils._rebuild_qtensor",
            "torch._utils._rebuild_sparse_tensor",
            "torch._utils._rebuild_meta_tensor_no_storage",
            "torch._utils._rebuild_device_tensor_from_numpy",
            "torch.Size",
            "torch.device",
            "numpy.core.multiarray._reconstruct",
            "numpy._core.multiarray._reconstruct",
            "numpy.core.multiarray.scalar",
            "numpy._core.multiarray.scalar",
            "numpy.ndarray",
            "numpy.dtype",
            "_codecs.encode",
            "builtins.set",
            "builtins.frozenset",
            "builtins.bytearray",
            "builtins.slice",
            "builtins.complex",
            "__builtin__.set",
            "__builtin__.frozenset",
            "joblib.numpy_pickle.NumpyArrayWrapper");

    /**
     * Storage classes, the typed tensor classes the tar form of torch.save names (before 0.4) and
     * dtypes of torch, named {@code torch.FloatStorage}, {@code torch.FloatTensor}, {@code torch.float32}...
     */
    private static final Set<String> TORCH_TYPES = Set.of(
            "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor",
            "ByteTensor",
            "FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage", "LongStorage", "IntStorage",
            "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage", "ComplexFloatStorage",
            "ComplexDoubleStorage", "QInt8Storage", "QUInt8Storage", "QInt32Storage", "UntypedStorage",
            "float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
            "complex64", "complex128", "qint8", "quint8", "qint32", "strided", "sparse_coo",
            "contiguous_format", "channels_last", "preserve_format");

    /** Modules whose every function can run a command, code, an import or a connection. */
    private static final List<String> DENIED_MODULES = List.of(
            "os", "posix", "nt", "subprocess", "socket", "runpy", "sys", "shutil", "pty", "ctypes", "importlib",
            "code", "codeop", "pickle", "_pickle", "marshal", "dill", "cloudpickle", "webbrowser", "httplib",
            "http", "urllib", "urllib2", "requests", "aiohttp", "asyncio", "multiprocessing", "platform", "pdb",
            "bdb", "timeit", "cProfile", "profile", "trace", "pydoc", "commands", "types", "torch.hub",
            "torch.jit", "numpy.testing", "_io", "io", "tempfile", "glob", "ftplib", "smtplib", "telnetlib",
            "signal", "threading", "_thread", "zipimport", "site");

    /** Built-ins that evaluate, import, open or reach any attribute (and so anything). */
    private static final Set<String> DENIED_BUILTINS = Set.of(
            "eval", "exec", "execfile", "compile", "open", "__import__", "getattr", "setattr", "delattr",
            "globals", "locals", "vars", "input", "breakpoint", "apply", "file", "reload", "help", "memoryview");

    private static final Set<String> DENIED_EXACT = Set.of(
            "operator.attrgetter", "operator.methodcaller", "_operator.attrgetter", "_operator.methodcaller",
            "functools.partial", "functools.reduce", "torch.load", "torch.storage._load_from_bytes",
            "numpy.load", "numpy.fromfile", "numpy.save", "numpy.lib.npyio.load");

    private Globals() {
    }

    static Kind judge(String module, String name) {
        String global = module + "." + name;
        if (DENIED_EXACT.contains(global)) {
            return Kind.UNSAFE;
        }
        if ((module.equals("builtins") || module.equals("__builtin__") || module.equals("__builtins__"))
                && DENIED_BUILTINS.contains(name)) {
            return Kind.UNSAFE;
        }
        for (String denied : DENIED_MODULES) {
            if (module.equals(denied) || module.startsWith(denied + ".")) {
                return Kind.UNSAFE;
            }
        }
        if (ALLOWED.contains(global) || module.equals("torch") && TORCH_TYPES.contains(name)) {
            return Kind.SAFE;
        }
        return Kind.UNKNOWN;
    }
}
