#!/usr/bin/python3
"""Writes the model files the artifact readers are tested on, into src/test/resources/artifacts/.

Real files made by the real libraries (Debian's python3-torch 1.13, python3-onnx 1.12, python3-sklearn,
python3-h5py: `apt-get install -y python3-torch python3-onnx python3-sklearn python3-h5py`), safetensors and
GGUF files written to their published byte layouts, and malicious pickles built opcode by opcode. Prints
each file's parameter count as the library counts it; that output is committed as parameters.txt and the
Java tests check the readers against it. Nothing here is ever loaded by the tests.

Run: /usr/bin/python3 scripts/make-artifact-fixtures.py > src/test/resources/artifacts/parameters.txt
"""
import collections
import io
import json
import os
import pickle
import struct
import zipfile

import h5py
import joblib
import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "artifacts")
os.makedirs(OUT, exist_ok=True)


def path(name):
    return os.path.join(OUT, name)


def report(name, parameters):
    print(f"{name} {parameters}")


torch.manual_seed(7)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
state = model.state_dict()
mlp_parameters = sum(t.numel() for t in state.values())

# PyTorch: the zip form (default since 1.6) and the legacy form.
torch.save(state, path("tiny_mlp.pt"))
report("tiny_mlp.pt", mlp_parameters)
torch.save(state, path("tiny_mlp_legacy.pt"), _use_new_zipfile_serialization=False)
report("tiny_mlp_legacy.pt", mlp_parameters)

# ONNX, exported by torch: a batch dimension named "batch".
torch.onnx.export(model, torch.zeros(1, 4), path("tiny_mlp.onnx"), input_names=["features"],
                  output_names=["logits"], dynamic_axes={"features": {0: "batch"}, "logits": {0: "batch"}},
                  opset_version=13)
import onnx  # noqa: E402  (imported after torch's exporter, which brings its own)
onnx_model = onnx.load(path("tiny_mlp.onnx"))
report("tiny_mlp.onnx", sum(int(np.prod(i.dims)) for i in onnx_model.graph.initializer))

# safetensors, by its published layout: u64 header length, JSON header, raw little-endian data.
header, blobs, offset = {"__metadata__": {"format": "pt", "source": "make-artifact-fixtures"}}, [], 0
for name, tensor in state.items():
    data = tensor.numpy().astype("<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
steps = np.arange(5, dtype="<i8")
header["steps"] = {"dtype": "I64", "shape": [5], "data_offsets": [offset, offset + 40]}
blobs.append(steps.tobytes())
encoded = json.dumps(header).encode()
encoded += b" " * (-len(encoded) % 8)
with open(path("tiny.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))
report("tiny.safetensors", mlp_parameters + 5)


# GGUF v3, by its published layout.
def gguf_string(text):
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


gguf_tensors = [("token_embd.weight", 0, (16, 8)), ("output.weight", 1, (8, 16)), ("output_norm.weight", 0, (8,))]
kv = [
    gguf_string("general.architecture") + struct.pack("<I", 8) + gguf_string("llama"),
    gguf_string("general.name") + struct.pack("<I", 8) + gguf_string("tiny fixture"),
    gguf_string("llama.context_length") + struct.pack("<I", 4) + struct.pack("<I", 128),
    gguf_string("tokenizer.ggml.tokens") + struct.pack("<I", 9) + struct.pack("<IQ", 8, 3)
    + gguf_string("<s>") + gguf_string("</s>") + gguf_string("hi"),
]
infos, data, offset = b"", b"", 0
for name, ggml_type, dims in gguf_tensors:
    count = int(np.prod(dims))
    blob = np.zeros(count, dtype="<f4" if ggml_type == 0 else "<f2").tobytes()
    infos += gguf_string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
    infos += struct.pack("<IQ", ggml_type, offset)
    blob += b"\0" * (-len(blob) % 32)
    data += blob
    offset += len(blob)
head = b"GGUF" + struct.pack("<IQQ", 3, len(gguf_tensors), len(kv)) + b"".join(kv) + infos
head += b"\0" * (-len(head) % 32)
with open(path("tiny.gguf"), "wb") as f:
    f.write(head + data)
report("tiny.gguf", sum(int(np.prod(d)) for _, _, d in gguf_tensors))

# Keras 3 .keras: config.json, metadata.json and the weights in HDF5 (written with h5py; Keras is not in Debian).
keras_config = {"module": "keras", "class_name": "Sequential", "config": {"name": "tiny", "layers": [
    {"module": "keras.layers", "class_name": "InputLayer", "config": {"name": "features", "batch_shape": [None, 4]}},
    {"module": "keras.layers", "class_name": "Dense", "config": {"name": "hidden", "units": 8, "use_bias": True,
                                                                  "activation": "relu"},
     "build_config": {"input_shape": [None, 4]}},
    {"module": "keras.layers", "class_name": "Dense", "config": {"name": "logits", "units": 3, "use_bias": True},
     "build_config": {"input_shape": [None, 8]}}]}}
weights = io.BytesIO()
with h5py.File(weights, "w") as h5:
    for layer, (n_in, n_out) in (("hidden", (4, 8)), ("logits", (8, 3))):
        group = h5.create_group(f"layers/{layer}/vars")
        group["0"] = np.zeros((n_in, n_out), dtype="f4")
        group["1"] = np.zeros((n_out,), dtype="f4")
with zipfile.ZipFile(path("tiny.keras"), "w") as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.0.0"}))
    z.writestr("config.json", json.dumps(keras_config))
    z.writestr("model.weights.h5", weights.getvalue())
report("tiny.keras", 4 * 8 + 8 + 8 * 3 + 3)

# scikit-learn: joblib and plain pickle; a pickle of numpy arrays in an OrderedDict (only allow-listed globals).
x = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1]])
classifier = LogisticRegression().fit(x, [0, 1, 0, 1])
joblib.dump(classifier, path("logreg.joblib"))
report("logreg.joblib", classifier.coef_.size + classifier.intercept_.size)
with open(path("logreg.pkl"), "wb") as f:
    pickle.dump(classifier, f, protocol=4)
report("logreg.pkl", classifier.coef_.size + classifier.intercept_.size)
arrays = collections.OrderedDict((k, v.numpy()) for k, v in state.items())
with open(path("arrays.pkl"), "wb") as f:
    pickle.dump(arrays, f, protocol=2)
report("arrays.pkl", mlp_parameters)

# Malicious pickles, opcode by opcode (never unpickled here either).
P = pickle


def unicode(text):
    data = text.encode()
    return P.SHORT_BINUNICODE + bytes([len(data)]) + data


# 1. The classic: GLOBAL os.system, REDUCE with a command.
with open(path("evil_os_system.pkl"), "wb") as f:
    f.write(P.PROTO + b"\x02" + P.GLOBAL + b"os\nsystem\n" + P.MARK + P.BINUNICODE
            + struct.pack("<I", 10) + b"echo pwned" + P.TUPLE + P.REDUCE + P.STOP)

# 2. Nested in a torch.save zip: the real archive with data.pkl prefixed by a posix.system call whose result
#    is popped, so the file still loads as the state dict after running the command.
with zipfile.ZipFile(path("tiny_mlp.pt")) as real, zipfile.ZipFile(path("evil_nested.pt"), "w") as evil:
    for item in real.infolist():
        content = real.read(item.filename)
        if item.filename.endswith("data.pkl"):
            payload = (P.GLOBAL + b"posix\nsystem\n" + unicode("id") + P.TUPLE1 + P.REDUCE + P.POP)
            content = content[:2] + payload + content[2:]
        evil.writestr(item, content)
report("evil_nested.pt", mlp_parameters)

# 3. STACK_GLOBAL through the memo: the module and name are memoised among decoys, popped, and fetched back
#    by index, so no GLOBAL opcode and no adjacent "subprocess" "check_output" pair appear in the stream.
with open(path("evil_stack_global.pkl"), "wb") as f:
    f.write(P.PROTO + b"\x04"
            + unicode("collections") + P.MEMOIZE + unicode("subprocess") + P.MEMOIZE + P.POP + P.POP
            + unicode("OrderedDict") + P.MEMOIZE + unicode("check_output") + P.MEMOIZE + P.POP + P.POP
            + P.BINGET + b"\x01" + P.DUP + P.POP + P.BINGET + b"\x03" + P.STACK_GLOBAL
            + unicode("id") + P.TUPLE1 + P.TUPLE1 + P.REDUCE + P.STOP)

# 4. INST, protocol 0: builtins.eval called on a string, no REDUCE at all.
with open(path("evil_inst_eval.pkl"), "wb") as f:
    f.write(P.MARK + P.UNICODE + b"__import__('os').system('id')\n" + P.INST + b"builtins\neval\n" + P.STOP)
