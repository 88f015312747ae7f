// Bodies of the wrappers declared in include/cv4l2.h: each forwards to libv4l2, which converts formats
// the camera offers natively into ones applications ask for, and otherwise passes calls to the kernel.
#include "cv4l2.h"

#include <libv4l2.h>
#include <sys/mman.h>

int cv4l2_open(const char *path, int flags) { return v4l2_open(path, flags); }

int cv4l2_close(int fd) { return v4l2_close(fd); }

int cv4l2_ioctl(int fd, unsigned long request, void *argument) { return v4l2_ioctl(fd, request, argument); }

void *cv4l2_mmap(int fd, size_t length, long offset) {
    void *address = v4l2_mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (int64_t)offset);
    return address == MAP_FAILED ? NULL : address;
}

int cv4l2_munmap(void *address, size_t length) { return v4l2_munmap(address, length); }
