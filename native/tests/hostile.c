/*
 * hostile.c -- hostile calls into libquantkernels must return errors, never crash: NULL arguments, wrong buffer
 * sizes, out-of-range indexes, deleted (stale) and wrong-kind handles, corrupt model files; and the error reporter
 * and qk_last_error() must carry the messages.
 *
 *   hostile MODEL.tflite SCRATCH_DIR [DETECTOR.tflite]
 *
 * MODEL is a classifier (uint8 input), DETECTOR a detection model for the qk_detector_* checks (skipped without it).
 * Prints one line per failed check, then "hostile: N checks, F failed"; exit code 0 only when every check passed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quantkernels.h"

static int checks, failures;

#define CHECK(cond, what)                                                   \
  do {                                                                      \
    checks++;                                                               \
    if (!(cond)) {                                                          \
      failures++;                                                           \
      printf("FAIL line %d: %s  [%s]\n", __LINE__, what, #cond);            \
    }                                                                       \
  } while (0)

/* The call just made failed with a message (qk_last_error() is set and mentions `word`). */
#define FAILED_WITH(word) (qk_last_error() != NULL && strstr(qk_last_error(), word) != NULL)
#define SUCCEEDED() (qk_last_error() == NULL)

typedef struct { int calls; char last[512]; } Captured;

static void capture(void* user_data, const char* format, va_list args) {
  Captured* c = (Captured*)user_data;
  c->calls++;
  vsnprintf(c->last, sizeof c->last, format, args);
}

static unsigned char* read_all(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char* data = malloc(*size);
  if (fread(data, 1, *size, f) != *size) { free(data); data = NULL; }
  fclose(f);
  return data;
}

static void write_all(const char* path, const void* data, size_t size) {
  FILE* f = fopen(path, "wb");
  if (!f) { printf("cannot write %s\n", path); exit(2); }
  fwrite(data, 1, size, f);
  fclose(f);
}

static void null_arguments(void) {
  CHECK(TfLiteModelCreate(NULL, 100) == NULL && FAILED_WITH("NULL"), "ModelCreate(NULL)");
  CHECK(TfLiteModelCreateFromFile(NULL) == NULL && FAILED_WITH("NULL"), "ModelCreateFromFile(NULL)");
  TfLiteModelDelete(NULL);
  CHECK(SUCCEEDED(), "ModelDelete(NULL) is a no-op, as free(NULL)");
  CHECK(TfLiteInterpreterCreate(NULL, NULL) == NULL && FAILED_WITH("model is NULL"), "InterpreterCreate(NULL)");
  CHECK(TfLiteInterpreterGetInputTensorCount(NULL) == 0 && FAILED_WITH("NULL"), "GetInputTensorCount(NULL)");
  CHECK(TfLiteInterpreterGetOutputTensorCount(NULL) == 0 && FAILED_WITH("NULL"), "GetOutputTensorCount(NULL)");
  CHECK(TfLiteInterpreterGetInputTensor(NULL, 0) == NULL && FAILED_WITH("NULL"), "GetInputTensor(NULL)");
  CHECK(TfLiteInterpreterAllocateTensors(NULL) == kTfLiteError && FAILED_WITH("NULL"), "AllocateTensors(NULL)");
  CHECK(TfLiteInterpreterInvoke(NULL) == kTfLiteError && FAILED_WITH("NULL"), "Invoke(NULL)");
  CHECK(TfLiteInterpreterResizeInputTensor(NULL, 0, NULL, 0) == kTfLiteError, "ResizeInputTensor(NULL)");
  CHECK(TfLiteTensorType(NULL) == kTfLiteNoType && FAILED_WITH("NULL"), "TensorType(NULL)");
  CHECK(TfLiteTensorNumDims(NULL) == -1, "TensorNumDims(NULL)");
  CHECK(TfLiteTensorDim(NULL, 0) == -1, "TensorDim(NULL)");
  CHECK(TfLiteTensorByteSize(NULL) == 0, "TensorByteSize(NULL)");
  CHECK(TfLiteTensorData(NULL) == NULL && FAILED_WITH("NULL"), "TensorData(NULL)");
  CHECK(TfLiteTensorName(NULL) == NULL, "TensorName(NULL)");
  TfLiteQuantizationParams q = TfLiteTensorQuantizationParams(NULL);
  CHECK(q.scale == 0 && q.zero_point == 0 && FAILED_WITH("NULL"), "TensorQuantizationParams(NULL)");
  char buffer[4];
  CHECK(TfLiteTensorCopyFromBuffer(NULL, buffer, 4) == kTfLiteError, "CopyFromBuffer(NULL tensor)");
  CHECK(TfLiteTensorCopyToBuffer(NULL, buffer, 4) == kTfLiteError, "CopyToBuffer(NULL tensor)");
  TfLiteInterpreterOptionsSetNumThreads(NULL, 2);
  CHECK(FAILED_WITH("NULL"), "OptionsSetNumThreads(NULL)");
  TfLiteInterpreterOptionsSetErrorReporter(NULL, capture, NULL);
  CHECK(FAILED_WITH("NULL"), "OptionsSetErrorReporter(NULL)");
}

static void corrupt_models(const char* model_path, const char* dir) {
  char path[4096];
  CHECK(TfLiteModelCreateFromFile("/nonexistent/model.tflite") == NULL && qk_last_error(), "missing file");
  CHECK(TfLiteModelCreateFromFile(dir) == NULL && qk_last_error(), "a directory");
  snprintf(path, sizeof path, "%s/empty.tflite", dir);
  write_all(path, "", 0);
  CHECK(TfLiteModelCreateFromFile(path) == NULL && qk_last_error(), "empty file");
  snprintf(path, sizeof path, "%s/text.tflite", dir);
  const char* text = "this is not a flatbuffer, just some text that goes on for a while........";
  write_all(path, text, strlen(text));
  CHECK(TfLiteModelCreateFromFile(path) == NULL && qk_last_error(), "text file");

  size_t size;
  unsigned char* model = read_all(model_path, &size);
  CHECK(model != NULL, "read the model");
  if (!model) return;
  snprintf(path, sizeof path, "%s/truncated.tflite", dir);
  write_all(path, model, size / 2);
  CHECK(TfLiteModelCreateFromFile(path) == NULL && qk_last_error(), "truncated model file");
  CHECK(TfLiteModelCreate(model, size / 3) == NULL && qk_last_error(), "truncated model bytes");
  CHECK(TfLiteModelCreate(model, 0) == NULL && qk_last_error(), "zero-length model bytes");

  /* Flip bytes all over the file: each variant must load, fail cleanly, or run -- never crash. */
  int rejected = 0;
  for (int round = 0; round < 40; round++) {
    unsigned char* copy = malloc(size);
    memcpy(copy, model, size);
    uint32_t s = 12345u + (uint32_t)round * 7919u;
    for (int k = 0; k < 8; k++) {
      s = s * 1664525u + 1013904223u;
      size_t at = round < 20 ? (s >> 8) % 256 : (s >> 8) % size; /* the header/tables first, then anywhere */
      copy[at] ^= (unsigned char)(1u + (s & 0xfe));
    }
    TfLiteModel* m = TfLiteModelCreate(copy, size);
    free(copy); /* our TfLiteModelCreate copies the bytes */
    if (!m) { rejected++; CHECK(qk_last_error() != NULL, "a rejected corrupt model has a message"); continue; }
    TfLiteInterpreter* it = TfLiteInterpreterCreate(m, NULL);
    if (it && TfLiteInterpreterAllocateTensors(it) == kTfLiteOk) TfLiteInterpreterInvoke(it);
    TfLiteInterpreterDelete(it);
    TfLiteModelDelete(m);
  }
  CHECK(rejected > 0, "some corrupt variants are rejected");
  free(model);
}

static void wrong_sizes_and_indexes(const char* model_path) {
  TfLiteModel* model = TfLiteModelCreateFromFile(model_path);
  CHECK(model && SUCCEEDED(), "load the model");
  TfLiteInterpreter* it = TfLiteInterpreterCreate(model, NULL);
  CHECK(it != NULL, "create an interpreter");
  TfLiteTensor* in = TfLiteInterpreterGetInputTensor(it, 0);
  size_t n = TfLiteTensorByteSize(in);
  unsigned char* buffer = calloc(n + 16, 1);

  CHECK(TfLiteTensorCopyFromBuffer(in, buffer, n) == kTfLiteError && FAILED_WITH("AllocateTensors"), "copy before AllocateTensors");
  CHECK(TfLiteInterpreterInvoke(it) == kTfLiteError && FAILED_WITH("AllocateTensors"), "invoke before AllocateTensors");
  CHECK(TfLiteTensorData(in) == NULL, "no data before AllocateTensors");
  CHECK(TfLiteInterpreterAllocateTensors(it) == kTfLiteOk && SUCCEEDED(), "AllocateTensors");

  CHECK(TfLiteTensorCopyFromBuffer(in, buffer, n - 1) == kTfLiteError && FAILED_WITH("bytes"), "copy in n-1 bytes");
  CHECK(TfLiteTensorCopyFromBuffer(in, buffer, n + 1) == kTfLiteError && FAILED_WITH("bytes"), "copy in n+1 bytes");
  CHECK(TfLiteTensorCopyFromBuffer(in, buffer, (size_t)-1) == kTfLiteError, "copy in SIZE_MAX bytes");
  CHECK(TfLiteTensorCopyFromBuffer(in, NULL, n) == kTfLiteError && FAILED_WITH("NULL"), "copy in from NULL");
  CHECK(TfLiteTensorCopyFromBuffer(in, buffer, n) == kTfLiteOk && SUCCEEDED(), "copy in n bytes");
  const TfLiteTensor* out = TfLiteInterpreterGetOutputTensor(it, 0);
  size_t m = TfLiteTensorByteSize(out);
  unsigned char* out_buffer = malloc(m + 1);
  CHECK(TfLiteTensorCopyToBuffer(out, out_buffer, m + 1) == kTfLiteError, "copy out m+1 bytes");
  CHECK(TfLiteTensorCopyToBuffer(out, NULL, m) == kTfLiteError, "copy out to NULL");

  CHECK(TfLiteInterpreterGetInputTensor(it, -1) == NULL && FAILED_WITH("index"), "input -1");
  CHECK(TfLiteInterpreterGetInputTensor(it, TfLiteInterpreterGetInputTensorCount(it)) == NULL, "input == count");
  CHECK(TfLiteInterpreterGetOutputTensor(it, 1000) == NULL, "output 1000");
  CHECK(TfLiteTensorDim(in, -1) == -1 && TfLiteTensorDim(in, TfLiteTensorNumDims(in)) == -1, "dim out of range");

  int negative[4] = {1, -5, 3, 3};
  CHECK(TfLiteInterpreterResizeInputTensor(it, 0, negative, 4) == kTfLiteError, "resize to a negative dimension");
  CHECK(TfLiteInterpreterResizeInputTensor(it, 0, NULL, 4) == kTfLiteError, "resize with NULL dims");
  CHECK(TfLiteInterpreterResizeInputTensor(it, 0, negative, 1000) == kTfLiteError, "resize with 1000 dims");
  CHECK(TfLiteInterpreterResizeInputTensor(it, 7, negative, 4) == kTfLiteError, "resize input 7");

  TfLiteInterpreterOptions* options = TfLiteInterpreterOptionsCreate();
  TfLiteInterpreterOptionsSetNumThreads(options, -7);
  CHECK(FAILED_WITH("num_threads"), "num_threads -7");
  TfLiteInterpreterOptionsSetNumThreads(options, 100000);
  CHECK(FAILED_WITH("num_threads"), "num_threads 100000");
  TfLiteInterpreterOptionsDelete(options);

  free(buffer);
  free(out_buffer);
  TfLiteInterpreterDelete(it);
  TfLiteModelDelete(model);
}

static void stale_and_wrong_handles(const char* model_path) {
  TfLiteModel* model = TfLiteModelCreateFromFile(model_path);
  TfLiteInterpreterOptions* options = TfLiteInterpreterOptionsCreate();
  TfLiteInterpreter* it = TfLiteInterpreterCreate(model, options);
  CHECK(it != NULL, "create");
  CHECK(TfLiteInterpreterAllocateTensors(it) == kTfLiteOk, "allocate");
  TfLiteTensor* in = TfLiteInterpreterGetInputTensor(it, 0);

  /* Wrong kinds: a model where an interpreter is expected, an interpreter as a tensor, a stack address. */
  CHECK(TfLiteInterpreterInvoke((TfLiteInterpreter*)model) == kTfLiteError && FAILED_WITH("Model"), "model as interpreter");
  CHECK(TfLiteTensorByteSize((TfLiteTensor*)it) == 0 && FAILED_WITH("Interpreter"), "interpreter as tensor");
  int local = 0;
  CHECK(TfLiteInterpreterInvoke((TfLiteInterpreter*)&local) == kTfLiteError && FAILED_WITH("not a handle"), "stack address");
  CHECK(TfLiteTensorData((TfLiteTensor*)(uintptr_t)0x1000) == NULL && qk_last_error(), "small integer");

  /* Deleted handles. */
  TfLiteInterpreterDelete(it);
  CHECK(SUCCEEDED(), "delete");
  CHECK(TfLiteInterpreterInvoke(it) == kTfLiteError && FAILED_WITH("stale"), "invoke a deleted interpreter");
  CHECK(TfLiteTensorData(in) == NULL && FAILED_WITH("stale"), "data of a deleted interpreter's tensor");
  CHECK(TfLiteTensorByteSize(in) == 0 && FAILED_WITH("stale"), "size of a deleted interpreter's tensor");
  CHECK(TfLiteTensorName(in) == NULL && FAILED_WITH("stale"), "name of a deleted interpreter's tensor");
  TfLiteInterpreterDelete(it);
  CHECK(FAILED_WITH("stale"), "delete an interpreter twice");

  /* A new interpreter must not answer to the old handles. */
  TfLiteInterpreter* it2 = TfLiteInterpreterCreate(model, NULL);
  CHECK(it2 != NULL && it2 != it, "a new interpreter has a new handle");
  CHECK(TfLiteInterpreterAllocateTensors(it) == kTfLiteError, "the old handle stays stale");
  TfLiteInterpreterDelete(it2);

  TfLiteInterpreterOptionsDelete(options);
  TfLiteInterpreterOptionsSetNumThreads(options, 2);
  CHECK(FAILED_WITH("stale"), "set threads on deleted options");
  CHECK(TfLiteInterpreterCreate(model, options) == NULL && FAILED_WITH("stale"), "create with deleted options");

  TfLiteModelDelete(model);
  CHECK(SUCCEEDED(), "model delete");
  CHECK(TfLiteInterpreterCreate(model, NULL) == NULL && FAILED_WITH("stale"), "create from a deleted model");
  TfLiteModelDelete(model);
  CHECK(FAILED_WITH("stale"), "delete a model twice");
}

static void reporter_and_data_pointer(const char* model_path) {
  Captured captured = {0, ""};
  TfLiteModel* model = TfLiteModelCreateFromFile(model_path);
  TfLiteInterpreterOptions* options = TfLiteInterpreterOptionsCreate();
  TfLiteInterpreterOptionsSetErrorReporter(options, capture, &captured);
  TfLiteInterpreterOptionsSetNumThreads(options, 2);
  CHECK(SUCCEEDED(), "set reporter and threads");
  TfLiteInterpreter* it = TfLiteInterpreterCreate(model, options);
  TfLiteInterpreterOptionsDelete(options); /* the interpreter keeps its own copy */
  TfLiteModelDelete(model);
  CHECK(it != NULL, "create with 2 threads");

  CHECK(TfLiteInterpreterInvoke(it) == kTfLiteError, "invoke before allocate fails");
  CHECK(captured.calls == 1 && strstr(captured.last, "TfLiteInterpreterInvoke") && strstr(captured.last, "AllocateTensors"),
        "the reporter got the message through its va_list");
  CHECK(strcmp(captured.last, qk_last_error()) == 0, "reporter and qk_last_error agree");

  CHECK(TfLiteInterpreterAllocateTensors(it) == kTfLiteOk, "allocate");
  TfLiteTensor* in = TfLiteInterpreterGetInputTensor(it, 0);
  CHECK(TfLiteTensorCopyFromBuffer(in, "x", 1) == kTfLiteError && captured.calls == 2 && strstr(captured.last, "bytes"),
        "a tensor error reaches the interpreter's reporter");

  /* TfLiteTensorData is a stable pointer into the arena: writing through it is the same as copying in. */
  size_t n = TfLiteTensorByteSize(in);
  unsigned char* data = (unsigned char*)TfLiteTensorData(in);
  CHECK(data != NULL, "input data pointer");
  for (size_t i = 0; i < n; i++) data[i] = (unsigned char)(i * 13 + 1);
  CHECK(TfLiteInterpreterInvoke(it) == kTfLiteOk, "invoke");
  const TfLiteTensor* out = TfLiteInterpreterGetOutputTensor(it, 0);
  size_t m = TfLiteTensorByteSize(out);
  unsigned char* first = malloc(m);
  memcpy(first, TfLiteTensorData(out), m);
  unsigned char* copy = malloc(n);
  for (size_t i = 0; i < n; i++) copy[i] = (unsigned char)(i * 13 + 1);
  CHECK(TfLiteTensorCopyFromBuffer(in, copy, n) == kTfLiteOk, "copy in");
  CHECK(TfLiteInterpreterInvoke(it) == kTfLiteOk, "invoke again");
  CHECK(TfLiteTensorData(in) == data, "input pointer unchanged across invokes");
  CHECK(memcmp(first, TfLiteTensorData(out), m) == 0, "same output through the pointer and through CopyFromBuffer");
  CHECK(strlen(TfLiteTensorName(in)) > 0, "input has a name");
  CHECK(captured.calls == 2, "no error reported on the good path");
  free(first);
  free(copy);
  TfLiteInterpreterDelete(it);
}

static void detector_calls(const char* classifier, const char* detector_model) {
  CHECK(qk_detector_create(NULL, NULL, -1, 1) == NULL && FAILED_WITH("NULL"), "detector from NULL");
  CHECK(qk_detector_create("/nonexistent/model.tflite", NULL, -1, 1) == NULL && qk_last_error(), "detector from a missing file");
  CHECK(qk_detector_create(classifier, NULL, -1, 1) == NULL && qk_last_error(), "a classifier is not a detector");
  CHECK(qk_detector_create(detector_model, "/nonexistent/labels.txt", -1, 1) == NULL && qk_last_error(), "missing labels file");
  CHECK(qk_detector_create(detector_model, NULL, 2.0f, 1) == NULL && FAILED_WITH("threshold"), "score threshold 2");
  CHECK(qk_detector_create(detector_model, NULL, -1, 100000) == NULL && FAILED_WITH("num_threads"), "100000 threads");

  qk_detector* d = qk_detector_create(detector_model, NULL, -1, 1);
  CHECK(d != NULL && SUCCEEDED(), "create a detector");
  if (!d) return;
  static uint8_t image[24 * 100]; /* 32x24 RGB with rows of 100 bytes */
  for (size_t i = 0; i < sizeof image; i++) image[i] = (uint8_t)(i * 31);
  CHECK(qk_detector_detect(d, NULL, 32, 24, 96) == kTfLiteError && FAILED_WITH("NULL"), "detect on NULL");
  CHECK(qk_detector_detect(d, image, 0, 24, 96) == kTfLiteError && qk_last_error(), "width 0");
  CHECK(qk_detector_detect(d, image, -3, 24, 96) == kTfLiteError && qk_last_error(), "negative width");
  CHECK(qk_detector_detect(d, image, 32, 24, 95) == kTfLiteError && FAILED_WITH("stride"), "stride below 3 * width");
  CHECK(qk_detector_detect(d, image, 16384, 16384, 2000000000) == kTfLiteError && FAILED_WITH("stride"), "stride * height over 2 GiB");
  CHECK(qk_detector_detect(d, image, 100000, 1, 300000) == kTfLiteError && qk_last_error(), "width 100000");
  CHECK(qk_detector_count(d) == 0, "no detections after a failed detect");
  CHECK(qk_detector_detect(d, image, 32, 24, 100) == kTfLiteOk && SUCCEEDED(), "detect with padded rows");
  int n = qk_detector_count(d);
  CHECK(n >= 0 && SUCCEEDED(), "count");
  qk_detection det;
  CHECK(qk_detector_get(d, n, &det) == kTfLiteError && FAILED_WITH("index"), "get index == count");
  CHECK(qk_detector_get(d, -1, &det) == kTfLiteError, "get index -1");
  CHECK(qk_detector_get(d, 0, NULL) == kTfLiteError, "get into NULL");

  TfLiteInterpreterOptions* options = TfLiteInterpreterOptionsCreate();
  CHECK(qk_detector_count((qk_detector*)options) == -1 && FAILED_WITH("Options"), "options handle as a detector");
  CHECK(TfLiteInterpreterInvoke((TfLiteInterpreter*)d) == kTfLiteError && FAILED_WITH("Detector"), "detector handle as an interpreter");
  TfLiteInterpreterOptionsDelete(options);

  qk_detector_delete(d);
  CHECK(SUCCEEDED(), "delete the detector");
  CHECK(qk_detector_count(d) == -1 && FAILED_WITH("stale"), "count on a deleted detector");
  CHECK(qk_detector_detect(d, image, 32, 24, 96) == kTfLiteError && FAILED_WITH("stale"), "detect on a deleted detector");
  qk_detector_delete(d);
  CHECK(FAILED_WITH("stale"), "delete a detector twice");
  qk_detector_delete(NULL);
  CHECK(SUCCEEDED(), "delete NULL");
}

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    fprintf(stderr, "usage: hostile MODEL.tflite SCRATCH_DIR [DETECTOR.tflite]\n");
    return 2;
  }
  CHECK(strncmp(TfLiteVersion(), "2.", 2) == 0 && SUCCEEDED(), "TfLiteVersion");
  CHECK(qk_kernel_path() != NULL && strlen(qk_kernel_path()) > 0, "qk_kernel_path");
  null_arguments();
  corrupt_models(argv[1], argv[2]);
  wrong_sizes_and_indexes(argv[1]);
  stale_and_wrong_handles(argv[1]);
  reporter_and_data_pointer(argv[1]);
  if (argc == 4) detector_calls(argv[1], argv[3]);
  printf("hostile: %d checks, %d failed (kernel path %s, version %s)\n", checks, failures, qk_kernel_path(), TfLiteVersion());
  return failures == 0 ? 0 : 1;
}
