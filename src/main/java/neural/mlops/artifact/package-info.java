/**
 * Looks inside a model file without executing anything: readers for safetensors, PyTorch
 * {@code torch.save} archives, pickle and joblib, ONNX (its protobuf wire format read directly),
 * Keras {@code .keras} and GGUF, and a pickle opcode scanner that gives a safety verdict. Every
 * reader streams under fixed bounds of memory and time and refuses a hostile file with a message
 * instead of an error or a hang (docs/artifacts.md).
 *
 * <p>Pure Java; depends only on {@code neural.mlops.store} (its JSON mapper). The registry may use it.
 */
package neural.mlops.artifact;
