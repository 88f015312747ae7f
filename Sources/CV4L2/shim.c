// Bodies of the wrappers declared in include/cv4l2.h.
#include "cv4l2.h"
