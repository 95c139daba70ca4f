/*
 * loader.c -- libquantkernels.so on x86-64: a small forwarding library that picks one of two NativeAOT builds of
 * the runtime when it is loaded and forwards every function of quantkernels.h to it:
 *   libquantkernels-v3.so   compiled for x86-64-v3 (AVX2, FMA, BMI...): the AVX2 kernels are compiled in
 *   libquantkernels-v2.so   compiled for x86-64-v2 (SSE4.2, POPCNT): the Vector128 kernels. (Not NativeAOT's
 *                           default x64 target: that one ran mobilenet_v2 3x slower than v2 here.)
 * Why: NativeAOT fixes the instruction set at compile time. A default build never runs the AVX2 kernels (its
 * Avx2.IsSupported is a compile-time false), and a v3 build stops the process on a CPU without AVX2.
 *
 * The builds sit next to this library. QK_NATIVE_BUILD=v2|v3 forces one (refused on a CPU without that level).
 * If neither loads, every function returns its error value and qk_last_error() says why.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quantkernels.h"

static const TfLiteQuantizationParams qk_zero_params = {0.0f, 0};
static char load_error[8192];

/* One function pointer per export, filled by the constructor. */
#define QK_FN(ret, name, params, args, fail) static ret(*p_##name) params;
#define QK_VOID(name, params, args) static void(*p_##name) params;
#include "exports.inc"
#undef QK_FN
#undef QK_VOID
static const char* (*p_qk_last_error)(void);

/* The x86-64 micro-architecture levels the two builds need (GCC's cpu model also checks that the OS saves the AVX
 * state): v2 = SSE4.2, SSSE3, POPCNT, CX16 (2009 on); v3 = v2 + AVX2, FMA, BMI1/2, F16C, LZCNT, MOVBE (2013-2015 on). */
static int cpu_has(const char* level) {
  __builtin_cpu_init();
  return !strcmp(level, "v3") ? __builtin_cpu_supports("x86-64-v3") != 0 : __builtin_cpu_supports("x86-64-v2") != 0;
}

static void* open_build(const char* dir, const char* variant) {
  char path[4096];
  snprintf(path, sizeof path, "%s/libquantkernels-%s.so", dir, variant);
  void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) snprintf(load_error, sizeof load_error, "libquantkernels: cannot load %s: %s", path, dlerror());
  return handle;
}

__attribute__((constructor(101))) static void qk_loader_init(void) {
  Dl_info info;
  char dir[4096] = ".";
  if (dladdr((void*)&qk_loader_init, &info) && info.dli_fname) {
    snprintf(dir, sizeof dir, "%s", info.dli_fname);
    char* slash = strrchr(dir, '/');
    if (slash) *slash = 0; else strcpy(dir, ".");
  }
  const char* forced = getenv("QK_NATIVE_BUILD");
  const char* variant = cpu_has("v3") ? "v3" : "v2";
  if (forced && *forced) {
    if (strcmp(forced, "v2") && strcmp(forced, "v3")) {
      snprintf(load_error, sizeof load_error, "libquantkernels: QK_NATIVE_BUILD='%s' is not v2 or v3", forced);
      return;
    }
    variant = forced;
  }
  if (!cpu_has(variant)) {
    snprintf(load_error, sizeof load_error, "libquantkernels: this CPU lacks x86-64-%s, which the %s build needs%s",
             variant, variant, strcmp(variant, "v2") ? "" : " (SSE4.2/POPCNT; CPUs before 2009 are not supported)");
    return;
  }
  void* handle = open_build(dir, variant);
  if (!handle) return;
  int missing = 0;
#define QK_RESOLVE(name) \
  if (!(*(void**)&p_##name = dlsym(handle, #name))) { \
    snprintf(load_error, sizeof load_error, "libquantkernels: %s lacks %s", variant, #name); missing = 1; }
#define QK_FN(ret, name, params, args, fail) QK_RESOLVE(name)
#define QK_VOID(name, params, args) QK_RESOLVE(name)
#include "exports.inc"
  QK_RESOLVE(qk_last_error)
#undef QK_FN
#undef QK_VOID
  if (missing) p_qk_last_error = NULL; /* all or nothing: every stub then reports the load error */
}

/* Without a loaded build every call fails; say why once, on stderr, as TFLite's default error reporter would. */
__attribute__((constructor(200))) static void qk_loader_report(void) {
  if (!p_qk_last_error) fprintf(stderr, "ERROR: %s\n", load_error);
}

/* The exports: forward when the build loaded, else the error value. */
#define QK_FN(ret, name, params, args, fail) \
  QK_API ret name params { return p_qk_last_error ? p_##name args : fail; }
#define QK_VOID(name, params, args) \
  QK_API void name params { if (p_qk_last_error) p_##name args; }
#include "exports.inc"
#undef QK_FN
#undef QK_VOID

QK_API const char* qk_last_error(void) { return p_qk_last_error ? p_qk_last_error() : load_error; }
