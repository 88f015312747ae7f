// CVision: video files written with OpenCV's writer over FFmpeg, behind include/cvision_codec.h. Only tests
// write videos (a recording to upload); every entry point catches everything.
#include "cvision_codec.h"

#include <string>

#include "guard.hpp"

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

using cvs_detail::clear;
using cvs_detail::fail;
using cvs_detail::guarded;

struct cvs_video_writer {
    cv::VideoWriter writer;
    int width = 0;
    int height = 0;
};

extern "C" {

cvs_video_writer *cvs_video_writer_create(const char *path, const char *fourcc, double fps, int32_t width,
                                          int32_t height, cvs_error *error) {
    clear(error);
    if (!path || !fourcc || std::string(fourcc).size() != 4 || fps <= 0 || width <= 0 || height <= 0) {
        fail(error, CVS_ERR_ARGUMENT, "cvs_video_writer_create: bad arguments");
        return nullptr;
    }
    cvs_video_writer *made = nullptr;
    guarded(error, "cvs_video_writer_create", [&] {
        auto w = new cvs_video_writer();
        w->width = width;
        w->height = height;
        const int code = cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]);
        if (!w->writer.open(path, cv::CAP_FFMPEG, code, fps, cv::Size(width, height))) {
            delete w;
            fail(error, CVS_ERR_OPEN, std::string("cvs_video_writer_create: FFmpeg cannot write ") + fourcc + " to " + path);
            return CVS_ERR_OPEN;
        }
        made = w;
        return CVS_OK;
    });
    return made;
}

cvs_status cvs_video_writer_write_bgr(cvs_video_writer *writer, const uint8_t *bgr, cvs_error *error) {
    clear(error);
    if (!writer || !bgr) {
        fail(error, CVS_ERR_ARGUMENT, "cvs_video_writer_write_bgr: bad arguments");
        return CVS_ERR_ARGUMENT;
    }
    return guarded(error, "cvs_video_writer_write_bgr", [&] {
        cv::Mat frame(writer->height, writer->width, CV_8UC3, const_cast<uint8_t *>(bgr));
        writer->writer.write(frame);
        return CVS_OK;
    });
}

void cvs_video_writer_destroy(cvs_video_writer *writer) {
    try {
        delete writer; // releases the writer: the file is finished
    } catch (...) {
    }
}

} // extern "C"
