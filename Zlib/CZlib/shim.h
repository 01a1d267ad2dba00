// The system zlib (zlib1g-dev), for gzip on the wire.
#include <zlib.h>
