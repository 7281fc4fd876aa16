#ifndef GEO_CGEOS_SHIM_H
#define GEO_CGEOS_SHIM_H

// Hide GEOS's global-context functions: every call must go through a
// GEOSContextHandle_t owned by one worker (the *_r API).
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#if GEOS_VERSION_MAJOR < 3 || (GEOS_VERSION_MAJOR == 3 && GEOS_VERSION_MINOR < 11)
#error "geo needs GEOS 3.11 or newer (Debian 12 ships 3.11.1)"
#endif

#endif
