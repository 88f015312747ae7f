// CVision codecs: the pixel conversions live capture and the simulated camera need (scaling, YUYV, JPEG).
// Same rules as cvision.h: `cvs_` prefix, a cvs_status plus cvs_error from every call that can fail, no C++
// exception across the boundary, caller-owned buffers that CVision never keeps.
#ifndef CVISION_CODEC_H
#define CVISION_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "cvision.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Scales packed pixels with `channels` bytes each (1: grey, 3: BGR) from `src` (src_width x src_height,
/// rows packed) into `dst` (dst_width x dst_height, rows packed), with area averaging when shrinking.
cvs_status cvs_resize(const uint8_t *src, int32_t src_width, int32_t src_height, int32_t channels,
                      uint8_t *dst, int32_t dst_width, int32_t dst_height, cvs_error *error);

/// Packs a frame as YUYV 4:2:2 (`width` even; `yuyv` holds width * height * 2 bytes). Luma is copied from
/// `gray` unchanged, so a camera that reads YUYV's Y sees exactly the grey picture it was made from;
/// chroma comes from `bgr` (BT.601, averaged over each horizontal pair).
cvs_status cvs_yuyv_from_bgr(const uint8_t *bgr, const uint8_t *gray, int32_t width, int32_t height,
                             uint8_t *yuyv, cvs_error *error);

/// Encodes packed BGR as a baseline JPEG of `quality` (1-100) into `out`; `size` gets its length.
/// CVS_ERR_ARGUMENT when it does not fit in `capacity`.
cvs_status cvs_jpeg_encode_bgr(const uint8_t *bgr, int32_t width, int32_t height, int32_t quality,
                               uint8_t *out, size_t capacity, size_t *size, cvs_error *error);

/// Decodes a JPEG (an MJPEG frame) to greyscale at 1/`reduction` of its size (1, 2, 4 or 8: libjpeg scales
/// while decoding, which is far cheaper than decoding whole and shrinking). Writes rows packed into `gray`
/// and the picture's size into `width` and `height`. CVS_ERR_DECODE for a corrupt or truncated frame.
cvs_status cvs_jpeg_decode_gray(const uint8_t *data, size_t size, int32_t reduction, uint8_t *gray,
                                size_t capacity, int32_t *width, int32_t *height, cvs_error *error);

/// Decodes a picture sent over the network (JPEG, PNG, or anything else OpenCV reads) to greyscale, scaled
/// down with area averaging so that neither side exceeds `max_side` (its aspect kept). Writes rows packed
/// into `gray` and the result's size into `width` and `height`; a caller that read the picture's size from
/// its header needs at most min(w * h, max_side * max_side) bytes. CVS_ERR_DECODE when the bytes are no
/// picture OpenCV decodes.
cvs_status cvs_image_decode_gray(const uint8_t *data, size_t size, int32_t max_side, uint8_t *gray,
                                 size_t capacity, int32_t *width, int32_t *height, cvs_error *error);

/// The same decoding in colour, for face matching (its network takes colour): packed B, G, R into `bgr`
/// (3 bytes a pixel) and the grey made from them (OpenCV's BGR-to-grey, as cvs_picture_load_colour makes
/// it) into `gray`, both scaled as cvs_image_decode_gray scales. `capacity` counts pixels: `bgr` holds
/// 3 * capacity bytes, `gray` capacity.
cvs_status cvs_image_decode_bgr(const uint8_t *data, size_t size, int32_t max_side, uint8_t *bgr, uint8_t *gray,
                                size_t capacity, int32_t *width, int32_t *height, cvs_error *error);

/// A video file being written (OpenCV's writer over FFmpeg): what tests upload as a browser's recording.
typedef struct cvs_video_writer cvs_video_writer;

/// Opens `path` for a video of `width` x `height` at `fps`, encoded as `fourcc` (e.g. "VP80" for a WebM like
/// a browser's MediaRecorder makes; the container follows the file's extension). NULL with `error` set when
/// FFmpeg cannot write it.
cvs_video_writer *cvs_video_writer_create(const char *path, const char *fourcc, double fps, int32_t width,
                                          int32_t height, cvs_error *error);
/// Appends one frame of packed BGR (width * height * 3 bytes).
cvs_status cvs_video_writer_write_bgr(cvs_video_writer *writer, const uint8_t *bgr, cvs_error *error);
/// Finishes the file and frees the writer.
void cvs_video_writer_destroy(cvs_video_writer *writer);

#ifdef __cplusplus
}
#endif

#endif
