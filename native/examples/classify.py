"""classify.py -- libquantkernels from Python with ctypes only (no numpy): the C API as TFLite defines it.

    python3 classify.py LIBDIR/libquantkernels.so MODEL.tflite [INPUT.bin]
"""
import ctypes as C
import sys


class QuantParams(C.Structure):
    _fields_ = [("scale", C.c_float), ("zero_point", C.c_int32)]


lib = C.CDLL(sys.argv[1])
P = C.c_void_p  # every handle is opaque
for name, restype, argtypes in [
    ("TfLiteModelCreateFromFile", P, [C.c_char_p]),
    ("TfLiteModelDelete", None, [P]),
    ("TfLiteInterpreterCreate", P, [P, P]),
    ("TfLiteInterpreterDelete", None, [P]),
    ("TfLiteInterpreterAllocateTensors", C.c_int, [P]),
    ("TfLiteInterpreterInvoke", C.c_int, [P]),
    ("TfLiteInterpreterGetInputTensor", P, [P, C.c_int32]),
    ("TfLiteInterpreterGetOutputTensor", P, [P, C.c_int32]),
    ("TfLiteTensorByteSize", C.c_size_t, [P]),
    ("TfLiteTensorName", C.c_char_p, [P]),
    ("TfLiteTensorQuantizationParams", QuantParams, [P]),
    ("TfLiteTensorCopyFromBuffer", C.c_int, [P, C.c_char_p, C.c_size_t]),
    ("TfLiteTensorCopyToBuffer", C.c_int, [P, C.c_void_p, C.c_size_t]),
    ("qk_last_error", C.c_char_p, []),
    ("qk_kernel_path", C.c_char_p, []),
]:
    f = getattr(lib, name)
    f.restype, f.argtypes = restype, argtypes


def check(ok):
    if not ok:
        raise RuntimeError(lib.qk_last_error().decode())


model = lib.TfLiteModelCreateFromFile(sys.argv[2].encode())
check(model)
interpreter = lib.TfLiteInterpreterCreate(model, None)
lib.TfLiteModelDelete(model)
check(interpreter)
check(lib.TfLiteInterpreterAllocateTensors(interpreter) == 0)

inp = lib.TfLiteInterpreterGetInputTensor(interpreter, 0)
size = lib.TfLiteTensorByteSize(inp)
data = open(sys.argv[3], "rb").read() if len(sys.argv) > 3 else bytes((i * 7 + 3) & 255 for i in range(size))
check(lib.TfLiteTensorCopyFromBuffer(inp, data, len(data)) == 0)
check(lib.TfLiteInterpreterInvoke(interpreter) == 0)

out = lib.TfLiteInterpreterGetOutputTensor(interpreter, 0)
buf = C.create_string_buffer(lib.TfLiteTensorByteSize(out))
check(lib.TfLiteTensorCopyToBuffer(out, buf, len(buf)) == 0)
q = lib.TfLiteTensorQuantizationParams(out)
scores = list(buf.raw)  # uint8 output
top = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:5]
print(f"{lib.TfLiteTensorName(out).decode()} on the {lib.qk_kernel_path().decode()} kernels:")
for rank, i in enumerate(top, 1):
    print(f"top {rank} {i} {scores[i]} {q.scale * (scores[i] - q.zero_point):.6f}")

# Errors come back as values, never as crashes; the message is in qk_last_error().
print("bad size ->", lib.TfLiteTensorCopyFromBuffer(inp, b"x", 1), lib.qk_last_error().decode())
lib.TfLiteInterpreterDelete(interpreter)
print("after delete ->", lib.TfLiteInterpreterInvoke(interpreter), lib.qk_last_error().decode())
