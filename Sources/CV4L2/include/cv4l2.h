// CV4L2: libv4l2 and linux/videodev2.h for Swift. Variadic calls and VIDIOC_* macros become plain
// functions and constants here, because Swift imports neither variadic C functions nor macros that expand
// to expressions (_IOWR, v4l2_fourcc). Every value comes from the system headers: no ABI number is typed in.
#ifndef CV4L2_H
#define CV4L2_H

#include <linux/videodev2.h>
#include <stddef.h>
#include <sys/types.h>

// MARK: - libv4l2 calls (bodies in shim.c)

/// v4l2_open is variadic (the mode argument of open(2)); capture never creates files, so no mode. A node
/// that does not answer VIDIOC_QUERYCAP fails with ENOTTY before libv4l2 sees it (which would print to
/// stderr).
int cv4l2_open(const char *path, int flags);
int cv4l2_close(int fd);
/// v4l2_ioctl is variadic; every V4L2 request takes one pointer argument.
int cv4l2_ioctl(int fd, unsigned long request, void *argument);
/// Maps a driver buffer shared and read-write, as V4L2 streaming I/O requires; NULL on failure (not
/// MAP_FAILED, which Swift cannot compare against), errno set.
void *cv4l2_mmap(int fd, size_t length, long offset);
int cv4l2_munmap(void *address, size_t length);

// MARK: - Requests: _IOR/_IOWR expressions Swift cannot import

static const unsigned long cv4l2_VIDIOC_QUERYCAP = VIDIOC_QUERYCAP;
static const unsigned long cv4l2_VIDIOC_ENUM_FMT = VIDIOC_ENUM_FMT;
static const unsigned long cv4l2_VIDIOC_ENUM_FRAMESIZES = VIDIOC_ENUM_FRAMESIZES;
static const unsigned long cv4l2_VIDIOC_ENUM_FRAMEINTERVALS = VIDIOC_ENUM_FRAMEINTERVALS;
static const unsigned long cv4l2_VIDIOC_G_FMT = VIDIOC_G_FMT;
static const unsigned long cv4l2_VIDIOC_S_FMT = VIDIOC_S_FMT;
static const unsigned long cv4l2_VIDIOC_G_PARM = VIDIOC_G_PARM;
static const unsigned long cv4l2_VIDIOC_S_PARM = VIDIOC_S_PARM;
static const unsigned long cv4l2_VIDIOC_REQBUFS = VIDIOC_REQBUFS;
static const unsigned long cv4l2_VIDIOC_QUERYBUF = VIDIOC_QUERYBUF;
static const unsigned long cv4l2_VIDIOC_QBUF = VIDIOC_QBUF;
static const unsigned long cv4l2_VIDIOC_DQBUF = VIDIOC_DQBUF;
static const unsigned long cv4l2_VIDIOC_STREAMON = VIDIOC_STREAMON;
static const unsigned long cv4l2_VIDIOC_STREAMOFF = VIDIOC_STREAMOFF;

// MARK: - Pixel formats: v4l2_fourcc() expressions Swift cannot import

static const unsigned int cv4l2_PIX_FMT_GREY = V4L2_PIX_FMT_GREY;
static const unsigned int cv4l2_PIX_FMT_YUYV = V4L2_PIX_FMT_YUYV;
static const unsigned int cv4l2_PIX_FMT_MJPEG = V4L2_PIX_FMT_MJPEG;
static const unsigned int cv4l2_PIX_FMT_JPEG = V4L2_PIX_FMT_JPEG;
static const unsigned int cv4l2_PIX_FMT_H264 = V4L2_PIX_FMT_H264;

#endif
