#ifndef VR_CMPI_SHIM_H
#define VR_CMPI_SHIM_H
#include <mpi.h>

// Open MPI defines its handles as macros over the addresses of global objects, which Swift cannot import: these
// functions hand them over instead.

static inline MPI_Comm vr_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype vr_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype vr_mpi_uint8(void) { return MPI_UINT8_T; }
static inline MPI_Datatype vr_mpi_uint64(void) { return MPI_UINT64_T; }
static inline MPI_Op vr_mpi_sum(void) { return MPI_SUM; }
static inline void *vr_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Errhandler vr_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }

#endif
