#ifndef VR_CZEROMQ_SHIM_H
#define VR_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
