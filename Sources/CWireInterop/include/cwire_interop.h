#ifndef CWIRE_INTEROP_H
#define CWIRE_INTEROP_H
int cwire_interop_placeholder(void);
#endif
