#ifndef GOVMEDIA_CZLIB_SHIM_H
#define GOVMEDIA_CZLIB_SHIM_H
// zlib compresses stored evidence bodies; compress2/uncompress are plain functions,
// so no wrappers are needed beyond the header.
#include <zlib.h>
#endif
