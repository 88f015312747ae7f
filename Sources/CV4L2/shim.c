// Bodies of the wrappers declared in include/cv4l2.h: each forwards to libv4l2, which converts formats
// the camera offers natively into ones applications ask for, and otherwise passes calls to the kernel.
#include "cv4l2.h"

#include <errno.h>
#include <fcntl.h>
#include <libv4l2.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

// v4l2_open prints its own lines to stderr ("libv4l2: error getting capabilities: ...") when the node is
// no V4L2 device (/dev/null, a file): the node is asked who it is with a plain ioctl first, so gazetop's
// one line is the only one, and libv4l2 wraps only a descriptor that answers.
int cv4l2_open(const char *path, int flags) {
    int fd = open(path, flags);
    if (fd < 0) return -1;
    struct v4l2_capability capability;
    int answered;
    do {
        answered = ioctl(fd, VIDIOC_QUERYCAP, &capability);
    } while (answered < 0 && errno == EINTR);
    if (answered < 0) {
        // A device that does not know V4L2's first question (EINVAL from some drivers) is no V4L2 device.
        int saved = errno == EINVAL ? ENOTTY : errno;
        close(fd);
        errno = saved;
        return -1;
    }
    if (v4l2_fd_open(fd, 0) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int cv4l2_close(int fd) { return v4l2_close(fd); }

int cv4l2_ioctl(int fd, unsigned long request, void *argument) { return v4l2_ioctl(fd, request, argument); }

void *cv4l2_mmap(int fd, size_t length, long offset) {
    void *address = v4l2_mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (int64_t)offset);
    return address == MAP_FAILED ? NULL : address;
}

int cv4l2_munmap(void *address, size_t length) { return v4l2_munmap(address, length); }
