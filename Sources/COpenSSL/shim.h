// Shim over the system OpenSSL 3 headers. Function-like macros and variadic functions do not
// import into Swift; the static inline wrappers below stand in for the ones Sluis uses.
#ifndef SLUIS_COPENSSL_SHIM_H
#define SLUIS_COPENSSL_SHIM_H

#include <openssl/opensslv.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/cms.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/objects.h>

/// OPENSSL_VERSION_NUMBER the headers were compiled against.
static inline unsigned long sluis_openssl_header_version_number(void) {
    return OPENSSL_VERSION_NUMBER;
}

/// OPENSSL_free is a macro over CRYPTO_free.
static inline void sluis_openssl_free(void *ptr) {
    OPENSSL_free(ptr);
}

/// BIO_get_mem_data is a macro over BIO_ctrl.
static inline long sluis_bio_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

/// XN_FLAG_RFC2253 is a composite macro.
static inline unsigned long sluis_xn_flag_rfc2253(void) {
    return XN_FLAG_RFC2253;
}

/// X509V3_set_ctx_nodb is a macro.
static inline void sluis_x509v3_set_ctx_nodb(X509V3_CTX *ctx) {
    X509V3_set_ctx_nodb(ctx);
}

/// The typed stack macros, for the three stack types Sluis reads.
static inline int sluis_sk_x509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
static inline X509 *sluis_sk_x509_value(const STACK_OF(X509) *stack, int i) { return sk_X509_value(stack, i); }
static inline void sluis_sk_x509_free(STACK_OF(X509) *stack) { sk_X509_free(stack); }
static inline STACK_OF(X509) *sluis_sk_x509_new_null(void) { return sk_X509_new_null(); }
static inline int sluis_sk_x509_push(STACK_OF(X509) *stack, X509 *cert) { return sk_X509_push(stack, cert); }
static inline void sluis_sk_x509_pop_free(STACK_OF(X509) *stack) { sk_X509_pop_free(stack, X509_free); }
static inline int sluis_sk_ri_num(const STACK_OF(CMS_RecipientInfo) *stack) { return sk_CMS_RecipientInfo_num(stack); }
static inline CMS_RecipientInfo *sluis_sk_ri_value(const STACK_OF(CMS_RecipientInfo) *stack, int i) {
    return sk_CMS_RecipientInfo_value(stack, i);
}
static inline int sluis_sk_rek_num(const STACK_OF(CMS_RecipientEncryptedKey) *stack) {
    return sk_CMS_RecipientEncryptedKey_num(stack);
}
static inline CMS_RecipientEncryptedKey *sluis_sk_rek_value(const STACK_OF(CMS_RecipientEncryptedKey) *stack, int i) {
    return sk_CMS_RecipientEncryptedKey_value(stack, i);
}
static inline int sluis_sk_si_num(const STACK_OF(CMS_SignerInfo) *stack) { return sk_CMS_SignerInfo_num(stack); }
static inline CMS_SignerInfo *sluis_sk_si_value(const STACK_OF(CMS_SignerInfo) *stack, int i) {
    return sk_CMS_SignerInfo_value(stack, i);
}

#endif
