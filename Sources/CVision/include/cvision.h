// CVision: the C face of gazetop's C++ vision code (dlib and OpenCV).
//
// Rules of this header (see docs/ARCHITECTURE.md):
// - every symbol starts with `cvs_`; handles are opaque and come in create/destroy pairs;
// - every call that can fail returns a cvs_status and fills a cvs_error; no C++ exception crosses it;
// - images cross as borrowed 8-bit greyscale views: the caller owns the pixels, CVision never keeps them.
#ifndef CVISION_H
#define CVISION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cvs_status {
    CVS_OK = 0,
    CVS_END = 1,            ///< a video has no more frames (not an error)
    CVS_ERR_ARGUMENT = 2,   ///< a caller mistake: null handle, bad size, buffer too small
    CVS_ERR_MODEL = 3,      ///< a model file is missing, unreadable or not the expected kind of model
    CVS_ERR_OPEN = 4,       ///< a file is missing, unreadable or not a format FFmpeg (videos) or OpenCV (images) decodes
    CVS_ERR_DECODE = 5,     ///< a file opened but a frame in it could not be decoded
    CVS_ERR_INTERNAL = 6,   ///< dlib or OpenCV threw something unexpected
} cvs_status;

/// Filled by any failing call: the status again, and a one-line message for people.
typedef struct cvs_error {
    cvs_status code;
    char message[256];
} cvs_error;

/// A borrowed view of 8-bit greyscale pixels, row-major; `stride` is bytes per row (>= width).
typedef struct cvs_image {
    const uint8_t *pixels;
    int32_t width;
    int32_t height;
    int32_t stride;
} cvs_image;

/// An axis-aligned box in full-frame pixels; `score` is the detector's confidence (higher is surer).
typedef struct cvs_rect {
    float x, y, width, height;
    float score;
} cvs_rect;

// MARK: - Faces: HOG detector and 68-point shape predictor

typedef struct cvs_face_model cvs_face_model;

/// Loads dlib's frontal HOG face detector and the 68-point shape predictor at `shape_predictor_path`.
/// Returns NULL with CVS_ERR_MODEL when the file is missing, truncated or not a 68-point model.
cvs_face_model *cvs_face_model_create(const char *shape_predictor_path, cvs_error *error);
void cvs_face_model_destroy(cvs_face_model *model);

/// Finds frontal faces on a copy of `image` scaled by `scale` (0 < scale <= 1; 1 means no copy), keeping
/// those whose detector score is at least `min_score` (dlib's own cut is 0; lower finds harder faces).
/// Writes up to `capacity` boxes, largest first, in full-frame coordinates, into `boxes`, and returns how
/// many faces were found (which may exceed `capacity`), or -1 on error.
int32_t cvs_detect_faces(cvs_face_model *model, cvs_image image, float scale, float min_score,
                         cvs_rect *boxes, int32_t capacity, cvs_error *error);

/// The same detector, looking only for faces whose detection window is centred inside `centres` and is
/// between `min_width` and `max_width` wide (full-frame pixels): for re-detecting a followed face. For that
/// face it answers exactly what cvs_detect_faces answers (the same box and score: dlib's features and
/// pyramid, computed on part of each level, see face_search.hpp), at a fraction of the cost when the face
/// is small in the picture. Faces elsewhere are not looked for.
int32_t cvs_detect_faces_near(cvs_face_model *model, cvs_image image, float scale, float min_score, cvs_rect centres,
                              float min_width, float max_width, cvs_rect *boxes, int32_t capacity, cvs_error *error);

/// A face detector alone (no landmark model), so detection can run on a queue of its own while the
/// landmark model works on the next frames. Same detector and same results as cvs_detect_faces.
typedef struct cvs_face_detector cvs_face_detector;
cvs_face_detector *cvs_face_detector_create(cvs_error *error);
void cvs_face_detector_destroy(cvs_face_detector *detector);
int32_t cvs_face_detector_run(cvs_face_detector *detector, cvs_image image, float scale, float min_score,
                              cvs_rect *boxes, int32_t capacity, cvs_error *error);
int32_t cvs_face_detector_run_near(cvs_face_detector *detector, cvs_image image, float scale, float min_score,
                                   cvs_rect centres, float min_width, float max_width, cvs_rect *boxes,
                                   int32_t capacity, cvs_error *error);

/// Fits the 68 landmarks (iBUG order) inside `box`; writes x0, y0, x1, y1, ... into `points_xy` (136 floats).
cvs_status cvs_fit_landmarks(cvs_face_model *model, cvs_image image, cvs_rect box, float *points_xy,
                             cvs_error *error);

/// A borrowed view of packed 8-bit colour pixels, 3 bytes a pixel in B, G, R order (as OpenCV and the
/// video decoder give them), row-major; `stride` is bytes per row (>= 3 * width).
typedef struct cvs_bgr_image {
    const uint8_t *pixels;
    int32_t width;
    int32_t height;
    int32_t stride;
} cvs_bgr_image;

// MARK: - Face descriptors: dlib's face-recognition ResNet

/// Length of a face descriptor: two faces are the same person when the Euclidean distance between their
/// descriptors is small (dlib's own cut is 0.6).
#define CVS_DESCRIPTOR_LENGTH 128

typedef struct cvs_face_encoder cvs_face_encoder;

/// Loads dlib's 5-point landmark model (which aligns the face) and its face-recognition ResNet. Returns NULL
/// with CVS_ERR_MODEL when either file is missing, corrupt, or not that kind of model.
cvs_face_encoder *cvs_face_encoder_create(const char *shape_predictor_5_path, const char *network_path,
                                          cvs_error *error);
void cvs_face_encoder_destroy(cvs_face_encoder *encoder);

/// The 128-number descriptor of the face in `box` (a detector's box), computed as dlib's own
/// compute_face_descriptor does: the 5 landmarks fitted on the colour picture, the 150x150 face chip they
/// align (padding 0.25), one pass of the network. Writes CVS_DESCRIPTOR_LENGTH floats into `descriptor`
/// and, if `points_xy` is not NULL, the 5 landmarks (10 floats: x0, y0, ...).
cvs_status cvs_face_descriptor(cvs_face_encoder *encoder, cvs_bgr_image image, cvs_rect box, float *descriptor,
                               float *points_xy, cvs_error *error);

// MARK: - Eyes: what the eye patch itself shows

/// Side of the canonical eye patch: the eye is resampled so that its corners sit at fixed places,
/// which makes every measure below independent of face size and head roll.
#define CVS_EYE_PATCH_WIDTH 48
#define CVS_EYE_PATCH_HEIGHT 28

typedef struct cvs_eye_measure {
    /// Pupil (iris) centre in full-frame pixels: see iris_centre.hpp.
    float pupil_x, pupil_y;
    /// How clearly a dark iris stands out from the skin around it, 0 (not at all) to 1.
    float pupil_contrast;
    /// Height of the dark iris column that is visible, as a fraction of the eye's corner-to-corner width:
    /// about 0.3-0.45 for an open eye, near 0 when the lid covers the iris.
    float iris_height;
    /// Mean grey level (0-255) of the whole eye patch, for exposure warnings.
    float mean_level;
} cvs_eye_measure;

/// Measures one eye from its six landmarks (`eye_xy` = 12 floats in iBUG order: the corners are points 0
/// and 3, left to right in the image, points 1-2 the upper lid and 4-5 the lower lid, for either eye).
cvs_status cvs_measure_eye(cvs_image image, const float *eye_xy, cvs_eye_measure *out, cvs_error *error);

// MARK: - Head pose

typedef struct cvs_head_pose {
    float yaw_deg;    ///< positive: the face turns to its own left (towards the image's right)
    float pitch_deg;  ///< positive: the face tilts up
    float roll_deg;   ///< positive: the head leans towards the image's right (clockwise on screen)
} cvs_head_pose;

/// The solver's state between frames of one face: rotation and translation vectors. A state with
/// `valid` = 0 makes the solver start from scratch. `refined` (set by the solver) says how the last pose
/// was found: 1 refined from the state, 0 solved from scratch.
typedef struct cvs_pose_state {
    double rotation[3];
    double translation[3];
    int32_t valid;
    int32_t refined;
} cvs_pose_state;

/// Estimates head pose from the 68 landmarks: the least-squares pose of a generic 3D face, assuming a
/// camera whose focal length equals the image width and whose principal point is the image centre. `state`
/// (may be NULL) carries the last solution of the same face: refined from it (run to the minimum, so the
/// answer does not depend on where it started) it takes a fraction of a solve from scratch (solvePnP).
cvs_status cvs_estimate_head_pose(const float *points_xy, int32_t image_width, int32_t image_height,
                                  cvs_pose_state *state, cvs_head_pose *out, cvs_error *error);

// MARK: - Decoding files

typedef struct cvs_video cvs_video;

typedef struct cvs_video_info {
    int32_t width;
    int32_t height;
    double fps;            ///< the container's nominal rate; 0 when it does not say
    int64_t frame_count;   ///< the container's frame count; 0 when it does not say
    int32_t one_pass_grey; ///< 1 once frames are made grey in one pass (the same bytes; see video.cpp)
    int32_t ended_early;   ///< 1 once cvs_video_read returned CVS_END before the stream's end: the file
                           ///< stopped with a read error, or gave fewer frames than its index lists
                           ///< (a file cut short, or damaged)
} cvs_video_info;

/// Opens a video file with FFmpeg's libraries. CVS_ERR_OPEN if it is missing or not a video.
/// `decoder_threads`: threads the codec may use (0: as many as FFmpeg likes; 1: decode on the caller's
/// thread only, the least work in all).
cvs_video *cvs_video_open(const char *path, int32_t decoder_threads, cvs_error *error);
void cvs_video_destroy(cvs_video *video);
cvs_video_info cvs_video_get_info(const cvs_video *video);

/// Decodes the next frame as greyscale into `gray` (width * height bytes) and, if `bgr` is not NULL, as
/// packed BGR into `bgr` (width * height * 3 bytes). `timestamp_ms` gets the frame's stream time.
/// Returns CVS_END after the last frame.
cvs_status cvs_video_read(cvs_video *video, uint8_t *gray, uint8_t *bgr, size_t gray_capacity,
                          double *timestamp_ms, cvs_error *error);

typedef struct cvs_picture cvs_picture;

/// Decodes an image file (JPEG, PNG, ...) to greyscale. CVS_ERR_OPEN if it is missing or not an image.
cvs_picture *cvs_picture_load_gray(const char *path, cvs_error *error);
void cvs_picture_destroy(cvs_picture *picture);
/// Decodes an image file in colour, keeping its greyscale (OpenCV's conversion of those colours) beside it.
cvs_picture *cvs_picture_load_colour(const char *path, cvs_error *error);
/// The decoded pixels; valid until cvs_picture_destroy.
cvs_image cvs_picture_view(const cvs_picture *picture);
/// The colour pixels of a picture from cvs_picture_load_colour (pixels NULL for one loaded grey).
cvs_bgr_image cvs_picture_bgr_view(const cvs_picture *picture);

// MARK: - Build

/// The instruction set CVision (dlib's templates included) was compiled for, from the compiler's own
/// macros: "x86-64-v2", "x86-64-v3", "x86-64-v4" (the psABI's levels), "x86-64" (the base), or the
/// architecture's name elsewhere. A static string.
const char *cvs_instruction_set(void);

/// How CVision uses the BLAS the system loaded (libblas.so.3) when several threads do vision at once.
typedef enum cvs_blas_mode {
    CVS_BLAS_THREAD_SAFE = 0, ///< OpenBLAS built for threads (pthread or OpenMP), asked for one thread per call
    CVS_BLAS_SERIALISED = 1,  ///< OpenBLAS's serial build, which has no locks: BLAS work takes one lock
    CVS_BLAS_OTHER = 2,       ///< not OpenBLAS (the reference BLAS keeps no shared state): used as it is
} cvs_blas_mode;

/// Which of the above applies; looked up once, on first use.
cvs_blas_mode cvs_blas_mode_in_use(void);

#ifdef __cplusplus
}
#endif

#endif
