// Shim over the system OpenSSL 3 headers. Function-like macros do not import into Swift;
// the static inline wrappers below stand in for the ones Sluis uses.
#ifndef SLUIS_COPENSSL_SHIM_H
#define SLUIS_COPENSSL_SHIM_H

#include <openssl/opensslv.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/// OPENSSL_VERSION_NUMBER the headers were compiled against.
static inline unsigned long sluis_openssl_header_version_number(void) {
    return OPENSSL_VERSION_NUMBER;
}

/// OPENSSL_free is a macro over CRYPTO_free.
static inline void sluis_openssl_free(void *ptr) {
    OPENSSL_free(ptr);
}

#endif
