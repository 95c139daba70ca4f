/*
 * quantkernels.h -- C interface of libquantkernels (QuantKernels' NativeAOT runtime for quantized TFLite models).
 *
 * The TfLite* part has the names, signatures, types and values of TensorFlow Lite's C API
 * (tensorflow/lite/core/c/c_api.h and c_api_types.h) for the functions it covers, so a program written against
 * that API compiles against this header and links against -lquantkernels unchanged. Differences in behaviour:
 *   - Bad calls never crash: NULL, stale (deleted) or wrong-kind handles, wrong buffer sizes, out-of-range indexes
 *     and corrupt model files return an error value (kTfLiteError, NULL, 0 or -1 as documented below), report the
 *     message through the interpreter's error reporter (stderr when none is set) and through qk_last_error().
 *   - TfLiteModelCreate copies the model bytes: the caller may free model_data as soon as it returns.
 *   - Handles are not pointers to structs: TfLiteTensor is opaque (use the accessor functions).
 * Our own additions are prefixed qk_.
 */
#ifndef QUANTKERNELS_H_
#define QUANTKERNELS_H_

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define QK_API __declspec(dllimport)
#else
#define QK_API __attribute__((visibility("default")))
#endif

/* ---- Types (values as TFLite's c_api_types.h defines them) ------------------------------------------------- */

typedef enum TfLiteStatus {
  kTfLiteOk = 0,
  kTfLiteError = 1,
  kTfLiteDelegateError = 2,
  kTfLiteApplicationError = 3,
  kTfLiteDelegateDataNotFound = 4,
  kTfLiteDelegateDataWriteError = 5,
  kTfLiteDelegateDataReadError = 6,
  kTfLiteUnresolvedOps = 7,
  kTfLiteCancelled = 8,
  kTfLiteOutputShapeNotKnown = 9,
} TfLiteStatus;

typedef enum {
  kTfLiteNoType = 0,
  kTfLiteFloat32 = 1,
  kTfLiteInt32 = 2,
  kTfLiteUInt8 = 3,
  kTfLiteInt64 = 4,
  kTfLiteString = 5,
  kTfLiteBool = 6,
  kTfLiteInt16 = 7,
  kTfLiteComplex64 = 8,
  kTfLiteInt8 = 9,
  kTfLiteFloat16 = 10,
  kTfLiteFloat64 = 11,
  kTfLiteComplex128 = 12,
  kTfLiteUInt64 = 13,
  kTfLiteResource = 14,
  kTfLiteVariant = 15,
  kTfLiteUInt32 = 16,
  kTfLiteUInt16 = 17,
  kTfLiteInt4 = 18,
  kTfLiteBFloat16 = 19,
} TfLiteType;

/* real_value = scale * (quantized_value - zero_point); zeros when the tensor is not quantized per tensor. */
typedef struct TfLiteQuantizationParams {
  float scale;
  int32_t zero_point;
} TfLiteQuantizationParams;

/* Opaque handles. */
typedef struct TfLiteModel TfLiteModel;
typedef struct TfLiteInterpreterOptions TfLiteInterpreterOptions;
typedef struct TfLiteInterpreter TfLiteInterpreter;
typedef struct TfLiteTensor TfLiteTensor;

/* ---- Version ------------------------------------------------------------------------------------------------ */

/* The TFLite C API version this library mirrors, semver with "+quantkernels" build metadata. Static string. */
QK_API const char* TfLiteVersion(void);

/* The model schema major version read (3). */
QK_API int TfLiteSchemaVersion(void);

/* ---- Model -------------------------------------------------------------------------------------------------- */

/* A model from bytes in memory (copied), or NULL if they are not a valid TFLite model this runtime can read. */
QK_API TfLiteModel* TfLiteModelCreate(const void* model_data, size_t model_size);

/* A model from a file, or NULL (missing/unreadable file, corrupt model). */
QK_API TfLiteModel* TfLiteModelCreateFromFile(const char* model_path);

/* Deletes the model. Interpreters created from it stay usable. NULL is ignored; a stale handle is an error. */
QK_API void TfLiteModelDelete(TfLiteModel* model);

/* ---- Interpreter options ------------------------------------------------------------------------------------ */

QK_API TfLiteInterpreterOptions* TfLiteInterpreterOptionsCreate(void);
QK_API void TfLiteInterpreterOptionsDelete(TfLiteInterpreterOptions* options);

/* Threads the kernels may use: -1 (default) and 0 mean one; at most 256. */
QK_API void TfLiteInterpreterOptionsSetNumThreads(TfLiteInterpreterOptions* options, int32_t num_threads);

/* Receives every error of interpreters created with these options, as ("%s", message). user_data may be NULL. */
QK_API void TfLiteInterpreterOptionsSetErrorReporter(
    TfLiteInterpreterOptions* options,
    void (*reporter)(void* user_data, const char* format, va_list args),
    void* user_data);

/* ---- Interpreter -------------------------------------------------------------------------------------------- */

/* An interpreter for the model, or NULL (e.g. an operator this runtime does not implement). The model and the
 * options may be deleted right afterwards. */
QK_API TfLiteInterpreter* TfLiteInterpreterCreate(const TfLiteModel* model,
                                                  const TfLiteInterpreterOptions* optional_options);
QK_API void TfLiteInterpreterDelete(TfLiteInterpreter* interpreter);

/* Counts; 0 on a bad handle. */
QK_API int32_t TfLiteInterpreterGetInputTensorCount(const TfLiteInterpreter* interpreter);
QK_API int32_t TfLiteInterpreterGetOutputTensorCount(const TfLiteInterpreter* interpreter);

/* Graph input/output tensor by position, or NULL when out of range. Valid until the interpreter is deleted. */
QK_API TfLiteTensor* TfLiteInterpreterGetInputTensor(const TfLiteInterpreter* interpreter, int32_t input_index);
QK_API const TfLiteTensor* TfLiteInterpreterGetOutputTensor(const TfLiteInterpreter* interpreter,
                                                            int32_t output_index);

/* New shape for an input (at most 16 dims, copied); call TfLiteInterpreterAllocateTensors afterwards. */
QK_API TfLiteStatus TfLiteInterpreterResizeInputTensor(TfLiteInterpreter* interpreter, int32_t input_index,
                                                       const int* input_dims, int32_t input_dims_size);

/* Prepares every operator and plans the tensor arena. Required before filling inputs and invoking. */
QK_API TfLiteStatus TfLiteInterpreterAllocateTensors(TfLiteInterpreter* interpreter);

/* Runs the graph once. */
QK_API TfLiteStatus TfLiteInterpreterInvoke(TfLiteInterpreter* interpreter);

/* ---- Tensor ------------------------------------------------------------------------------------------------- */

QK_API TfLiteType TfLiteTensorType(const TfLiteTensor* tensor);              /* kTfLiteNoType on a bad handle */
QK_API int32_t TfLiteTensorNumDims(const TfLiteTensor* tensor);              /* -1 on a bad handle */
QK_API int32_t TfLiteTensorDim(const TfLiteTensor* tensor, int32_t dim_index); /* -1 when out of range */
QK_API size_t TfLiteTensorByteSize(const TfLiteTensor* tensor);              /* 0 on a bad handle */

/* The tensor's bytes in the interpreter's arena (or the model's constant data), or NULL before
 * TfLiteInterpreterAllocateTensors. Stable until the next TfLiteInterpreterAllocateTensors or deletion. */
QK_API void* TfLiteTensorData(const TfLiteTensor* tensor);

/* NUL-terminated name, owned by the interpreter. */
QK_API const char* TfLiteTensorName(const TfLiteTensor* tensor);

QK_API TfLiteQuantizationParams TfLiteTensorQuantizationParams(const TfLiteTensor* tensor);

/* Copies exactly TfLiteTensorByteSize(tensor) bytes in or out; any other size is kTfLiteError. */
QK_API TfLiteStatus TfLiteTensorCopyFromBuffer(TfLiteTensor* tensor, const void* input_data,
                                               size_t input_data_size);
QK_API TfLiteStatus TfLiteTensorCopyToBuffer(const TfLiteTensor* output_tensor, void* output_data,
                                             size_t output_data_size);

/* ---- QuantKernels additions --------------------------------------------------------------------------------- */

/* The message of the calling thread's last failed call, or NULL when its last call succeeded. Every other function
 * of this library clears it on entry. The string is valid until the thread's next call into the library. */
QK_API const char* qk_last_error(void);

/* The SIMD path the kernels run in this process: "avxvnni", "avx2", "vector128" or "scalar" (x86-64), or the ARM64
 * path names. On x86-64 the library is two builds behind a loader: "avx2" or "avxvnni" (the v3 build checks AVX-VNNI
 * at run time) means the x86-64-v3 build was loaded. */
QK_API const char* qk_kernel_path(void);

/* ---- Object detection (QuantKernels.Vision's Detector) ------------------------------------------------------ */

/* A detection model (TFLite_Detection_PostProcess SSD, raw SSD or BlazeFace, recognised from its outputs) with
 * its input resizing and box decoding. */
typedef struct qk_detector qk_detector;

typedef struct qk_detection {
  const char* label;   /* class name (labels file, "class N" without one, "face" for BlazeFace); owned by the detector */
  int32_t class_index; /* index in the labels file */
  float score;         /* in [0, 1] */
  float xmin, ymin, xmax, ymax; /* box in pixels of the image given to qk_detector_detect */
} qk_detection;

/* Loads a detector. labels_path may be NULL (a labels file beside the model is used if there is one);
 * score_threshold < 0 means the default 0.5; num_threads <= 0 means 1. NULL on failure (see qk_last_error). */
QK_API qk_detector* qk_detector_create(const char* model_path, const char* labels_path, float score_threshold,
                                       int32_t num_threads);

/* Detects objects in an RGB image: height rows of 3 * width bytes (R, G, B), row i at rgb + i * stride, with
 * stride >= 3 * width. Replaces the detector's previous results. */
QK_API TfLiteStatus qk_detector_detect(qk_detector* detector, const uint8_t* rgb, int32_t width, int32_t height,
                                       int32_t stride);

/* Number of detections of the last qk_detector_detect (best first), or -1 on a bad handle. */
QK_API int32_t qk_detector_count(const qk_detector* detector);

/* Copies detection `index` (0 .. count - 1) into *detection. */
QK_API TfLiteStatus qk_detector_get(const qk_detector* detector, int32_t index, qk_detection* detection);

QK_API void qk_detector_delete(qk_detector* detector);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif  /* QUANTKERNELS_H_ */
