// CVision: video files decoded with FFmpeg's libraries (libavformat, libavcodec, libswscale), behind
// include/cvision.h.
//
// OpenCV's VideoCapture (4.6, Debian 12) wraps the same libraries but lets its caller choose neither the
// decoder's threads nor the output, and copies every converted picture once more. Here each picture's grey
// levels are exactly those VideoCapture and cv::cvtColor made (libswscale to BGR with its flags, then
// OpenCV's grey), so every result measured on them stays what it was; for 4:2:0 video, the usual case,
// they are computed in one pass when that pass gives the same bytes (grey_from_yuv.hpp).
// Every entry point catches everything: no C++ exception may unwind into Swift.
#include "cvision.h"
#include "grey_from_yuv.hpp"
#include "guard.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace {

using cvs_detail::clear;
using cvs_detail::fail;

template <typename Body> cvs_status guarded(cvs_error *error, Body body) {
    return cvs_detail::guarded(error, "video", body);
}

/// A run of undecodable packets longer than this is a broken file, not a damaged frame to skip.
constexpr int kMaxConsecutiveBadPackets = 64;

} // namespace

struct cvs_video {
    AVFormatContext *format = nullptr;
    AVCodecContext *codec = nullptr;
    AVPacket *packet = nullptr;
    AVFrame *picture = nullptr;
    SwsContext *to_bgr = nullptr;
    int stream = -1;
    /// Quarter turns clockwise that make the picture upright (the container's display matrix).
    int quarter_turns = 0;
    bool draining = false;
    bool ended = false;      // CVS_END returned
    int read_error = 0;      // the demuxer's first error other than the end of the file
    int64_t index_frames = 0; // frames the container's index lists (exact in MP4/MOV), 0 if it has none
    cvs_video_info info{};
    double last_ms = -1;
    int64_t index = 0;
    std::vector<uint8_t> upright; // scratch for rotated pictures
    std::vector<uint8_t> colour;  // scratch for the colour picture the grey one is made from
    std::unique_ptr<cvs_detail::GreyFromYuv420> fast_grey; // when it matches the long way here
    bool fast_grey_tried = false;

    ~cvs_video() {
        sws_freeContext(to_bgr);
        av_frame_free(&picture);
        av_packet_free(&packet);
        avcodec_free_context(&codec);
        avformat_close_input(&format);
    }

    /// The next decoded picture in `picture`; false at the end. Throws nothing; a broken stream is
    /// reported through `error`.
    cvs_status next_picture(cvs_error *error) {
        int bad = 0;
        while (true) {
            const int received = avcodec_receive_frame(codec, picture);
            if (received == 0) return CVS_OK;
            if (received == AVERROR_EOF) return CVS_END;
            if (received != AVERROR(EAGAIN)) {
                // A damaged picture: skip it as OpenCV did, unless nothing decodes any more.
                if (++bad > kMaxConsecutiveBadPackets) return broken(error);
                continue;
            }
            if (draining) return CVS_END;
            const int read = av_read_frame(format, packet);
            if (read < 0) { // the end of the file (or of what is readable): flush the decoder
                if (read != AVERROR_EOF && read_error == 0) read_error = read;
                draining = true;
                avcodec_send_packet(codec, nullptr);
                continue;
            }
            if (packet->stream_index == stream && avcodec_send_packet(codec, packet) < 0 &&
                ++bad > kMaxConsecutiveBadPackets) {
                av_packet_unref(packet);
                return broken(error);
            }
            av_packet_unref(packet);
        }
    }

    cvs_status broken(cvs_error *error) {
        fail(error, CVS_ERR_DECODE, "the video stream could not be decoded any further");
        return CVS_ERR_DECODE;
    }

    /// Sets up the one-pass grey conversion if, for pictures of this format and size, it gives exactly what
    /// libswscale and cv::cvtColor give on this machine. Tried once per video, on a picture of random
    /// samples rather than the video's first frame (which may be black, where every rounding agrees).
    void try_fast_grey(AVPixelFormat format, int width, int height) {
        fast_grey_tried = true;
        if (format != AV_PIX_FMT_YUV420P && format != AV_PIX_FMT_YUVJ420P) return;
        const int chroma_width = (width + 1) / 2, chroma_height = (height + 1) / 2;
        std::vector<uint8_t> planes[3] = {std::vector<uint8_t>(static_cast<size_t>(width) * height),
                                          std::vector<uint8_t>(static_cast<size_t>(chroma_width) * chroma_height),
                                          std::vector<uint8_t>(static_cast<size_t>(chroma_width) * chroma_height)};
        uint32_t state = 2463534242u; // xorshift32: the same probe on every run
        for (auto &plane : planes) {
            for (uint8_t &sample : plane) {
                state ^= state << 13, state ^= state >> 17, state ^= state << 5;
                sample = static_cast<uint8_t>(state >> 24);
            }
        }
        const uint8_t *data[4] = {planes[0].data(), planes[1].data(), planes[2].data(), nullptr};
        const int strides[4] = {width, chroma_width, chroma_width, 0};
        const size_t pixels = static_cast<size_t>(width) * height;
        std::vector<uint8_t> expected(pixels), got(pixels);
        if (!two_pass_grey(data, strides, format, width, height, expected.data(), nullptr)) return;
        auto candidate = std::make_unique<cvs_detail::GreyFromYuv420>(format == AV_PIX_FMT_YUVJ420P);
        candidate->convert(data, strides, width, height, got.data());
        if (expected == got) fast_grey = std::move(candidate);
    }

    /// libswscale's BGR (as OpenCV's VideoCapture asked for it), then cv::cvtColor's grey, into `grey`;
    /// the colour picture goes to `bgr` if given. False when libswscale cannot convert this format.
    bool two_pass_grey(const uint8_t *const data[4], const int strides[4], AVPixelFormat format, int width,
                       int height, uint8_t *grey, uint8_t *bgr) {
        to_bgr = sws_getCachedContext(to_bgr, width, height, format, width, height, AV_PIX_FMT_BGR24, SWS_BICUBIC,
                                      nullptr, nullptr, nullptr);
        if (!to_bgr) return false;
        if (!bgr) {
            colour.resize(static_cast<size_t>(width) * height * 3);
            bgr = colour.data();
        }
        uint8_t *planes[4] = {bgr, nullptr, nullptr, nullptr};
        int colour_strides[4] = {width * 3, 0, 0, 0};
        sws_scale(to_bgr, data, strides, 0, height, planes, colour_strides);
        cv::Mat out(height, width, CV_8UC1, grey);
        cv::cvtColor(cv::Mat(height, width, CV_8UC3, bgr), out, cv::COLOR_BGR2GRAY);
        return true;
    }

    /// Stream time of `picture` in milliseconds from the stream's start, or NaN if it has none.
    double picture_ms() const {
        const AVStream *s = format->streams[stream];
        const int64_t pts = picture->best_effort_timestamp;
        if (pts == AV_NOPTS_VALUE) return NAN;
        const int64_t start = s->start_time == AV_NOPTS_VALUE ? 0 : s->start_time;
        return static_cast<double>(pts - start) * av_q2d(s->time_base) * 1000.0;
    }
};

/// Why FFmpeg could not open `path`, as the end of a sentence. An MP4/MOV file (it starts with an `ftyp`
/// box) that does not open has lost its index, which such files often keep at the end: cut short, or
/// still being written.
static std::string open_failure(const char *path, int code) {
    unsigned char head[8] = {};
    if (FILE *file = std::fopen(path, "rb")) {
        const size_t n = std::fread(head, 1, sizeof head, file);
        std::fclose(file);
        if (n == sizeof head && std::memcmp(head + 4, "ftyp", 4) == 0) {
            return ": an MP4/MOV file whose index (its moov box) is missing: cut short, or still being written";
        }
    }
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return std::string(": not a video FFmpeg can read (") + text + ")";
}

cvs_video *cvs_video_open(const char *path, int32_t decoder_threads, cvs_error *error) {
    clear(error);
    av_log_set_level(AV_LOG_QUIET); // FFmpeg's own messages would land under the dashboard
    cvs_video *video = nullptr;
    guarded(error, [&] {
        if (!path) {
            fail(error, CVS_ERR_ARGUMENT, "no video path given");
            return CVS_ERR_ARGUMENT;
        }
        auto cannot = [&](const char *why) {
            fail(error, CVS_ERR_OPEN, std::string("cannot read video ") + path + why);
            return CVS_ERR_OPEN;
        };
        auto *v = new cvs_video();
        std::unique_ptr<cvs_video> owner(v);
        if (const int code = avformat_open_input(&v->format, path, nullptr, nullptr); code < 0) {
            v->format = nullptr;
            return cannot(open_failure(path, code).c_str());
        }
        if (const int code = avformat_find_stream_info(v->format, nullptr); code < 0) {
            return cannot(open_failure(path, code).c_str());
        }
        const AVCodec *decoder = nullptr;
        v->stream = av_find_best_stream(v->format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
        if (v->stream < 0 || !decoder) return cannot(": no video stream it can decode");
        AVStream *s = v->format->streams[v->stream];
        v->codec = avcodec_alloc_context3(decoder);
        if (!v->codec || avcodec_parameters_to_context(v->codec, s->codecpar) < 0) return cannot("");
        v->codec->thread_count = std::max(0, decoder_threads);
        if (avcodec_open2(v->codec, decoder, nullptr) < 0) return cannot(": its codec would not open");
        v->packet = av_packet_alloc();
        v->picture = av_frame_alloc();
        if (!v->packet || !v->picture) return cannot(": out of memory");

        if (const uint8_t *matrix = av_stream_get_side_data(s, AV_PKT_DATA_DISPLAYMATRIX, nullptr)) {
            const double degrees = av_display_rotation_get(reinterpret_cast<const int32_t *>(matrix));
            // av_display_rotation_get answers counterclockwise; a picture shown turned -90 is upright
            // after one quarter turn clockwise.
            if (std::isfinite(degrees)) v->quarter_turns = ((static_cast<int>(std::lround(-degrees / 90)) % 4) + 4) % 4;
        }
        const bool sideways = v->quarter_turns % 2 == 1;
        v->info.width = sideways ? s->codecpar->height : s->codecpar->width;
        v->info.height = sideways ? s->codecpar->width : s->codecpar->height;
        const AVRational rate = av_guess_frame_rate(v->format, s, nullptr);
        v->info.fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
        if (s->nb_frames > 0) {
            v->info.frame_count = s->nb_frames;
            v->index_frames = s->nb_frames;
        } else if (v->format->duration > 0 && v->info.fps > 0) {
            v->info.frame_count = static_cast<int64_t>(std::floor(
                static_cast<double>(v->format->duration) / AV_TIME_BASE * v->info.fps + 0.5));
        }
        if (v->info.width <= 0 || v->info.height <= 0) return cannot(": no picture size");
        video = owner.release();
        return CVS_OK;
    });
    return video;
}

void cvs_video_destroy(cvs_video *video) { delete video; }

cvs_video_info cvs_video_get_info(const cvs_video *video) {
    if (!video) return cvs_video_info{};
    cvs_video_info info = video->info;
    info.one_pass_grey = video->fast_grey != nullptr;
    info.ended_early = video->ended && (video->read_error != 0 ||
                                        (video->index_frames > 0 && video->index < video->index_frames));
    return info;
}

cvs_status cvs_video_read(cvs_video *video, uint8_t *gray, uint8_t *bgr, size_t gray_capacity,
                          double *timestamp_ms, cvs_error *error) {
    clear(error);
    if (!video || !gray) {
        fail(error, CVS_ERR_ARGUMENT, "cvs_video_read: bad arguments");
        return CVS_ERR_ARGUMENT;
    }
    return guarded(error, [&] {
        const cvs_status status = video->next_picture(error);
        if (status == CVS_END) video->ended = true;
        if (status != CVS_OK) return status;
        const AVFrame *p = video->picture;
        const int width = p->width, height = p->height;
        const bool sideways = video->quarter_turns % 2 == 1;
        const int out_width = sideways ? height : width, out_height = sideways ? width : height;
        if (out_width != video->info.width || out_height != video->info.height ||
            gray_capacity < static_cast<size_t>(width) * height) {
            fail(error, CVS_ERR_DECODE, "a frame changed size mid-stream");
            return CVS_ERR_DECODE;
        }
        const auto format = static_cast<AVPixelFormat>(p->format);
        const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(format);
        // Pictures needing a turn are decoded into scratch first, then turned into the caller's buffers.
        const size_t pixels = static_cast<size_t>(width) * height;
        if (video->quarter_turns) video->upright.resize(pixels * (bgr ? 4 : 1));
        uint8_t *gray_out = video->quarter_turns ? video->upright.data() : gray;
        uint8_t *bgr_out = video->quarter_turns ? video->upright.data() + pixels : bgr;

        // The grey picture gazetop's accuracy was measured on: libswscale's BGR then cv::cvtColor's grey,
        // or the same bytes in one pass (grey_from_yuv.hpp).
        if (!video->fast_grey_tried && !bgr_out) video->try_fast_grey(format, width, height);
        if (video->fast_grey && !bgr_out) {
            const int strides[3] = {p->linesize[0], p->linesize[1], p->linesize[2]};
            video->fast_grey->convert(p->data, strides, width, height, gray_out);
        } else if (!video->two_pass_grey(p->data, p->linesize, format, width, height, gray_out, bgr_out)) {
            fail(error, CVS_ERR_DECODE, std::string("unsupported picture format ") + (desc ? desc->name : "?"));
            return CVS_ERR_DECODE;
        }
        if (video->quarter_turns) {
            const int code = video->quarter_turns == 1 ? cv::ROTATE_90_CLOCKWISE
                             : video->quarter_turns == 2 ? cv::ROTATE_180 : cv::ROTATE_90_COUNTERCLOCKWISE;
            cv::Mat out_gray(out_height, out_width, CV_8UC1, gray);
            cv::rotate(cv::Mat(height, width, CV_8UC1, gray_out), out_gray, code);
            if (bgr) {
                cv::Mat out_bgr(out_height, out_width, CV_8UC3, bgr);
                cv::rotate(cv::Mat(height, width, CV_8UC3, bgr_out), out_bgr, code);
            }
        }

        // The container's clock where it is sane, else the nominal rate: stream time must only grow.
        const double step = video->info.fps > 0 ? 1000.0 / video->info.fps : 33.333;
        double ms = video->picture_ms();
        if (!(ms > video->last_ms) || !std::isfinite(ms)) ms = video->last_ms < 0 ? 0 : video->last_ms + step;
        if (video->index == 0) ms = 0;
        video->last_ms = ms;
        ++video->index;
        if (timestamp_ms) *timestamp_ms = ms;
        return CVS_OK;
    });
}
