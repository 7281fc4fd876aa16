#ifndef GEO_CPROJ_SHIM_H
#define GEO_CPROJ_SHIM_H

#include <math.h>
#include <proj.h>
#include <geodesic.h>

#if PROJ_VERSION_MAJOR < 8
#error "geo needs PROJ 8 or newer (Debian 12 ships 9.1.1)"
#endif

// Swift cannot spell HUGE_VAL; PROJ returns it for failed coordinates.
static inline double geo_proj_huge_val(void) { return HUGE_VAL; }

#endif
