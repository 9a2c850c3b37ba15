#ifndef SLUIS_HEAP_STATS_H
#define SLUIS_HEAP_STATS_H
#include <stddef.h>

/// Bytes the C allocator has handed out and not taken back (heap and mmapped chunks, all
/// arenas). Swift does not import glibc's mallinfo2; the leak check of the bundle fuzz test
/// needs it because the process's resident size also grows with the suites running beside it.
size_t sluis_heap_in_use(void);

#endif
