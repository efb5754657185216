#!/usr/bin/python3
"""Writes the torch.save tar form (PyTorch before 0.4 wrote a tar with the entries sys_info,
pickle, storages and tensors, which torch.serialization.legacy_load still reads) to its
published layout, opcode by opcode, since no torch that runs today writes it. Nothing here is
ever unpickled. Prints each file's parameter count (append the lines to parameters.txt).

Run from the repository root: /usr/bin/python3 scripts/make-torch-tar-fixtures.py
"""
import io
import pickle as P
import struct
import tarfile

OUT = "src/test/resources/artifacts/"


def unicode(text):
    data = text.encode()
    return P.BINUNICODE + struct.pack("<I", len(data)) + data


def storage_args(key, storage_class):
    """(key, location, storage_type): what legacy_load unpickles before each storage's raw bytes."""
    return (P.PROTO + b"\x02" + P.MARK + unicode(key) + unicode("cpu")
            + P.GLOBAL + b"torch\n" + storage_class + b"\n" + P.TUPLE + P.STOP)


def tensor_args(key, storage_key):
    return (P.PROTO + b"\x02" + P.MARK + unicode(key) + unicode(storage_key)
            + P.GLOBAL + b"torch\nFloatTensor\n" + P.TUPLE + P.STOP)


def storage(key, values):
    return storage_args(key, b"FloatStorage") + struct.pack("<q", len(values)) + struct.pack(f"<{len(values)}f", *values)


def tensor(key, storage_key, shape):
    stride = [1] * len(shape)
    for i in range(len(shape) - 2, -1, -1):
        stride[i] = stride[i + 1] * shape[i + 1]
    return (tensor_args(key, storage_key) + struct.pack("<i", len(shape)) + b"\0\0\0\0"
            + struct.pack(f"<{len(shape)}q", *shape) + struct.pack(f"<{len(shape)}q", *stride) + struct.pack("<q", 0))


def state_dict(prefix=b""):
    """An OrderedDict of 'weight' and 'bias', each the tensor with that persistent id."""
    return (P.PROTO + b"\x02" + prefix + P.GLOBAL + b"collections\nOrderedDict\n" + P.EMPTY_TUPLE + P.REDUCE
            + P.MARK + unicode("weight") + unicode("t0") + P.BINPERSID + unicode("bias") + unicode("t1")
            + P.BINPERSID + P.SETITEMS + P.STOP)


def write(name, pickle_entry):
    sys_info = P.dumps({"protocol_version": 1000, "little_endian": True,
                        "type_sizes": {"short": 2, "int": 4, "long": 8}}, protocol=2)
    storages = P.dumps(2, protocol=2) + storage("s0", [0.5] * 6) + storage("s1", [0.0, 1.0])
    tensors = P.dumps(2, protocol=2) + tensor("t0", "s0", [2, 3]) + tensor("t1", "s1", [2])
    with tarfile.open(OUT + name, "w", format=tarfile.PAX_FORMAT) as tar:
        for entry, content in (("sys_info", sys_info), ("pickle", pickle_entry),
                               ("storages", storages), ("tensors", tensors)):
            info = tarfile.TarInfo(entry)
            info.size = len(content)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(content))
    print(f"{name} 8")


write("tiny_linear_tar.pt", state_dict())
# The same, with a posix.system call whose result is popped ahead of the state dict.
write("evil_tar.pt", state_dict(P.GLOBAL + b"posix\nsystem\n" + unicode("id") + P.TUPLE1 + P.REDUCE + P.POP))
