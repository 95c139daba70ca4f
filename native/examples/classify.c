/*
 * classify.c -- image classification with TensorFlow Lite's C API only (no qk_ function), so the same source builds
 * against TFLite's own c_api.h. Loads a model, fills input 0 from a raw file (exactly the tensor's byte size) or a
 * fixed pattern, invokes, and prints the top-5 classes of output 0.
 *
 *   classify MODEL [INPUT.bin] [--threads N] [--iters N]
 *
 * stdout: one line per class, "top RANK INDEX RAW VALUE" (RAW: the quantized output; VALUE: dequantized), then
 * "output-fnv1a HASH" over the whole output tensor's bytes (so a test can compare every byte, not just the top 5).
 * stderr: "startup-ms X" (model load to first result) and, with --iters N, "invoke-ms-median X" over N invokes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quantkernels.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int compare_double(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

/* Element i of a uint8/int8/float32 output as a double, and its raw integer value (0 for float). */
static double element(const TfLiteTensor* t, const void* data, size_t i, long* raw) {
  TfLiteQuantizationParams q = TfLiteTensorQuantizationParams(t);
  switch (TfLiteTensorType(t)) {
    case kTfLiteUInt8: *raw = ((const uint8_t*)data)[i]; return q.scale * (double)(*raw - q.zero_point);
    case kTfLiteInt8: *raw = ((const int8_t*)data)[i]; return q.scale * (double)(*raw - q.zero_point);
    case kTfLiteFloat32: *raw = 0; return ((const float*)data)[i];
    default: *raw = 0; return 0;
  }
}

static int read_file(const char* path, void* buffer, size_t size) {
  FILE* f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "cannot open %s\n", path); return 0; }
  fseek(f, 0, SEEK_END);
  long length = ftell(f);
  fseek(f, 0, SEEK_SET);
  if (length != (long)size) {
    fprintf(stderr, "%s has %ld bytes, the input tensor %zu\n", path, length, size);
    fclose(f);
    return 0;
  }
  size_t got = fread(buffer, 1, size, f);
  fclose(f);
  return got == size;
}

int main(int argc, char** argv) {
  const char* model_path = NULL;
  const char* input_path = NULL;
  int threads = 1, iters = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--iters") && i + 1 < argc) iters = atoi(argv[++i]);
    else if (!model_path) model_path = argv[i];
    else if (!input_path) input_path = argv[i];
    else { fprintf(stderr, "unexpected argument %s\n", argv[i]); return 2; }
  }
  if (!model_path) {
    fprintf(stderr, "usage: classify MODEL [INPUT.bin] [--threads N] [--iters N]\n");
    return 2;
  }

  double t0 = now_ms();
  TfLiteModel* model = TfLiteModelCreateFromFile(model_path);
  if (!model) return 1;
  TfLiteInterpreterOptions* options = TfLiteInterpreterOptionsCreate();
  TfLiteInterpreterOptionsSetNumThreads(options, threads);
  TfLiteInterpreter* interpreter = TfLiteInterpreterCreate(model, options);
  TfLiteInterpreterOptionsDelete(options);
  TfLiteModelDelete(model); /* allowed: the interpreter keeps what it needs */
  if (!interpreter) return 1;
  if (TfLiteInterpreterAllocateTensors(interpreter) != kTfLiteOk) return 1;

  TfLiteTensor* input = TfLiteInterpreterGetInputTensor(interpreter, 0);
  size_t in_size = TfLiteTensorByteSize(input);
  void* in_data = malloc(in_size);
  if (input_path) {
    if (!read_file(input_path, in_data, in_size)) return 1;
  } else {
    for (size_t i = 0; i < in_size; i++) ((uint8_t*)in_data)[i] = (uint8_t)(i * 7 + 3);
  }
  if (TfLiteTensorCopyFromBuffer(input, in_data, in_size) != kTfLiteOk) return 1;
  if (TfLiteInterpreterInvoke(interpreter) != kTfLiteOk) return 1;

  const TfLiteTensor* output = TfLiteInterpreterGetOutputTensor(interpreter, 0);
  size_t out_size = TfLiteTensorByteSize(output);
  void* out_data = malloc(out_size);
  if (TfLiteTensorCopyToBuffer(output, out_data, out_size) != kTfLiteOk) return 1;
  double startup = now_ms() - t0;

  /* Elements = product of dims; top-5 by value, ties to the lower index. */
  size_t count = 1;
  for (int d = 0; d < TfLiteTensorNumDims(output); d++) count *= (size_t)TfLiteTensorDim(output, d);
  int top[5];
  int k = count < 5 ? (int)count : 5;
  for (int r = 0; r < k; r++) {
    int best = -1;
    double best_value = 0;
    for (size_t i = 0; i < count; i++) {
      int taken = 0;
      for (int j = 0; j < r; j++) taken |= top[j] == (int)i;
      long raw;
      double v = element(output, out_data, i, &raw);
      if (!taken && (best < 0 || v > best_value)) { best = (int)i; best_value = v; }
    }
    top[r] = best;
  }
  for (int r = 0; r < k; r++) {
    long raw;
    double v = element(output, out_data, (size_t)top[r], &raw);
    printf("top %d %d %ld %.6f\n", r + 1, top[r], raw, v);
  }
  uint64_t hash = 1469598103934665603ull;
  for (size_t i = 0; i < out_size; i++) hash = (hash ^ ((const uint8_t*)out_data)[i]) * 1099511628211ull;
  printf("output-fnv1a %016llx\n", (unsigned long long)hash);
  fprintf(stderr, "startup-ms %.2f\n", startup);

  if (iters > 0) {
    double* times = malloc(sizeof(double) * (size_t)iters);
    for (int i = 0; i < iters; i++) {
      double s = now_ms();
      if (TfLiteInterpreterInvoke(interpreter) != kTfLiteOk) return 1;
      times[i] = now_ms() - s;
    }
    qsort(times, (size_t)iters, sizeof(double), compare_double);
    fprintf(stderr, "invoke-ms-median %.3f (min %.3f, %d invokes)\n", times[iters / 2], times[0], iters);
    free(times);
  }

  free(in_data);
  free(out_data);
  TfLiteInterpreterDelete(interpreter);
  return 0;
}
