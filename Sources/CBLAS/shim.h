#ifndef VR_CBLAS_SHIM_H
#define VR_CBLAS_SHIM_H
#include <cblas.h>
#endif
