#include "cwire_interop.h"
int cwire_interop_placeholder(void) { return 0; }
