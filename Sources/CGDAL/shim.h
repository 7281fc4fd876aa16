#ifndef GEO_CGDAL_SHIM_H
#define GEO_CGDAL_SHIM_H

// GDAL's C API only: raster-free vector I/O (GeoPackage, FlatGeobuf, Shapefile).
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_conv.h>

#if GDAL_VERSION_NUM < GDAL_COMPUTE_VERSION(3, 4, 0)
#error "geo needs GDAL 3.4 or newer (Debian 12 ships 3.6.2)"
#endif

#endif
