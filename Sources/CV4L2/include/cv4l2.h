// CV4L2: libv4l2 and linux/videodev2.h for Swift. Variadic calls and VIDIOC_* macros become plain
// functions and constants here (filled in by the live-capture work).
#ifndef CV4L2_H
#define CV4L2_H
#include <linux/videodev2.h>
#endif
