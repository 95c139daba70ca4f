/*
 * detect.c -- object detection through the qk_detector_* functions on an RGB buffer. C has no image decoder, so the
 * image comes as a binary PPM (P6, maxval 255: a text header, then raw RGB rows), e.g. from
 *   ImageMagick's `convert photo.jpg photo.ppm` (tests/QuantKernels.Native.Tests writes them with the managed decoder).
 *
 *   detect MODEL LABELS|- IMAGE.ppm [--threshold T] [--threads N] [--pad BYTES]
 *
 * --pad copies the image into rows padded by BYTES, to show the stride argument. stdout: "detections N", then
 * "det I CLASS SCORE XMIN YMIN XMAX YMAX LABEL" per detection (box in image pixels), best first.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quantkernels.h"

/* Reads a P6 PPM with maxval 255; returns packed RGB rows or NULL. */
static uint8_t* read_ppm(const char* path, int* width, int* height) {
  FILE* f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "cannot open %s\n", path); return NULL; }
  int maxval = 0;
  char magic[3] = {0};
  /* The header: "P6", width, height, maxval, separated by whitespace (comments are not supported). */
  if (fscanf(f, "%2s %d %d %d", magic, width, height, &maxval) != 4 || strcmp(magic, "P6") || maxval != 255 ||
      *width <= 0 || *height <= 0 || *width > 16384 || *height > 16384 || fgetc(f) == EOF) {
    fprintf(stderr, "%s is not a binary PPM (P6, maxval 255, at most 16384 pixels a side)\n", path);
    fclose(f);
    return NULL;
  }
  size_t size = (size_t)*width * (size_t)*height * 3;
  uint8_t* rgb = malloc(size);
  if (fread(rgb, 1, size, f) != size) {
    fprintf(stderr, "%s: truncated pixel data\n", path);
    free(rgb);
    rgb = NULL;
  }
  fclose(f);
  return rgb;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: detect MODEL LABELS|- IMAGE.ppm [--threshold T] [--threads N] [--pad BYTES]\n");
    return 2;
  }
  float threshold = -1; /* the library's default */
  int threads = 1, pad = 0;
  for (int i = 4; i < argc; i++) {
    if (!strcmp(argv[i], "--threshold") && i + 1 < argc) threshold = (float)atof(argv[++i]);
    else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--pad") && i + 1 < argc) pad = atoi(argv[++i]);
    else { fprintf(stderr, "unexpected argument %s\n", argv[i]); return 2; }
  }
  int width, height;
  uint8_t* rgb = read_ppm(argv[3], &width, &height);
  if (!rgb) return 1;

  int stride = width * 3 + pad;
  uint8_t* padded = rgb;
  if (pad > 0) {
    padded = malloc((size_t)stride * (size_t)height);
    for (int y = 0; y < height; y++) {
      memcpy(padded + (size_t)y * stride, rgb + (size_t)y * width * 3, (size_t)width * 3);
      memset(padded + (size_t)y * stride + (size_t)width * 3, 0xAB, (size_t)pad); /* junk the detector must skip */
    }
  }

  const char* labels = strcmp(argv[2], "-") ? argv[2] : NULL;
  qk_detector* detector = qk_detector_create(argv[1], labels, threshold, threads);
  if (!detector) { fprintf(stderr, "qk_detector_create: %s\n", qk_last_error()); return 1; }
  if (qk_detector_detect(detector, padded, width, height, stride) != kTfLiteOk) {
    fprintf(stderr, "qk_detector_detect: %s\n", qk_last_error());
    return 1;
  }
  int count = qk_detector_count(detector);
  printf("detections %d\n", count);
  for (int i = 0; i < count; i++) {
    qk_detection d;
    if (qk_detector_get(detector, i, &d) != kTfLiteOk) { fprintf(stderr, "qk_detector_get: %s\n", qk_last_error()); return 1; }
    printf("det %d %d %.6f %.6f %.6f %.6f %.6f %s\n", i, d.class_index, d.score, d.xmin, d.ymin, d.xmax, d.ymax, d.label);
  }
  qk_detector_delete(detector);
  if (padded != rgb) free(padded);
  free(rgb);
  return 0;
}
